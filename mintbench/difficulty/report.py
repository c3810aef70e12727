"""`difficulty_report.md` and its PNG plots. Counts and rates only: no item text, no answers."""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only, no display
import matplotlib.pyplot as plt  # noqa: E402

from mintbench.items.schema import Item  # noqa: E402

REPORT = "difficulty_report.md"
PLOTS = ("ladder_pass_rate.png", "labels_by_generator.png", "calls_vs_fixed_k.png")


def _pass_rates(items: list[Item]) -> dict[tuple[str, str, str], float]:
    """Mean p-hat per (model, domain, level) over the items each model was asked."""
    acc: dict[tuple[str, str, str], list[float]] = defaultdict(list)
    for item in items:
        for model, rec in item.difficulty["models"].items():
            if rec["p_hat"] is not None:
                acc[(model, item.domain, item.level)].append(rec["p_hat"])
    return {k: sum(v) / len(v) for k, v in sorted(acc.items())}


def _plot_ladder(items: list[Item], models: list[str], path: Path) -> None:
    """The ladder at a glance: per model (weak to strong), its mean pass rate at each level."""
    acc: dict[tuple[str, str], list[float]] = defaultdict(list)
    for item in items:
        for model, rec in item.difficulty["models"].items():
            if rec["p_hat"] is not None:
                acc[(model, item.level)].append(rec["p_hat"])
    levels = sorted({lvl for _, lvl in acc})
    fig, ax = plt.subplots(figsize=(5.5, 3.6))
    for model in models:
        xs = [k for k, lvl in enumerate(levels) if acc.get((model, lvl))]
        ax.plot(xs, [sum(acc[(model, levels[k])]) / len(acc[(model, levels[k])]) for k in xs], marker="o", label=model)
    ax.set_xticks(range(len(levels)), levels)
    ax.set_ylim(0, 1)
    ax.set_xlabel("level")
    ax.set_ylabel("mean pass rate")
    ax.set_title("Ladder: pass rate by model and level")
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _plot_labels(items: list[Item], path: Path) -> None:
    gens = sorted({i.generator for i in items})
    labels = sorted({i.difficulty_label for i in items})
    counts = Counter((i.generator, i.difficulty_label) for i in items)
    fig, ax = plt.subplots(figsize=(7, max(3, 0.28 * len(gens) + 1)))
    left = [0] * len(gens)
    for label in labels:
        values = [counts[(g, label)] for g in gens]
        ax.barh(gens, values, left=left, label=label)
        left = [a + b for a, b in zip(left, values)]
    ax.set_xlabel("items")
    ax.set_title("Difficulty labels by generator")
    ax.legend(fontsize=7)
    ax.tick_params(axis="y", labelsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _plot_calls(info: dict, path: Path) -> None:
    fig, ax = plt.subplots(figsize=(4.5, 3.2))
    ax.bar(["this run", f"fixed k={info['fixed_k_baseline_calls'] // max(1, info['item_model_pairs'])}"],
           [info["calls"], info["fixed_k_baseline_calls"]], color=["tab:green", "tab:gray"])
    ax.set_ylabel("model calls")
    ax.set_title("Calls spent vs fixed-k baseline")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def write_report(set_dir: Path, items: list[Item], info: dict) -> list[str]:
    rates = _pass_rates(items)
    _plot_ladder(items, info["models"], set_dir / PLOTS[0])
    _plot_labels(items, set_dir / PLOTS[1])
    _plot_calls(info, set_dir / PLOTS[2])
    lines = [
        "# Difficulty report",
        "",
        f"Reference models (weak to strong): {', '.join(info['models'])}. Sampling: {info['mode']}; ladder: {info['ladder']}; "
        f"calibration: {info['calibration']}.",
        "",
        f"Model calls: {info['calls']} for {info['item_model_pairs']} (item, model) pairs, "
        f"{info['mean_calls_per_pair']:.2f} per pair; a fixed-k run would spend {info['fixed_k_baseline_calls']}.",
        "",
        *_model_lines(info),
        *_rung0_lines(info),
        "| label | items |", "| --- | --- |",
        *[f"| {k} | {v} |" for k, v in info["by_label"].items()],
        "",
        "| decision | items |", "| --- | --- |",
        *[f"| {k} | {v} |" for k, v in info["by_decision"].items()],
        "",
        "| flag | items |", "| --- | --- |",
        *([f"| {k} | {v} |" for k, v in info["flags"].items()] or ["| none | 0 |"]),
        "",
        "| model | domain | level | mean pass rate |", "| --- | --- | --- | --- |",
        *[f"| {m} | {d} | {lvl} | {r:.3f} |" for (m, d, lvl), r in rates.items()],
        "",
        *_generator_lines(info),
        *[f"![{p}]({p})" for p in PLOTS],
        "",
    ]
    (set_dir / REPORT).write_text("\n".join(lines))
    return [REPORT, *PLOTS]


def _ci(ci: list[float]) -> str:
    return f"[{ci[0]:.2f}, {ci[1]:.2f}]"


def _model_lines(info: dict) -> list[str]:
    per = info.get("per_model") or {}
    lines = ["| model (weak to strong) | samples | parsed rate [95% CI] | accuracy [95% CI] | items solved |",
             "| --- | --- | --- | --- | --- |"]
    for model, m in per.items():
        if m["samples"]:
            lines.append(f"| {model} | {m['samples']} | {m['parsed_rate']:.3f} {_ci(m['parsed_ci95'])} | "
                         f"{m['accuracy']:.3f} {_ci(m['accuracy_ci95'])} | {m['solved_items']} of {m['items']} |")
        else:
            lines.append(f"| {model} | 0 | - | - | 0 of {m['items']} |")
    stronger = info.get("solved_only_by_stronger", 0)
    measured = [(m, v) for m, v in per.items() if v["samples"]]
    if len(measured) > 1:
        if stronger:
            lines += ["", f"{stronger} item(s) were solved by a stronger model after a weaker one failed them: the ladder at work."]
        else:
            (weak, w), (strong, t) = measured[0], measured[-1]
            overlap = t["accuracy_ci95"][0] <= w["accuracy_ci95"][1]
            why = ("their intervals overlap, so on this set the stronger model is not measurably stronger"
                   if overlap else "the stronger model is right more often per sample, but on no single item more often than not")
            lines += ["", f"No item was solved by a stronger model after a weaker one failed it. Measured: {weak} accuracy "
                      f"{w['accuracy']:.3f} {_ci(w['accuracy_ci95'])} over {w['items']} items, {strong} "
                      f"{t['accuracy']:.3f} {_ci(t['accuracy_ci95'])} over {t['items']} items; {why} "
                      f"(an item counts as solved when a model is right on more than half of its samples)."]
    return [*lines, ""]


def _rung0_lines(info: dict) -> list[str]:
    r = info.get("rung0")
    if not r or not (r["mcq_items"] or r["true_false_items"]):
        return []
    lines = [f"Rung 0 (answer-free baselines, before any model): {r['guessable']} item(s) flagged `guessable`."]
    if r["mcq_items"]:
        lines += ["", f"| option-only heuristic | MCQ items | picks the key | chance {r['chance']:.2f} |", "| --- | --- | --- | --- |",
                  *[f"| {name} | {h['items']} | {h['accuracy']:.3f} | |" for name, h in r["heuristics"].items()]]
    return [*lines, ""]


def _generator_lines(info: dict) -> list[str]:
    mix = info.get("by_generator_label") or {}
    labels = sorted({label for c in mix.values() for label in c})
    return ["| generator | " + " | ".join(labels) + " |", "| --- |" + " --- |" * len(labels),
            *[f"| {g} | " + " | ".join(str(c.get(label, 0)) for label in labels) + " |" for g, c in mix.items()], ""]
