"""Exact probability, operations defined in the prompt, and recalled trig values."""

from __future__ import annotations

import math
from fractions import Fraction

from generators.math._common import fmt, frac_str, linear_form, ops
from mintbench.items.distractors import DrawAgain
from mintbench.items.registry import Draft, Generator, Knobs, register


class ProbabilityKnobs(Knobs):
    max_dice: int = 3
    max_balls: int = 10
    max_faces: int = 8  # dice with 4, 6, 8, 10 or 12 faces, up to this many


def dice_sum_probability(n_dice: int, total: int, faces: int = 6) -> Fraction:
    """P(sum of n fair dice with faces 1..faces = total), by the inclusion-exclusion formula."""
    ways = sum(
        (-1) ** k * math.comb(n_dice, k) * math.comb(total - faces * k - 1, n_dice - 1)
        for k in range((total - n_dice) // faces + 1)
    )
    return Fraction(ways, faces**n_dice)


def urn_probability(red: int, blue: int, draws: int, want: int) -> Fraction:
    """P(exactly `want` red among `draws` drawn without replacement): hypergeometric."""
    return Fraction(math.comb(red, want) * math.comb(blue, draws - want), math.comb(red + blue, draws))


@register
class Probability(Generator):
    id = "math.probability"
    version = "4"  # 4: the open/multiple-choice pick and the options' corner drawn from the item's key (issue #27); 3: options that need the work, screened sources, stated conventions (issue #14); 2: every question says that several candidates count as wrong
    domain, topic, level = "math", "probability", "L3"
    mcq_options = "own"
    formats = ("open", "mcq")
    answer_type = "rational"
    Config = ProbabilityKnobs
    presets = {"easy": {"max_dice": 2, "max_balls": 6, "max_faces": 6}, "medium": {}, "hard": {"max_dice": 4, "max_balls": 14, "max_faces": 12}}
    _dice = {
        "en": "{n} fair {k}-sided dice (faces numbered 1 to {k}) are rolled. What is the probability that the faces sum to exactly {s}?",
        "zh": "同时掷 {n} 枚均匀的 {k} 面骰子（各面为 1 到 {k}），点数之和恰好为 {s} 的概率是多少？",
    }
    _urn = {
        "en": "An urn holds {r} red and {b} blue balls. {d} balls are drawn at random without replacement. What is the probability that exactly {k} of them {are} red?",
        "zh": "一个袋子里有 {r} 个红球和 {b} 个蓝球，不放回地随机取出 {d} 个球。恰好取到 {k} 个红球的概率是多少？",
    }

    @staticmethod
    def work(p: dict) -> float:
        return p['n_dice'] * math.log2(p['faces']) if p['kind'] == 'dice' else math.log2(math.comb(p['red'] + p['blue'], p['draws']))

    def draft(self, rng, cfg, lang, fmt_):
        if rng.random() < 0.5:
            n = rng.randint(2, cfg.max_dice)
            k = rng.choice([f for f in (4, 6, 8, 10, 12) if f <= cfg.max_faces])
            target = rng.randint(n + 1, k * n - 1)
            targets = range(n + 1, k * n)
            value_of = lambda s: dice_sum_probability(n, s, k)  # noqa: E731
            ask = lambda s: (self._dice[lang].format(n=n, k=k, s=s), {"kind": "dice", "n_dice": n, "faces": k, "total": s})  # noqa: E731
        else:
            r = rng.randint(2, cfg.max_balls - 2)
            b = rng.randint(2, cfg.max_balls - r)
            d = rng.randint(2, min(r + b - 1, 5))
            target = rng.randint(max(1, d - b), min(r, d))
            targets = range(max(1, d - b), min(r, d) + 1)
            value_of = lambda k: urn_probability(r, b, d, k)  # noqa: E731
            ask = lambda k: (  # noqa: E731
                self._urn[lang].format(r=r, b=b, d=d, k=k, are="is" if k == 1 else "are"),
                {"kind": "urn", "red": r, "blue": b, "draws": d, "want": k},
            )
        wrongs = []
        if fmt_ == "mcq":
            # The options are the probabilities of four other targets of the same dice or urn, and
            # the question asks for one of them at random: exchangeable options (slips of a
            # numerator left the key the smallest, most probable option: 0.34 by guessing), each
            # one a count of outcomes a solver who miscounts could reach, none ruled out by its
            # denominator.
            by_value: dict[Fraction, list[int]] = {}
            for t in targets:
                by_value.setdefault(value_of(t), []).append(t)
            if len(by_value) < 4:
                raise DrawAgain(self.id)
            values = rng.sample(sorted(by_value), 4)
            target = rng.choice(by_value[values[rng.randrange(4)]])
            wrongs = [frac_str(v) for v in values if v != value_of(target)]
        value = value_of(target)
        question, params = ask(target)
        return Draft(
            question=question,
            answer=frac_str(value),
            answer_type="rational",
            answer_format=fmt("exact_number", lang),
            params=params,
            distractors=wrongs,
        )


class OperationKnobs(Knobs):
    max_coeff: int = 5
    max_operand: int = 9
    depth: int = 2


@register
class DefinedOperation(Generator):
    id = "math.defined_operation"
    version = "5"  # 5: the open/multiple-choice pick and the options' corner drawn from the item's key (issue #27); 4: sibling options (issue #26, item 3: residues); 3: options that need the work, screened sources, stated conventions (issue #14); 2: every question says that several candidates count as wrong
    domain, topic, level = "math", "comprehension", "L2"
    formats = ("open", "mcq")
    answer_type = "integer"
    # The operation's values carry their own residues (0.32 from parity and divisibility by 3
    # against slips of 1); other operations' results share the key's distribution.
    mcq_options = "siblings"
    Config = OperationKnobs
    presets = {"easy": {"max_coeff": 3, "depth": 1}, "medium": {}, "hard": {"max_coeff": 7, "max_operand": 12, "depth": 3}}
    _q = {
        "en": "Define a new operation on integers by a # b = {rule}. Compute {expr}.",
        "zh": "在整数上定义一种新运算：a # b = {rule}。计算 {expr}。",
    }

    @staticmethod
    def work(p: dict) -> float:
        return ops(p['rule']) * (len(p['operands']) - 1)

    def draft(self, rng, cfg, lang, fmt_):
        p, q, r = (rng.randint(-cfg.max_coeff, cfg.max_coeff) or 1 for _ in range(3))
        c = rng.randint(-cfg.max_coeff, cfg.max_coeff)
        # As SymPy prints p*a + q*b + r*a*b + c in lex order (checked for every coefficient
        # up to 7), at a hundredth of its cost.
        rule = linear_form([(r, "a*b"), (p, "a"), (q, "b")], c)

        def op(a: int, b: int) -> int:
            return p * a + q * b + r * a * b + c

        def swapped(a: int, b: int) -> int:
            return p * b + q * a + r * a * b + c

        operands = [rng.randint(-cfg.max_operand, cfg.max_operand) for _ in range(cfg.depth + 1)]
        expr, value, wrong_order = str(operands[0]), operands[0], operands[0]
        for v in operands[1:]:
            expr, value, wrong_order = f"({expr}) # {v}" if "#" in expr else f"{expr} # {v}", op(value, v), swapped(wrong_order, v)
        plain = operands[0]
        for v in operands[1:]:
            plain = plain * v  # the trap: reading # as multiplication
        wrongs = [wrong_order, plain, value + c, -value, value + 1, value - 1]
        return Draft(
            question=self._q[lang].format(rule=rule, expr=expr),
            answer=str(value),
            answer_type="integer",
            answer_format=fmt("integer", lang),
            params={"rule": rule, "operands": operands},
            distractors=[str(w) for w in wrongs],
        )


# Exact values every student is expected to recall (L1).
_TRIG = {
    ("sin", 0): "0", ("sin", 30): "1/2", ("sin", 45): "sqrt(2)/2", ("sin", 60): "sqrt(3)/2", ("sin", 90): "1",
    ("cos", 0): "1", ("cos", 30): "sqrt(3)/2", ("cos", 45): "sqrt(2)/2", ("cos", 60): "1/2", ("cos", 90): "0",
    ("tan", 0): "0", ("tan", 30): "sqrt(3)/3", ("tan", 45): "1", ("tan", 60): "sqrt(3)",
}
_QUADRANT_SIGN = {  # sign of sin, cos, tan in quadrants 1..4
    1: {"sin": 1, "cos": 1, "tan": 1}, 2: {"sin": 1, "cos": -1, "tan": -1},
    3: {"sin": -1, "cos": -1, "tan": 1}, 4: {"sin": -1, "cos": 1, "tan": -1},
}


def _negate(value: str) -> str:
    return "0" if value == "0" else (value[1:] if value.startswith("-") else f"-{value}")


def _radians(degrees: int) -> str:
    g = math.gcd(degrees, 180)
    num, den = degrees // g, 180 // g
    if num == 0:
        return "0"
    head = {1: "pi", -1: "-pi"}.get(num, f"{num}*pi")
    return head if den == 1 else f"{head}/{den}"


class TrigKnobs(Knobs):
    radians: bool = False
    all_quadrants: bool = True
    turns: int = 0  # angles up to this many whole turns away (either way) from [0, 360)


@register
class TrigValues(Generator):
    id = "math.trig_values"
    version = "4"  # 4: the open/multiple-choice pick and the options' corner drawn from the item's key (issue #27); 3: options that need the work, screened sources, stated conventions (issue #14); 2: every question says that several candidates count as wrong
    domain, topic, level = "math", "trigonometry", "L1"
    mcq_options = "siblings"  # a table of a dozen values: slips would leave the key the likeliest
    formats = ("open", "mcq")
    answer_type = "expression"
    Config = TrigKnobs
    presets = {
        "easy": {"radians": False, "all_quadrants": False},
        "medium": {"radians": False, "all_quadrants": True},
        "hard": {"radians": True, "all_quadrants": True, "turns": 2},
    }
    _q = {"en": "What is the exact value of {f}({angle})?", "zh": "{f}({angle}) 的精确值是多少？"}

    @staticmethod
    def _one(rng, cfg) -> tuple[str, int, str]:
        func, ref = rng.choice(sorted(_TRIG))
        quadrant = rng.randint(1, 4) if cfg.all_quadrants and 0 < ref < 90 else 1
        angle = {1: ref, 2: 180 - ref, 3: 180 + ref, 4: 360 - ref}[quadrant]
        if cfg.turns:
            angle += 360 * rng.choice([t for t in range(-cfg.turns, cfg.turns + 1) if t])
        value = _TRIG[(func, ref)]
        if _QUADRANT_SIGN[quadrant][func] < 0:
            value = _negate(value)
        return func, angle, value

    @staticmethod
    def work(p: dict) -> float:
        return 1 + (p['degrees'] % 90 != 0 and p['degrees'] % 360 > 90) + (not 0 <= p['degrees'] < 360) + p['config']['radians']

    def draft(self, rng, cfg, lang, fmt_):
        func, angle, value = self._one(rng, cfg)
        shown = _radians(angle) if cfg.radians else (f"{angle} degrees" if lang == "en" else f"{angle}°")
        return Draft(
            question=self._q[lang].format(f=func, angle=shown),
            answer=value,
            answer_type="expression",
            answer_format=fmt("exact_constant", lang),
            params={"function": func, "degrees": angle},
            grader_args={"vars": []},
        )
