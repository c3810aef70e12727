"""`make bench`: how large each generator's question space is, and the chance that public draws
reproduce a released question (issue #26, item 7).

A sealed item is drawn from a keyed stream nobody else has, but its *question* can still come up
in anyone's public draws when the generator has few questions to ask (a table of 64 codons, a
list of enzymes). Per generator, at one difficulty: N public draws (open format where there is
one, English), the
number of distinct questions among them, and the birthday estimate of the space, S = N(N-1)/2c
from the c repeated pairs (a lower bound of N(N-1)/2 when nothing repeats). The chance that M
public draws (300, as an examiner tried) hit one given released question is 1 - (1 - 1/S)^M.
Where that exceeds 1e-3 the generator is knowledge recall, not fresh by construction.

    .venv/bin/python bench/question_space.py [--draws 1000] [--difficulty medium] [--attempts 300]
    .venv/bin/python bench/question_space.py --write   # every difficulty, into the table publish reads

`--write` adds the chance for every generator version it lacks to mintbench/items/question_space.json
(a ledger like the item digests: a bumped version needs its line, tests/test_question_space.py
says so), which `publish` reads to mark recall items in CARD.md.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from mintbench.items.registry import DIFFICULTIES, all_generators, build_item  # noqa: E402
from mintbench.items.space import ATTEMPTS, TABLE, load_table  # noqa: E402

THRESHOLD = 1e-3


def space(generator: str, fmt: str, difficulty: str, draws: int, seed: int = 4242) -> tuple[int, float, bool]:
    """(distinct questions in `draws`, estimated size, whether the estimate is only a lower bound)."""
    counts = Counter(build_item(generator, seed, i, difficulty=difficulty, fmt=fmt).question for i in range(draws))
    repeated_pairs = sum(k * (k - 1) // 2 for k in counts.values())
    bound = draws * (draws - 1) / 2
    return len(counts), (bound / repeated_pairs if repeated_pairs else bound), repeated_pairs == 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--draws", type=int, default=1000)
    parser.add_argument("--difficulty", default="medium")
    parser.add_argument("--attempts", type=int, default=ATTEMPTS, help="public draws an attacker makes per generator")
    parser.add_argument("--write", action="store_true", help="add missing generator versions to the table publish reads")
    args = parser.parse_args()
    if args.write:
        write_table(args.draws)
        return
    print(f"{'generator':34s} {'distinct':>9s} {'space':>11s} {'P(reproduce)':>13s}   ({args.draws} public draws, {args.difficulty})")
    recall = []
    started = time.perf_counter()
    for gen in all_generators():
        fmt = "open" if "open" in gen.formats else gen.formats[0]  # the problem itself, without options
        distinct, size, lower = space(gen.id, fmt, args.difficulty, args.draws)
        p = 1 - (1 - 1 / size) ** args.attempts
        shown = f"{'>' if lower else '~'}{size:10.3g}"
        mark = "" if p <= THRESHOLD else "   recall: not fresh by construction"
        if p > THRESHOLD:
            recall.append(gen.id)
        print(f"{gen.id:34s} {distinct:9d} {shown:>11s} {('<' if lower else '') + f'{p:.1e}':>13s}{mark}")
    print(f"\nsummary: {len(recall)} generators above {THRESHOLD:g} ({', '.join(recall) or 'none'}); {time.perf_counter() - started:.0f} s")


def write_table(draws: int) -> None:
    import json

    table = load_table()
    for gen in all_generators():
        key = f"{gen.id}@{gen.version}"
        if key in table:
            continue
        fmt = "open" if "open" in gen.formats else gen.formats[0]
        table[key] = {}
        for difficulty in DIFFICULTIES:
            _, size, _ = space(gen.id, fmt, difficulty, draws)
            table[key][difficulty] = float(f"{1 - (1 - 1 / size) ** ATTEMPTS:.2g}")
        print(key, table[key])
    TABLE.write_text(json.dumps(dict(sorted(table.items())), indent=1) + "\n")


if __name__ == "__main__":
    main()
