"""Reading mathematical notation (L2): set-builder notation and piecewise definitions. The
computation is small; the item tests whether the notation is read exactly (a boundary that
belongs to one piece, an image set whose repeated values collapse)."""

from __future__ import annotations

from typing import Literal

import sympy

from generators.math._common import X, fmt, show
from mintbench.items.registry import Draft, Generator, Knobs, register


def _set_str(values) -> str:
    return "{" + ", ".join(str(v) for v in sorted(values)) + "}"


class SetBuilderKnobs(Knobs):
    span: int = 12  # width of the interval x ranges over
    conditions: int = 1  # conditions beyond the interval
    image: bool = True  # {f(x) : ...} rather than {x : ...}


CONDITIONS = ("congruence", "parity", "square_bound")


def _holds(kind: str, arg: list[int], x: int) -> bool:
    if kind == "congruence":
        return x % arg[0] == arg[1]
    if kind == "parity":
        return x % 2 == arg[0]
    return x * x < arg[0]


def _cond_text(kind: str, arg: list[int], lang: str) -> str:
    if kind == "congruence":
        return f"x ≡ {arg[1]} (mod {arg[0]})"
    if kind == "parity":
        return {"en": ("x is even", "x is odd"), "zh": ("x 为偶数", "x 为奇数")}[lang][arg[0]]
    return f"x**2 < {arg[0]}"


def set_members(lo: int, hi: int, conditions: list[list], image: str) -> set[int]:
    f = sympy.sympify(image, locals={"x": X})
    return {int(f.subs(X, x)) for x in range(lo, hi + 1) if all(_holds(k, a, x) for k, a in conditions)}


