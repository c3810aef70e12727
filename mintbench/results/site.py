"""The board's pages: plain HTML, one inline stylesheet, one inline script, SVG drawn here.
Nothing is fetched from anywhere (no CDN, no web font): the pages work from a file or offline."""

from __future__ import annotations

import json
from collections import defaultdict
import html


def escape(value) -> str:
    """Any value as HTML text (model metadata may hold numbers)."""
    return html.escape(str(value), quote=True)

STYLE = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px;color:#1b1b1b;max-width:1100px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px}small,.muted{color:#666}
table{border-collapse:collapse;margin:8px 0}th,td{padding:4px 10px;border-bottom:1px solid #ddd;text-align:right}
th{cursor:pointer;background:#f4f4f4;user-select:none}th.sorted-asc:after{content:" \\25B2"}th.sorted-desc:after{content:" \\25BC"}
td.model,th.model{text-align:left}.controls label{margin-right:14px}.bar{fill:#4a78b5}.gap-yes{color:#b00020;font-weight:600}
.cards{display:flex;flex-wrap:wrap;gap:12px}.card{border:1px solid #ddd;border-radius:6px;padding:8px 12px;min-width:220px}
.view{display:inline-block;padding:1px 8px;border-radius:10px;background:#eef;font-size:12px}
"""

SCRIPT = """
const data = JSON.parse(document.getElementById('board-data').textContent);
const state = {release: null, slice: 'all', value: 'all', query: '', sort: 'rank_best', dir: 1};
const releaseSel = document.getElementById('release'), sliceSel = document.getElementById('slice'), query = document.getElementById('query');
const releases = [...new Set(data.rows.map(r => r.release))].sort();
for (const r of releases) releaseSel.add(new Option(r, r));
state.release = releases[releases.length - 1] || null;
releaseSel.value = state.release;
function fillSlices() {
  const seen = new Set();
  sliceSel.innerHTML = '';
  for (const r of data.rows) {
    if (r.release !== state.release) continue;
    const key = r.slice + '=' + r.value;
    if (seen.has(key)) continue;
    seen.add(key);
    sliceSel.add(new Option(r.slice === 'all' ? 'all items' : r.slice + ': ' + r.value, key));
  }
  sliceSel.value = state.slice + '=' + state.value;
  if (!seen.has(sliceSel.value)) { state.slice = 'all'; state.value = 'all'; sliceSel.value = 'all=all'; }
}
function render() {
  const body = document.querySelector('#standings tbody');
  body.innerHTML = '';
  const rows = data.rows.filter(r => r.release === state.release && r.slice === state.slice && String(r.value) === state.value
                                   && r.model.toLowerCase().includes(state.query.toLowerCase()));
  rows.sort((a, b) => (a[state.sort] < b[state.sort] ? -1 : a[state.sort] > b[state.sort] ? 1 : a.model < b.model ? -1 : 1) * state.dir);
  for (const r of rows) {
    const tr = document.createElement('tr');
    const cells = [r.rank_best === r.rank_worst ? String(r.rank_best) : r.rank_best + '\\u2013' + r.rank_worst, null,
                   r.accuracy.toFixed(3), r.ci_low.toFixed(3) + ' \\u2013 ' + r.ci_high.toFixed(3), String(r.n)];
    cells.forEach((text, k) => {
      const td = document.createElement('td');
      if (k === 1) {
        td.className = 'model';
        const a = document.createElement('a');
        a.href = 'models/' + (data.models.find(m => m.model === r.model) || {slug: ''}).slug + '.html';
        a.textContent = r.model;
        td.appendChild(a);
      } else td.textContent = text;
      tr.appendChild(td);
    });
    body.appendChild(tr);
  }
  document.getElementById('row-count').textContent = rows.length + ' models';
  document.querySelectorAll('#standings th').forEach(th => {
    th.classList.remove('sorted-asc', 'sorted-desc');
    if (th.dataset.key === state.sort) th.classList.add(state.dir > 0 ? 'sorted-asc' : 'sorted-desc');
  });
}
releaseSel.onchange = () => { state.release = releaseSel.value; fillSlices(); render(); };
sliceSel.onchange = () => { [state.slice, state.value] = sliceSel.value.split(/=(.*)/s); render(); };
query.oninput = () => { state.query = query.value; render(); };
document.querySelectorAll('#standings th').forEach(th => th.onclick = () => {
  const key = th.dataset.key;
  state.dir = state.sort === key ? -state.dir : (key === 'accuracy' || key === 'ci_low' || key === 'n' ? -1 : 1);
  state.sort = key;
  render();
});
fillSlices();
render();
"""


def _json_for_script(data: dict) -> str:
    # No markup character survives inside the script element: a model named '</script>…' can
    # neither end it early nor leave a tag in the page.
    text = json.dumps(data, sort_keys=True)
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def _page(title: str, body: str, data: dict | None = None, script: str = "") -> str:
    data_tag = f'<script id="board-data" type="application/json">{_json_for_script(data)}</script>' if data is not None else ""
    return (
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
        f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>{body}{data_tag}"
        f"{'<script>' + script + '</script>' if script else ''}</body></html>\n"
    )


def trend_svg(trend: dict[str, list[dict]], width: int = 640, height: int = 220) -> str:
    """One line per model across releases (accuracy), drawn as SVG."""
    releases = sorted({p["release"] for points in trend.values() for p in points})
    if not releases:
        return "<p class=\"muted\">No results yet.</p>"
    x = {r: 40 + (width - 60) * (k / max(1, len(releases) - 1)) for k, r in enumerate(releases)}
    y = lambda v: 10 + (height - 40) * (1 - v)  # noqa: E731
    parts = [f'<svg id="trend" width="{width}" height="{height}" role="img" aria-label="accuracy by release">',
             f'<line x1="40" y1="{y(0)}" x2="{width - 20}" y2="{y(0)}" stroke="#999"/>',
             f'<line x1="40" y1="{y(1)}" x2="40" y2="{y(0)}" stroke="#999"/>']
    for v in (0, 0.5, 1):
        parts.append(f'<text x="4" y="{y(v) + 4}" font-size="11">{v:.1f}</text>')
    for r in releases:
        parts.append(f'<text x="{x[r] - 20}" y="{height - 8}" font-size="11">{escape(r)}</text>')
    palette = ("#4a78b5", "#d1495b", "#2e933c", "#edae49", "#66327c", "#00798c", "#8d6a9f", "#30638e")
    legend = []
    for k, (model, points) in enumerate(sorted(trend.items())):
        colour = palette[k % len(palette)]
        legend.append(f'<span style="color:{colour}">&#9632;</span> {escape(model)}')
        pts = " ".join(f"{x[p['release']]:.1f},{y(p['accuracy']):.1f}" for p in points)
        parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{pts}"><title>{escape(model)}</title></polyline>')
        for p in points:
            parts.append(f'<line x1="{x[p["release"]]:.1f}" x2="{x[p["release"]]:.1f}" y1="{y(p["ci_low"]):.1f}" y2="{y(p["ci_high"]):.1f}" stroke="{colour}"/>')
    parts.append("</svg>")
    return "".join(parts) + f'<p class="legend">{" &nbsp; ".join(legend)}</p>'



def histogram_svg(counts: list[int], width: int = 200, height: int = 60) -> str:
    top = max(counts) or 1
    w = width / len(counts)
    bars = "".join(f'<rect class="bar" x="{k * w:.1f}" y="{height - height * c / top:.1f}" width="{w - 1:.1f}" height="{height * c / top:.1f}">'
                   f"<title>{k * 10}-{k * 10 + 10} % of models: {c} items</title></rect>" for k, c in enumerate(counts))
    return f'<svg width="{width}" height="{height}" role="img" aria-label="item difficulty">{bars}</svg>'


def ranked_note(card: dict) -> str:
    """Where the service scored a public part, the ranking counts only the private rest."""
    n = card.get("ranked_on", card["n_items"])
    return "" if n == card["n_items"] else f" (ranked on the {n} private ones)"


def ladder_table(ladder: list[dict]) -> str:
    """Grading-service submissions on sealed releases: only the figure the service released."""
    if not ladder:
        return ""
    rows = "".join(f"<tr><td class=\"model\">{escape(r['model'])}</td><td>{escape(r['release'])}</td><td>{escape(str(r['accuracy']))}</td></tr>" for r in ladder)
    return ("<h2>Grading-service submissions (sealed releases)</h2><p class=\"muted\">The score the service released under the Ladder; "
            "no interval or rank until the release is revealed.</p>"
            f"<table id=\"ladder\"><thead><tr><th class=\"model\">token</th><th>release</th><th>released accuracy</th></tr></thead><tbody>{rows}</tbody></table>")


def contamination_table(gaps: list[dict]) -> str:
    if not gaps:
        return "<p class=\"muted\">No model with a declared training cutoff has results on both sides of it.</p>"
    rows = "".join(
        f"<tr><td class=\"model\">{escape(g['model'])}</td><td>{escape(g['cutoff'])}</td>"
        f"<td>{g['revealed_accuracy']:.3f} (n={g['revealed_n']})</td><td>{g['sealed_accuracy']:.3f} (n={g['sealed_n']})</td>"
        f"<td class=\"{'gap-yes' if g['significant'] else ''}\">{g['gap']:+.3f} [{g['ci_low']:+.3f}, {g['ci_high']:+.3f}]</td></tr>"
        for g in gaps)
    return ("<table id=\"contamination\"><thead><tr><th class=\"model\">model</th><th>cutoff</th><th>revealed before cutoff</th>"
            f"<th>sealed after cutoff</th><th>gap [95 % CI]</th></tr></thead><tbody>{rows}</tbody></table>")


def ability_text(entry: dict) -> str:
    if "ability" not in entry:
        return "–"
    if entry["ability"] is None:
        return "no finite estimate"
    return f"{entry['ability']:+.2f} [{entry['ability_low']:+.2f}, {entry['ability_high']:+.2f}]"


def ability_table(models: list[dict]) -> str:
    """Every model on one scale (Rasch logits, the reference models' mean at 0), best first."""
    fitted = [m for m in models if "ability" in m]
    if not fitted:
        return "<p class=\"muted\">No release this view shows has two models to compare.</p>"
    fitted.sort(key=lambda m: (m["ability"] is None, -(m["ability"] or 0.0), m["model"]))
    rows = "".join(f"<tr><td class=\"model\">{escape(m['model'])}</td><td>{escape(ability_text(m))}</td>"
                   f"<td>{'' if m.get('ability_se') is None else format(m['ability_se'], '.3f')}</td></tr>" for m in fitted)
    return ("<table id=\"abilities\"><thead><tr><th class=\"model\">model</th><th>ability [95 % CI]</th><th>SE</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>")


def release_cards(cards: list[dict]) -> str:
    out = []
    for c in cards:
        state = "sealed" if c["sealed"] else f"revealed {escape((c['revealed_at'] or '')[:10])}"
        hist = histogram_svg(c["difficulty_histogram"]) if "difficulty_histogram" in c else '<span class="muted">item difficulty after reveal</span>'
        irt = c.get("irt_difficulty")
        irt_line = (f'<br><small>item difficulty (logits): median {irt["median"]:+.2f}, quartiles {irt["q1"]:+.2f} to {irt["q3"]:+.2f}; '
                    f'solved by every model {irt["solved_by_all"]}, by none {irt["solved_by_none"]}</small>') if irt and "median" in irt else ""
        out.append(f'<div class="card" id="release-{escape(c["release"])}"><b>{escape(c["release"])}</b> <small>{state}</small><br>'
                   f'{c["n_items"]} items{ranked_note(c)}, {c["models"]} models<br><small>{escape(", ".join(c["domains"]))}; {escape(", ".join(c["levels"]))}</small><br>{hist}{irt_line}</div>')
    return f'<div class="cards">{"".join(out)}</div>'


def index_page(data: dict) -> str:
    method = "".join(f"<li><b>{escape(k)}</b>: {escape(v)}</li>" for k, v in data["method"].items())
    view_note = ("Public view: releases under embargo show scores rounded down to the disclosure grid "
                 f"({data['disclosure']['step']}), intervals widened to it, and only cells of at least {data['disclosure']['min_cell']} items."
                 if data["view"] == "public" else "Owner view: exact figures and every cell.")
    body = f"""
<h1>mintbench results</h1>
<p><span class="view">{escape(data['view'])} view</span> <small>generated {escape(data['generated_at'])}</small></p>
<p class="muted">{escape(view_note)} Rank ranges come from paired tests: models that share a range cannot be told apart on these items.</p>
<h2>Standings</h2>
<div class="controls">
<label>release <select id="release"></select></label>
<label>items <select id="slice"></select></label>
<label>model <input id="query" type="search" placeholder="filter"></label>
<span id="row-count" class="muted"></span>
</div>
<table id="standings"><thead><tr>
<th data-key="rank_best">rank</th><th data-key="model" class="model">model</th><th data-key="accuracy">accuracy</th>
<th data-key="ci_low">95 % CI</th><th data-key="n">items</th></tr></thead><tbody></tbody></table>
{ladder_table(data.get('ladder', []))}
<h2>Ability on one scale</h2>
<p class="muted">Rasch ability in logits over every release this view shows, zero at the reference models' mean (see Method).</p>
{ability_table(data['models'])}
<h2>Across releases</h2>
{trend_svg(data['trend'])}
<h2>Contamination: revealed papers against sealed ones</h2>
{contamination_table(data['contamination'])}
<h2>Releases</h2>
{release_cards(data['releases'])}
<h2>Method</h2><ul>{method}</ul>
<p><a href="board.json">board.json</a> · <a href="board.csv">board.csv</a></p>
"""
    return _page("mintbench results", body, data, SCRIPT)


def heatmap(rows: list[dict], model: str, release: str) -> str:
    """Domain × level accuracy of one model on one release (cells the view withholds are blank)."""
    cells = {r["value"]: r for r in rows if r["model"] == model and r["release"] == release and r["slice"] == "domain_level"}
    domains = sorted({v.split("/")[0] for v in cells})
    levels = sorted({v.split("/")[1] for v in cells})
    if not cells:
        return "<p class=\"muted\">No cell is large enough to show in this view.</p>"
    head = "".join(f"<th>{escape(lv)}</th>" for lv in levels)
    body = []
    for d in domains:
        tds = []
        for lv in levels:
            row = cells.get(f"{d}/{lv}")
            if row is None:
                tds.append("<td></td>")
                continue
            shade = int(255 - 155 * row["accuracy"])
            tds.append(f'<td style="background:rgb({shade},{shade},255)" title="n={row["n"]}">{row["accuracy"]:.2f}</td>')
        body.append(f"<tr><th class=\"model\">{escape(d)}</th>{''.join(tds)}</tr>")
    return f"<table class=\"heatmap\" id=\"heatmap\"><thead><tr><th></th>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def model_page(data: dict, model: dict) -> str:
    name = model["model"]
    rows = [r for r in data["rows"] if r["model"] == name]
    overall = [r for r in rows if r["slice"] == "all"]
    trend = {p["release"]: p for p in data["trend"].get(name, [])}
    table = "".join(
        f"<tr><td class=\"model\">{escape(r['release'])}</td><td>{r['accuracy']:.3f}</td><td>{r['ci_low']:.3f} – {r['ci_high']:.3f}</td>"
        f"<td>{r['rank_best'] if r['rank_best'] == r['rank_worst'] else str(r['rank_best']) + '–' + str(r['rank_worst'])}</td><td>{r['n']}</td>"
        f"<td>{escape(ability_text(trend.get(r['release'], {})))}</td></tr>"
        for r in sorted(overall, key=lambda r: r["release"]))
    slices = defaultdict(list)
    for r in rows:
        if r["slice"] not in ("all", "domain_level"):
            slices[r["release"]].append(r)
    cells = "".join(
        f"<h3>{escape(release)}</h3><table><thead><tr><th class=\"model\">cell</th><th>accuracy</th><th>95 % CI</th><th>rank</th><th>items</th></tr></thead><tbody>"
        + "".join(f"<tr><td class=\"model\">{escape(r['slice'])}: {escape(r['value'])}</td><td>{r['accuracy']:.3f}</td>"
                  f"<td>{r['ci_low']:.3f} – {r['ci_high']:.3f}</td><td>{r['rank_best']}–{r['rank_worst']}</td><td>{r['n']}</td></tr>" for r in rs)
        + "</tbody></table>" for release, rs in sorted(slices.items()))
    meta = "".join(f"<li>{escape(k)}: {escape(v)}</li>" for k, v in sorted(model["meta"].items())) or "<li class=\"muted\">none declared</li>"
    gaps = [g for g in data["contamination"] if g["model"] == name]
    latest = max((r["release"] for r in overall), default=None)
    body = f"""
<p><a href="../index.html">← all models</a></p>
<h1 id="model-name">{escape(name)}</h1>
<ul>{meta}</ul>
<p id="model-ability">Ability over all releases shown: {escape(ability_text(model))} logits</p>
<h2>By release</h2>
<table id="model-releases"><thead><tr><th class="model">release</th><th>accuracy</th><th>95 % CI</th><th>rank</th><th>items</th><th>ability [95 % CI]</th></tr></thead><tbody>{table}</tbody></table>
<h2>Domain and level, {escape(latest or '')}</h2>
{heatmap(rows, name, latest) if latest else ''}
<h2>Contamination</h2>
{contamination_table(gaps)}
<h2>Cells</h2>
{cells}
"""
    return _page(f"{name} · mintbench results", body)
