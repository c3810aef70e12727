"""Problems composed of steps, as DyVal composes them: a directed acyclic graph of small
computations (a remainder of a power, a totient, a derivative at a point, a 2x2 determinant,
an integral, a linear combination), each feeding one or two later ones, and one value asked.

Hard reaches past textbook size by depth, not by the size of its numbers: each step is a line
a student can do, and the work is in carrying every value through the graph without a slip.
Every value is bounded (|v| <= BOUND), and every step but the last feeds a later one, so no
line of the question can be skipped.
"""

from __future__ import annotations

from typing import Callable

from pydantic import Field

from generators.math._common import fmt, linear_form
from mintbench.items.registry import Draft, Generator, Knobs, register

BOUND = 5000
NAMES = "ABCDEFGHJKLMNPQRSTUVW"  # no I or O: they read as 1 and 0


def totient(n: int) -> int:
    result, p, m = n, 2, n
    while p * p <= m:
        if m % p == 0:
            while m % p == 0:
                m //= p
            result -= result // p
        p += 1
    return result - result // m if m > 1 else result


# Each step: (arity, draw its constants, value from (parent values, constants), en text, zh text).
# The texts name the parents u (and w) and the constants; values are Python integers here and
# SymPy's in the proof (validators/proofs/math.py), two routes to the same number.
def _linear(rng) -> dict:
    return {"a": rng.choice([-3, -2, 2, 3, 4, 5]), "b": rng.randint(-9, 9)}


def _modpow(rng) -> dict:
    return {"k": rng.randint(2, 9), "m": rng.randint(5, 31)}


def _totient(rng) -> dict:
    return {"c": rng.randint(1, 40)}


def _derivative(rng) -> dict:
    return {"k": rng.randint(2, 4), "a": rng.choice([-5, -4, -3, -2, 2, 3, 4, 5]), "t": rng.choice([-2, -1, 2, 3])}


def _integral(rng) -> dict:
    return {"k": rng.randint(1, 3), "t": rng.randint(1, 3)}


def _det(rng) -> dict:
    return {"a": rng.choice([-4, -3, -2, 2, 3, 4, 5]), "b": rng.choice([-4, -3, -2, 2, 3, 4, 5])}


def _combine(rng) -> dict:
    return {"a": rng.choice([-3, -2, 2, 3]), "b": rng.choice([-3, -2, -1, 1, 2, 3])}


def _value(op: str, args: list[int], c: dict) -> int:
    u = args[0]
    if op == "linear":
        return c["a"] * u + c["b"]
    if op == "modpow":
        return pow(u, c["k"], c["m"])
    if op == "totient":
        return totient(abs(u) + c["c"])
    if op == "derivative":  # f(x) = u*x**k + a*x, f'(t)
        return u * c["k"] * c["t"] ** (c["k"] - 1) + c["a"]
    if op == "integral":  # integral of (k+1)*u*x**k from 0 to t
        return u * c["t"] ** (c["k"] + 1)
    if op == "det":  # [[u, a], [b, w]]
        return u * args[1] - c["a"] * c["b"]
    if op == "combine":
        return c["a"] * u + c["b"] * args[1]
    raise ValueError(op)


OPS: dict[str, tuple[int, Callable]] = {
    "linear": (1, _linear), "modpow": (1, _modpow), "totient": (1, _totient), "derivative": (1, _derivative),
    "integral": (1, _integral), "det": (2, _det), "combine": (2, _combine),
}
NARROW = ("modpow", "totient")
WEIGHT = {"linear": 1, "modpow": 2, "totient": 2, "derivative": 2, "integral": 2, "det": 2, "combine": 1}