@register
class SetBuilder(Generator):
    id = "math.set_builder"
    version = "1"
    domain, topic, level = "math", "notation", "L2"
    answer_type = "set"
    Config = SetBuilderKnobs
    presets = {
        "easy": {"span": 8, "conditions": 1, "image": False},
        "medium": {"span": 12, "conditions": 1, "image": True},
        "hard": {"span": 20, "conditions": 2, "image": True},
    }
    _q = {
        "en": "List the elements of the set {{{head} : {domain}}}, where Z is the set of integers. Write each element once.",
        "zh": "列出集合 {{{head} : {domain}}} 的全部元素，其中 Z 为整数集。每个元素只写一次。",
    }

    @staticmethod
    def work(p: dict) -> float:
        # Integers to test, times the conditions each must pass (and the map applied to it).
        return (p["hi"] - p["lo"] + 1) * (1 + len(p["conditions"])) * (2 if p["image"] != "x" else 1)

    def draft(self, rng, cfg, lang, fmt_):
        for _ in range(200):
            lo = rng.randint(-cfg.span, 0)
            hi = lo + cfg.span
            conditions = []
            for kind in rng.sample(CONDITIONS, cfg.conditions):
                if kind == "congruence":
                    m = rng.randint(3, 6)
                    conditions.append([kind, [m, rng.randrange(m)]])
                elif kind == "parity":
                    conditions.append([kind, [rng.randrange(2)]])
                else:
                    conditions.append([kind, [rng.randint(4, max(5, (cfg.span // 2) ** 2))]])
            # An image that folds: x**2 + c sends x and -x to one value, which is written once.
            image = show(rng.choice([X**2, X**2 - rng.randint(1, 9), 2 * X + rng.randint(-5, 5), abs(X) + rng.randint(-3, 3)])) if cfg.image else "x"
            members = set_members(lo, hi, conditions, image)
            if 2 <= len(members) <= 10:
                break
        else:
            raise ValueError("no set of 2-10 elements drawn")
        domain = ", ".join(["x ∈ Z", f"{lo} ≤ x ≤ {hi}"] + [_cond_text(k, a, lang) for k, a in conditions])
        return Draft(
            question=self._q[lang].format(head=image.replace("Abs(x)", "|x|"), domain=domain),
            answer=_set_str(members),
            answer_type="set",
            answer_format=fmt("elements", lang),
            params={"lo": lo, "hi": hi, "conditions": conditions, "image": image},
        )


class PiecewiseKnobs(Knobs):
    pieces: int = 3
    ask: Literal["value", "sum", "compose"] = "sum"  # f(k); f(k1) + f(k2); f(f(k))


def _piece(rng) -> sympy.Expr:
    if rng.random() < 0.5:
        return rng.choice([-3, -2, -1, 1, 2, 3]) * X + rng.randint(-6, 6)
    return rng.choice([-1, 1]) * X**2 + rng.randint(-4, 4)


def piece_at(pieces: list[str], cuts: list[int], x: int) -> int:
    """Which piece holds x: piece i covers cuts[i-1] <= x < cuts[i] (the cut belongs to the
    piece on its right)."""
    return sum(x >= c for c in cuts)


@register
class PiecewiseReading(Generator):
    id = "math.piecewise_reading"
    version = "2"  # 2: the open/multiple-choice pick and the options' corner drawn from the item's key (issue #27)
    domain, topic, level = "math", "notation", "L2"
    formats = ("open", "mcq")
    answer_type = "integer"
    Config = PiecewiseKnobs
    presets = {
        "easy": {"pieces": 2, "ask": "value"},
        "medium": {"pieces": 3, "ask": "sum"},
        "hard": {"pieces": 4, "ask": "compose"},
    }
    _q = {
        "en": "The function f is defined on the integers by\n{cases}\nWhat is {ask}?",
        "zh": "函数 f 在整数上定义如下：\n{cases}\n求 {ask}。",
    }

    @staticmethod
    def work(p: dict) -> float:
        # Branch tests per evaluation, times evaluations.
        return len(p["pieces"]) * {"value": 1, "sum": 2, "compose": 3}[p["ask"]]

    def draft(self, rng, cfg, lang, fmt_):
        for _ in range(100):
            cuts = sorted(rng.sample(range(-5, 6), cfg.pieces - 1))
            pieces = [show(_piece(rng)) for _ in range(cfg.pieces)]
            exprs = [sympy.sympify(p, locals={"x": X}) for p in pieces]
            # Neighbouring pieces must disagree at their cut, or the cut's owner would not matter.
            if len(set(pieces)) == len(pieces) and all(exprs[i].subs(X, c) != exprs[i + 1].subs(X, c) for i, c in enumerate(cuts)):
                break
        else:
            raise ValueError("no piecewise definition whose cuts matter")

        def f(x: int, shift: int = 0) -> int:
            # shift: read the neighbouring piece (the boundary misread), the generator's slip
            i = min(max(piece_at(pieces, cuts, x) + shift, 0), len(pieces) - 1)
            return int(exprs[i].subs(X, x))

        # A point on a cut tests which piece owns it. Slips: the neighbouring piece read at a
        # point, or the neighbouring integer read.
        points = [rng.choice(cuts)] + [rng.randint(cuts[0] - 3, cuts[-1] + 3)]
        if cfg.ask == "value":
            value, text = f(points[0]), f"f({points[0]})"
            wrongs = [f(points[0], -1), f(points[0], 1), f(points[0] + 1), f(points[0] - 1)]
        elif cfg.ask == "sum":
            value, text = f(points[0]) + f(points[1]), f"f({points[0]}) + f({points[1]})"
            wrongs = [f(points[0], -1) + f(points[1]), f(points[0]) + f(points[1], 1), f(points[0], 1) + f(points[1], -1), f(points[0] - 1) + f(points[1])]
        else:
            inner = f(points[0])
            value, text = f(inner), f"f(f({points[0]}))"
            wrongs = [f(f(points[0], -1)), f(inner, 1), f(inner, -1), inner]
        cases = []
        for i, p in enumerate(pieces):
            lo = cuts[i - 1] if i else None
            hi = cuts[i] if i < len(cuts) else None
            cond = {"en": " and ", "zh": " 且 "}[lang].join(filter(None, [f"x >= {lo}" if lo is not None else "", f"x < {hi}" if hi is not None else ""]))
            cases.append(f"  f(x) = {p}    {'if' if lang == 'en' else '当'} {cond}")
        return Draft(
            question=self._q[lang].format(cases="\n".join(cases), ask=text),
            answer=str(value),
            answer_type="integer",
            answer_format=fmt("integer", lang),
            params={"pieces": pieces, "cuts": cuts, "ask": cfg.ask, "points": points},
            distractors=[str(w) for w in wrongs],
        )
