"""`difficulty_report.md` and its PNG plots. Counts and rates only: no item text, no answers."""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only, no display
import matplotlib.pyplot as plt  # noqa: E402

from mintbench.items.schema import Item  # noqa: E402

REPORT = "difficulty_report.md"
PLOTS = ("pass_rate_by_domain_level.png", "labels_by_generator.png", "calls_vs_fixed_k.png")


def _pass_rates(items: list[Item]) -> dict[tuple[str, str, str], float]:
    """Mean p-hat per (model, domain, level) over the items each model was asked."""
    acc: dict[tuple[str, str, str], list[float]] = defaultdict(list)
    for item in items:
        for model, rec in item.difficulty["models"].items():
            if rec["p_hat"] is not None:
                acc[(model, item.domain, item.level)].append(rec["p_hat"])
    return {k: sum(v) / len(v) for k, v in sorted(acc.items())}


def _plot_pass_rates(rates: dict, path: Path) -> None:
    groups = sorted({(d, lvl) for _, d, lvl in rates})
    models = sorted({m for m, _, _ in rates})
    fig, ax = plt.subplots(figsize=(max(5, 1.2 * len(groups) + 2), 3.6))
    width = 0.8 / max(1, len(models))
    for k, model in enumerate(models):
        xs = [i + k * width for i in range(len(groups))]
        ax.bar(xs, [rates.get((model, d, lvl), 0.0) for d, lvl in groups], width, label=model)
    ax.set_xticks([i + 0.4 - width / 2 for i in range(len(groups))], [f"{d}\n{lvl}" for d, lvl in groups])
    ax.set_ylim(0, 1)
    ax.set_ylabel("mean pass rate")
    ax.set_title("Pass rate by domain and level")
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
    _plot_pass_rates(rates, set_dir / PLOTS[0])
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
        *[f"![{p}]({p})" for p in PLOTS],
        "",
    ]
    (set_dir / REPORT).write_text("\n".join(lines))
    return [REPORT, *PLOTS]