def step_text(node: dict, lang: str) -> str:
    """One line of the question: the step's name, what it is, in terms of earlier names."""
    v, op, c = node["name"], node["op"], node["c"]
    u = node["args"][0]
    w = node["args"][1] if len(node["args"]) > 1 else None
    en = lang == "en"
    if op == "linear":
        return f"{v} = {linear_form([(c['a'], u)], c['b'])}"
    if op == "modpow":
        return (f"{v} = the remainder of {u}**{c['k']} divided by {c['m']} (between 0 and {c['m'] - 1})" if en
                else f"{v} = {u}**{c['k']} 除以 {c['m']} 的余数（在 0 到 {c['m'] - 1} 之间）")
    if op == "totient":
        return f"{v} = phi(|{u}| + {c['c']}), Euler's totient" if en else f"{v} = phi(|{u}| + {c['c']})，即欧拉函数值"
    if op == "derivative":
        f = f"{u}*x**{c['k']} {'+' if c['a'] > 0 else '-'} {abs(c['a'])}*x"
        return (f"{v} = f'({c['t']}) for f(x) = {f}" if en else f"{v} = f'({c['t']})，其中 f(x) = {f}")
    if op == "integral":
        g = f"{c['k'] + 1}*{u}*" + (f"x**{c['k']}" if c["k"] > 1 else "x")
        return (f"{v} = the integral of {g} with respect to x from x = 0 to x = {c['t']}" if en
                else f"{v} = {g} 对 x 从 x = 0 到 x = {c['t']} 的定积分")
    if op == "det":
        m = f"[[{u}, {c['a']}], [{c['b']}, {w}]]"
        return f"{v} = the determinant of the matrix {m} (given row by row)" if en else f"{v} = 矩阵 {m}（按行给出）的行列式"
    if op == "combine":
        return f"{v} = {linear_form([(c['a'], u), (c['b'], w)])}"
    raise ValueError(op)


class ComposedKnobs(Knobs):
    steps: int = Field(4, ge=1, le=len(NAMES) - 2)  # computation steps after the starting value
    two_parent_share: float = Field(0.3, ge=0.0, le=1.0)  # how often a step joins two earlier values


def compose(rng, cfg: ComposedKnobs) -> tuple[list[dict], int]:
    """The graph (a start value, then `steps` steps, every one but the last used later) and
    the value of its last step. Draws again, from the same stream, when a value leaves the bound."""
    while True:
        start = rng.randint(2, 12)
        nodes = [{"name": NAMES[0], "op": "start", "args": [], "c": {"value": start}}]
        values = {NAMES[0]: start}
        unused = [NAMES[0]]
        ok = True
        for i in range(1, cfg.steps + 1):
            name = NAMES[i]
            # Join two values when asked, and always while two would otherwise stay unused.
            two = len(unused) > 1 or (i > 1 and rng.random() < cfg.two_parent_share)
            # The asked value is never a remainder or a totient: their small ranges make it guessable.
            choices = [op for op, (arity, _) in OPS.items() if arity == (2 if two else 1) and not (i == cfg.steps and op in NARROW)]
            op = rng.choice(choices)
            # A new branch from an earlier value, joined by a later step (never on the last two).
            branch = not two and i > 1 and i <= cfg.steps - 2 and rng.random() < cfg.two_parent_share
            first = rng.choice([n for n in values if n not in unused]) if branch else unused[0]
            if two:
                rest = unused[1:] or [n for n in values if n != first]
                args = [first, rng.choice(rest)]
            else:
                args = [first]
            c = OPS[op][1](rng)
            value = _value(op, [values[a] for a in args], c)
            if abs(value) > BOUND:
                ok = False
                break
            nodes.append({"name": name, "op": op, "args": args, "c": c})
            values[name] = value
            unused = [n for n in unused if n not in args] + [name]
            if len(unused) > 2:
                ok = False
                break
        if ok and unused == [NAMES[cfg.steps]]:
            return nodes, values[NAMES[cfg.steps]]


@register
class ComposedSteps(Generator):
    id = "math.composed_steps"
    version = "1"
    domain, topic, level = "math", "multi_step", "L3"
    answer_type = "integer"
    Config = ComposedKnobs
    presets = {"easy": {"steps": 2, "two_parent_share": 0.0}, "medium": {"steps": 4}, "hard": {"steps": 8, "two_parent_share": 0.4}}
    _q = {
        "en": "Work out the values below in order; each line uses values defined above it. Give the value of {last}.\n{lines}",
        "zh": "按顺序计算下列各值，每一行只用到它上面已定义的值。求 {last} 的值。\n{lines}",
    }

    @staticmethod
    def work(p: dict) -> float:
        return float(sum(WEIGHT[n["op"]] for n in p["nodes"] if n["op"] != "start"))

    def draft(self, rng, cfg, lang, fmt_):
        nodes, value = compose(rng, cfg)
        start = nodes[0]
        lines = [f"{start['name']} = {start['c']['value']}"] + [step_text(n, lang) for n in nodes[1:]]
        return Draft(
            question=self._q[lang].format(last=nodes[-1]["name"], lines="\n".join(lines)),
            answer=str(value),
            answer_type="integer",
            answer_format=fmt("integer", lang),
            params={"nodes": nodes},
        )

