"""A labelled corpus of responses for every answer type, built from generated items.

Each response carries the verdict an examiner expects:
- `rewrite`: the gold written another honest way (notation, order, units, LaTeX) -> correct;
- `near_miss`: close to the gold but wrong (off by one, a sign, a missing element) -> not correct;
- `hedge`: several candidates offered, the gold among them -> not correct;
- `echo`: the question restated (an unevaluated derivative, the given name) -> not correct;
- `extra`: the gold in a form real models write beyond the ones each question promises (bold,
  `\\text{}`, a label, an approximation sign where a tolerance applies, prose) -> correct, as the
  README's grading policy says.

`fuzz` adds hostile responses (huge numbers, deep nesting, unclosed tags, junk) whose only
expectation is that grading returns a verdict within budget and never an exception.
Used by tests/test_grading_corpus.py and bench/grading_bench.py.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from fractions import Fraction

import sympy
from rdkit import Chem

from mintbench.items.registry import all_generators, build_item
from mintbench.items.schema import Item
from streams import secret

@dataclass(frozen=True)
class Labelled:
    item: Item
    response: str
    label: str  # rewrite, near_miss, hedge or echo

    @property
    def expect_correct(self) -> bool:
        return self.label in ("rewrite", "extra")


def tag(text: str) -> str:
    return f"<answer>{text}</answer>"


# -- rewrites and near misses per answer type ------------------------------------------------------

def _names(item: Item) -> tuple[str, ...]:
    return tuple(item.grader_args.get("vars", ("x",)))


def _sym(text: str, names=("x",)) -> sympy.Expr:
    return sympy.sympify(text, locals={n: sympy.Symbol(n) for n in names})


def _with_unit(item: Item, value: str) -> list[str]:
    unit = item.grader_args.get("unit")
    return [f"{value} {unit}", f"{value}\\,\\text{{{unit}}}" if unit != "%" else f"{value}\\%"] if unit else []


def _integer(item: Item) -> tuple[list[str], list[str]]:
    n = int(item.answer)
    rewrites = [str(n), f"{n}.", f"x = {n}", f"\\boxed{{{n}}}", f"{n} \\cdot 1", *_with_unit(item, str(n))]
    if abs(n) >= 1000:
        rewrites.append(f"{n:,}")
    near = [str(n + 1), str(n - 1), str(10 * n + 1)] + ([str(-n)] if n else [])
    near.append(f"{n - 4}\\binom{{4}}{{1}}")  # a product, (n - 4) * 4, never (n - 4) + 4
    split = next((a for a in range(2, 10) if n > 0 and n % a == 0 and 100 <= n // a <= 999), None)
    if split:
        near.append(f"{split} {n // split}")  # '2 906' is 2906 to a reader, never 2 * 906 = 1812
    return rewrites, near


def _rational(item: Item) -> tuple[list[str], list[str]]:
    q = Fraction(item.answer)
    sign = "-" if q < 0 else ""
    a = abs(q)
    rewrites = [str(q), f"{sign}\\frac{{{a.numerator}}}{{{a.denominator}}}", f"{sign}\\dfrac{{{a.numerator}}}{{{a.denominator}}}",
                f"{sign}{2 * a.numerator}/{2 * a.denominator}"]
    if a.denominator in (1, 2, 4, 5, 8, 10, 20, 25):
        rewrites.append(str(float(q)))
    near = [str(q + 1), str(-q) if q else "1", str(q + Fraction(1, 1000)), f"{float(q):.4f}" if float(q) != round(float(q), 4) else str(q + 2)]
    if a.denominator > 1:
        near.append(f"{sign}{a.numerator} 1/{a.denominator}")  # '-44 1/3' is -44⅓, never -44/3
    return rewrites, near


def _number(item: Item) -> tuple[list[str], list[str]]:
    v, tol = float(item.answer), max(item.tolerance.abs, item.tolerance.rel * abs(float(item.answer)))
    rewrites = [item.answer, f"{v + tol / 2:.4f}", f"{v:.3f}", *_with_unit(item, item.answer)]
    near = [f"{v + 3 * tol + 0.01:.2f}", f"{v - 3 * tol - 0.01:.2f}", f"{v * 10:.2f}"]
    unit = item.grader_args.get("unit")
    if unit:
        other = {"K": "°C", "°C": "K", "%": "bp", "Da": "K", "g/mol": "K"}[unit]
        near.append(f"{item.answer} {other}")
    return rewrites, near


def _choice(item: Item) -> tuple[list[str], list[str]]:
    g = item.answer
    letters = "ABCDEFGHIJ"[: len(item.choices) or 4]
    other = next(c for c in letters if c != g)
    return [g, f"({g})", f"{g}.", f"Option {g}", g.lower()], [other, f"({other})"]


def _boolean(item: Item) -> tuple[list[str], list[str]]:
    truth = item.answer == "true"
    return (["true", "True", "yes"] if truth else ["false", "False", "no"]), (["false", "no"] if truth else ["true", "yes"])


def _latex(expr: sympy.Expr) -> str:
    return sympy.latex(expr)


def _expression(item: Item) -> tuple[list[str], list[str]]:
    names = _names(item) or ()
    g = _sym(item.answer, names)
    if not names:  # an exact constant
        return [item.answer, _latex(g), str(sympy.nsimplify(g))], [str(g + 1), f"{float(g) + 1e-3:.16f}", f"{float(g):.16f}" if not g.is_Rational else str(g + 2)]
    x = sympy.Symbol(names[0])
    rewrites = [item.answer, _latex(g), str(sympy.expand(g)), f"y = {item.answer}", str(sympy.factor(g)),
                f"{item.answer} + (sin({x})**2 + cos({x})**2 - 1)*exp(3*{x})"]  # an identity: floats alone called it different
    near = [str(g + x), str(2 * g), str(-g), str(g + sympy.Abs(x) - x), str(g + x / 10**9)]
    return rewrites, near


def _antiderivative(item: Item) -> tuple[list[str], list[str]]:
    x = sympy.Symbol("x")
    g = _sym(item.answer)
    rewrites = [item.answer, f"{item.answer} + C", f"{_latex(g)} + C", f"{sympy.expand(g) + 5}", f"C + {item.answer}", f"{item.answer} + C_1",
                f"{item.answer} + c", f"{item.answer} + k", f"{item.answer} + C_0", f"{item.answer} + K"]
    near = [str(g + x), str(2 * g), str(g + sympy.Abs(x) - x), str(g + x / 10**9), str(sympy.diff(g, x))]
    return rewrites, near


def _factored(item: Item) -> tuple[list[str], list[str]]:
    x = sympy.Symbol("x")
    g = _sym(item.answer)
    # As written, not evaluated: SymPy would distribute a leading 2 into (x - 3), which is no longer factored.
    factors = sympy.Mul.make_args(sympy.parse_expr(item.answer, local_dict={"x": sympy.Symbol("x")}, evaluate=False))
    swapped = "*".join(f"({f})" for f in reversed(factors))
    return [item.answer, swapped, f"y = {item.answer}"], [str(sympy.expand(g)), str(sympy.factor(g + 1)), str(g + x)]


def _partial_fractions(item: Item) -> tuple[list[str], list[str]]:
    g = _sym(item.answer)
    terms = sympy.Add.make_args(g)
    x = sympy.Symbol("x")
    return [item.answer, " + ".join(f"({t})" for t in reversed(terms)), _latex(g)], [str(sympy.together(g)), str(g + 1 / (x + 7)), str(-g)]


def _sequence_formula(item: Item) -> tuple[list[str], list[str]]:
    n = sympy.Symbol("n")
    g = _sym(item.answer, ("n",))
    return [item.answer, _latex(g), f"a(n) = {item.answer}"], [str(g + n), str(2 * g), str(g + 1)]


def _ode(item: Item) -> tuple[list[str], list[str]]:
    x = sympy.Symbol("x")
    g = _sym(item.answer)
    return [item.answer, f"y = {item.answer}", _latex(g)], [str(g + sympy.exp(x)), str(2 * g + 1), str(-g)]


def _values(item: Item) -> list[sympy.Expr]:
    return [_sym(v.strip()) for v in item.answer.strip("{}()[] ").split(",") if v.strip()]


def _set(item: Item) -> tuple[list[str], list[str]]:
    vals = _values(item)
    body = ", ".join(str(v) for v in reversed(vals))
    near = ["{" + ", ".join(str(v) for v in vals[:-1]) + "}" if len(vals) > 1 else "{" + str(vals[0] + 1) + "}",
            "{" + ", ".join(str(v) for v in vals + [max(vals, key=lambda e: float(sympy.re(e))) + 1]) + "}",
            "{" + ", ".join(str(v) for v in vals[:-1] + [vals[-1] + 1]) + "}"]
    rewrites = [item.answer, "{" + body + "}", body, *(["{" + ", ".join(f"{v} bp" for v in vals) + "}"] if item.grader_args.get("unit") else [])]
    if item.answer_type == "set":
        rewrites.append(", ".join(f"x = {v}" for v in vals))
    return rewrites, near


def _tuple(item: Item) -> tuple[list[str], list[str]]:
    vals = _values(item)
    names = item.grader_args.get("vars", [])
    rewrites = [item.answer, "[" + ", ".join(str(v) for v in vals) + "]"]
    if names:
        rewrites.append(", ".join(f"{n} = {v}" for n, v in zip(names, vals)))
    near = ["(" + ", ".join(str(v) for v in vals[:-1] + [vals[-1] + 1]) + ")"]
    if len(set(vals)) > 1:
        swapped = list(vals)
        i = next(i for i in range(1, len(vals)) if vals[i] != vals[0])
        swapped[0], swapped[i] = swapped[i], swapped[0]
        near.append("(" + ", ".join(str(v) for v in swapped) + ")")
    return rewrites, near


def _interval(item: Item) -> tuple[list[str], list[str]]:
    a = item.answer
    latex = a.replace("-oo", "-\\infty").replace("oo", "\\infty").replace(" U ", " \\cup ")
    flipped = a.replace("[", "(", 1) if "[" in a else a.replace("(", "[", 1).replace("[-oo", "(-oo")
    near = [flipped] if flipped != a else []
    return [a, latex, a.replace(" U ", " ∪ ")], near + ["(-oo, oo)" if a != "(-oo, oo)" else "EmptySet"]


def _polynomial_constraints(item: Item) -> tuple[list[str], list[str]]:
    x = sympy.Symbol("x")
    g = _sym(item.answer)
    return [item.answer, str(sympy.factor(g)), _latex(g)], [str(2 * g), str(g + 1), str(g * x)]


def _linear_combination(item: Item) -> tuple[list[str], list[str]]:
    u, v = _values(item)
    return [item.answer, f"x = {u}, y = {v}", f"[{u}, {v}]"], [f"({u + 1}, {v})", f"({v}, {u})" if u != v else f"({u}, {v + 1})"]


def _sequence(item: Item) -> tuple[list[str], list[str]]:
    s = item.answer
    protein = item.grader_args.get("alphabet") == "protein"
    rewrites = [s, s.lower(), " ".join(s[i:i + 10] for i in range(0, len(s), 10))]
    if not protein:
        rewrites.append(f"5'-{s}-3'")
    swap = {"A": "C", "C": "G", "G": "T", "T": "A"} if not protein else {c: ("A" if c != "A" else "G") for c in s}
    near = [s[:-1] + swap.get(s[-1], "A")]
    if len(s) > 2:
        near.append(s[:-1])
    return rewrites, near


def _string_set(item: Item) -> tuple[list[str], list[str]]:
    toks = [t.strip() for t in item.answer.split(",")]
    pool = {"R": ["S"], "S": ["R"]}
    extra = "TTT" if all(len(t) == 3 and t.isupper() for t in toks) else "ketone" if "ketone" not in toks else "nitrile"
    near = [", ".join(toks + [extra])] if toks[0] not in pool else pool[toks[0]]
    if len(toks) > 1:
        near.append(", ".join(toks[:-1]))
    return [item.answer, ", ".join(reversed(toks)), item.answer.lower(), f"{item.answer}."], near


def _mutation(item: Item) -> tuple[list[str], list[str]]:
    kind, _, res = item.answer.partition(" ")
    rewrites = [item.answer, item.answer.capitalize(), f"{kind}: {res}".strip(": ")]
    other_kind = {"silent": "nonsense", "nonsense": "silent", "missense": "silent"}[kind]
    near = [other_kind] if other_kind != "missense" else []
    if kind == "missense":
        near.append(f"missense {'A' if res != 'A' else 'G'}")
    else:
        near.append("missense W")
    return rewrites, near


def _primer_pair(item: Item) -> tuple[list[str], list[str]]:
    f, r = [p.strip() for p in item.answer.split(",")]
    return [item.answer, f"forward: {f}, reverse: {r}", f"{f.lower()}, {r.lower()}"], [f"{r}, {f}", f"{f}, {r[::-1]}"]


def _coding_sequence(item: Item) -> tuple[list[str], list[str]]:
    s = item.answer
    return [s, s.lower(), " ".join(s[i:i + 3] for i in range(0, len(s), 3))], [s + "TAA", s[:-3], s[3:]]


def _structure(item: Item) -> tuple[list[str], list[str]]:
    mol = Chem.MolFromSmiles(item.answer)
    order = list(reversed(range(mol.GetNumAtoms())))
    reordered = Chem.MolToSmiles(Chem.RenumberAtoms(mol, order), canonical=False)
    kekule = Chem.Mol(mol)
    Chem.Kekulize(kekule, clearAromaticFlags=True)
    rewrites = [item.answer, Chem.MolToSmiles(mol), reordered, Chem.MolToSmiles(kekule, kekuleSmiles=True)]
    near = ["C" + Chem.MolToSmiles(mol)]  # one carbon more
    charged = _charged(mol)
    if charged:
        near.append(charged)
    return rewrites, near


def _charged(mol: Chem.Mol) -> str | None:
    """The same skeleton with one heteroatom protonated: a wrong charge."""
    for atom in mol.GetAtoms():
        if atom.GetSymbol() in ("N", "O") and atom.GetFormalCharge() == 0 and atom.GetTotalNumHs() > 0:
            rw = Chem.RWMol(mol)
            a = rw.GetAtomWithIdx(atom.GetIdx())
            a.SetFormalCharge(1)
            a.SetNumExplicitHs(atom.GetTotalNumHs() + 1)
            a.SetNoImplicit(True)
            try:
                Chem.SanitizeMol(rw)
            except Exception:
                return None
            return Chem.MolToSmiles(rw)
    return None


def _formula(item: Item) -> tuple[list[str], list[str]]:
    parts = re.findall(r"([A-Z][a-z]?)(\d*)", item.answer)
    charge = re.search(r"[+-]\d*$", item.answer)
    charge = charge.group(0) if charge else ""  # an ion's rewrite keeps its charge
    reversed_ = "".join(e + n for e, n in reversed(parts)) + charge
    latex = "".join(f"{e}_{{{n}}}" if n else e for e, n in parts) + (f"^{{{charge}}}" if charge else "")
    counts = {e: int(n or 1) for e, n in parts}

    def written(c: dict) -> str:
        return "".join(e + (str(n) if n > 1 else "") for e, n in c.items() if n)

    first = parts[0][0]
    near = [written({**counts, first: counts[first] + 1}), written({**counts, "H": counts.get("H", 0) + 2})]
    if not item.answer.endswith(("+", "-")):
        near.append(item.answer + "+")
    return [item.answer, reversed_, f"${latex}$"], near


def _design(item: Item) -> tuple[list[str], list[str]]:
    mol = Chem.MolFromSmiles(item.answer)
    return [item.answer, Chem.MolToSmiles(mol)], ["C", "CC[NH3+]"]


def _coefficients(item: Item) -> tuple[list[str], list[str]]:
    c = [int(v) for v in item.answer.split(",")]
    return [item.answer, " ".join(map(str, c)), ", ".join(map(str, c)) + "."], [", ".join(str(2 * v) for v in c), ", ".join(str(v + (i == 0)) for i, v in enumerate(c))]


FORMS = {
    "integer": _integer, "rational": _rational, "number": _number, "choice": _choice, "boolean": _boolean,
    "expression": _expression, "antiderivative": _antiderivative, "factored": _factored,
    "partial_fractions": _partial_fractions, "sequence_formula": _sequence_formula, "ode_solution": _ode,
    "set": _set, "multiset": _set, "tuple": _tuple, "interval": _interval,
    "polynomial_constraints": _polynomial_constraints, "linear_combination": _linear_combination,
    "sequence": _sequence, "string_set": _string_set, "mutation_effect": _mutation, "primer_pair": _primer_pair,
    "coding_sequence": _coding_sequence, "structure": _structure, "formula": _formula,
    "molecule_design": _design, "coefficients": _coefficients,
}


_SUPERSCRIPTS = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def _superscripted(text: str) -> str | None:
    """'x**10' -> 'x¹⁰', or None when the text has no integer power."""
    out = re.sub(r"\*\*(-?\d+)", lambda m: m.group(1).translate(_SUPERSCRIPTS), text)
    return out if out != text else None


def extra_forms(item: Item) -> list[str]:
    """The gold as models write it beyond the promised forms (README, grading policy)."""
    a, t = item.answer, item.answer_type
    wrapped = [f"**{a}**", f"\\textbf{{{a}}}", f"{a}."]
    if t == "integer":
        n = int(a)
        out = wrapped + [f"\\text{{{a}}}"]
        if abs(n) >= 1000:
            out += [f"{n:,}".replace(",", "\u2009"), f"{n:,}".replace(",", "\\,"), f"{n:,}".replace(",", " "), f"{n:,}".replace(",", "{,}")]
        if item.generator == "math.determinant":
            out += [f"\\det(A) = {a}", f"|A| = {a}"]
        if item.grader_args.get("unit") == "nt":
            out.append(f"{a} bp")
        return out
    if t == "rational":
        q = Fraction(a)
        out = wrapped + [f"\\mathbf{{{a}}}"]
        if q.denominator > 1 and abs(q) > 1:
            whole, part = divmod(abs(q.numerator), q.denominator)
            out.append(f"{'-' if q < 0 else ''}{whole} {part}/{q.denominator}")  # a mixed number
        if item.tolerance.abs or item.tolerance.rel:
            out.append(f"\\approx {float(q):.6f}")
        return out
    if t == "number":
        unit = item.grader_args.get("unit")
        out = wrapped + [f"\\approx {a}", f"≈ {a}", f"about {a}"]
        if unit:
            out += [f"≈ {a} {unit}", f"\\approx {a}\\,\\mathrm{{{unit}}}" if unit != "%" else f"\\approx {a}\\%"]
        if unit == "Da":
            out.append(f"{float(a) / 1000:.6f} kDa")
        return out
    if t == "choice":
        return wrapped + [f"\\text{{{a}}}", f"Option **{a}**", f"**({a})**"]
    if t == "boolean":
        word = "True" if a == "true" else "False"
        return [f"**{word}**", f"\\textbf{{{word}}}", f"It is {word.lower()}.", f"The statement is {word.lower()}.",
                "正确" if a == "true" else "不正确", f"\\text{{{word}}}"]
    if t in ("expression", "ode_solution", "sequence_formula", "factored", "partial_fractions", "polynomial_constraints"):
        name = "n" if t == "sequence_formula" else "x"
        # The written form is the answer for factored and partial-fraction items: SymPy's LaTeX
        # of the evaluated expression pulls a constant into a factor, (3x - 6).
        out = [f"**{a}**", f"${a}$." if t in ("factored", "partial_fractions") else f"${_latex(_sym(a, (name,)))}$."]
        sup = _superscripted(a)
        if sup and t in ("expression", "ode_solution"):
            out.append(sup)
        if item.generator == "math.derivative":
            out += [f"\\frac{{dy}}{{dx}} = {a}", f"f'(x) = {a}"]
        return out
    if t == "antiderivative":
        return [f"**{a} + C**", f"\\int f(x)\\,dx = {a} + C", f"F(x) = {a} + c"]
    if t in ("set", "multiset"):
        vals = [v.strip() for v in a.strip("{}()[] ").split(",") if v.strip()]
        out = [f"**{a}**"]
        if t == "set" and not item.grader_args.get("unit"):
            out.append(f"x \\in \\{{{', '.join(vals)}\\}}")
            if len(vals) > 1:
                out.append(" or ".join(f"x = {v}" for v in vals))
        return out
    if t == "tuple":
        vals = [v.strip() for v in a.strip("()[] ").split(",")]
        names = item.grader_args.get("vars", [])
        out = [f"**{a}**"]
        if names and len(names) == len(vals):
            out.append(f"({', '.join(names)}) = ({', '.join(vals)})")
            if len(vals) > 1:
                out.append(", ".join(f"{n} = {v}" for n, v in zip(names[:-1], vals[:-1])) + f" and {names[-1]} = {vals[-1]}")
        return out
    if t == "sequence":
        out = [f"**{a}**", f"{a}."]
        if item.grader_args.get("alphabet") == "protein" and len(a) == 1 and a in "ARNDCQEGHILKMFPSTWYV":
            from validators.sequences import _THREE_LETTER

            three = next(k.capitalize() for k, v in _THREE_LETTER.items() if v == a)
            out += [f"{a} ({three})", f"{three} ({a})"]
        return out
    if t == "string_set":
        out = [f"**{a}**"]
        if a in ("R", "S"):
            out += [f"{a} configuration", f"({a})", f"{a}-configuration"]
        return out
    if t in ("structure", "molecule_design"):
        return [f"{a}.", f"**{a}**", f"`{a}`"]
    if t == "formula":
        parts = re.findall(r"([A-Z][a-z]?)(\d*)", a)
        if re.search(r"[+-]\d*$", a):
            return [f"**{a}**", f"\\ce{{{a}}}"]
        latex = "".join(f"{e}_{{{n}}}" if n else e for e, n in parts)
        return [f"**{a}**", f"\\ce{{{a}}}", f"\\mathrm{{{latex}}}", f"{a}."]
    if t == "coefficients":
        return [f"**{a}**", f"{a}."]
    return [f"**{a}**"]


def hedges(item: Item, near: list[str]) -> list[str]:
    if item.answer_type == "choice":
        others = [c for c in "ABCD" if c != item.answer]
        return [f"{item.answer} or {others[0]}", f"{others[0]} and {item.answer}", "A B C D", f"{others[1]}/{item.answer}"]
    if item.answer_type == "boolean":
        return ["true or false"]
    out = [f"{item.answer} or {near[0]}", f"{near[0]} or {item.answer}"]
    if item.answer_type in ("integer", "rational", "number"):
        out.append(f"{near[0]} = {item.answer}")
    if item.answer_type == "mutation_effect" and item.answer.startswith("missense"):
        out += [f"{item.answer}/A", "missense ACDEFGHIKLMNPQRSTVWY"]
    return out


def echoes(item: Item) -> list[str]:
    """The question handed back as its answer."""
    p = item.params
    g = item.generator
    if g == "math.derivative":
        return [f"\\frac{{d}}{{dx}}\\left({_latex(_sym(p['f']))}\\right)", f"diff({p['f']}, x)", f"Derivative({p['f']}, x)"]
    if g == "math.antiderivative":
        return [f"\\int {_latex(_sym(p['integrand']))} \\, dx", f"integrate({p['integrand']}, x)"]
    if g == "math.trig_values":
        return [f"{p['function']}({p['degrees']}*pi/180)", f"\\{p['function']}\\left({p['degrees']}^\\circ\\right)"]
    if g == "math.determinant":
        rows = " \\\\ ".join(" & ".join(str(v) for v in r) for r in p["matrix"])
        return [f"\\det\\begin{{pmatrix}}{rows}\\end{{pmatrix}}", f"det(Matrix({p['matrix']}))",
                f"\\begin{{vmatrix}}{rows}\\end{{vmatrix}}", f"\\left|\\begin{{matrix}}{rows}\\end{{matrix}}\\right|"]
    if g == "math.limit":
        return [f"\\lim_{{x \\to {p['point']}}} \\frac{{{_latex(_sym(p['numerator']))}}}{{{_latex(_sym(p['denominator']))}}}"]
    if g == "chemistry.name_to_structure":
        name = re.search(r"named (.+?)\. ", item.question)
        return [name.group(1)] if name else []
    return []


def labelled_for(item: Item) -> list[Labelled]:
    rewrites, near = FORMS[item.answer_type](item)
    out = [Labelled(item, tag(r), "rewrite") for r in dict.fromkeys(rewrites)]
    out += [Labelled(item, tag(n), "near_miss") for n in dict.fromkeys(near) if n != item.answer]
    out += [Labelled(item, tag(h), "hedge") for h in hedges(item, near)]
    out += [Labelled(item, tag(e), "echo") for e in echoes(item)]
    out += [Labelled(item, tag(x), "extra") for x in dict.fromkeys(extra_forms(item)) if x not in rewrites]
    return out


def items(per_generator: int, seed: int = 0) -> list[Item]:
    """Open items of every generator (and its choice items), easy and hard, sealed streams."""
    out = []
    for gen in all_generators():
        fmt = "open" if "open" in gen.formats else gen.formats[0]
        for i in range(per_generator):
            difficulty = ("easy", "medium", "hard")[i % 3]
            out.append(build_item(gen.id, 0, i, difficulty=difficulty, fmt=fmt, secret=secret(1000 + seed)))
    return out


def corpus(per_generator: int, seed: int = 0) -> list[Labelled]:
    return [entry for item in items(per_generator, seed) for entry in labelled_for(item)]


# -- hostile responses ------------------------------------------------------------------------------

_HOSTILE_PIECES = [
    "1e99999999", "9**9**9**9", "((10**400)**400)**400", "(" * 500 + "1" + ")" * 500, "\\frac{" * 200 + "1" + "}" * 200,
    "x" * 5000, "\\left(" * 300, "1,2,3," * 300, "A " * 2000 + "!", "<think>" + "z" * 50_000, "\u0000\ufffd\u202e",
    "C" * 400, "[Na+]." * 100, "O=C=O" * 80, "missense " + "X" * 1000, "{" * 1000, "\\begin{pmatrix}" * 100,
    "2^{2^{2^{2^{2^{2^{2}}}}}}", "exp(exp(exp(exp(x))))", "sqrt(-1)**0.5", "1/0", "0/0", "oo - oo", "zoo", "nan",
    "__import__('os').system('echo pwned')", "lambda: 1", "Integer(10)**Integer(10)**Integer(10)", "x" + " +  " * 2000,
    "𝟙𝟚𝟛", "一二三", "١٢٣", "ＡＢＣ", "\\int\\int\\int", "\\sum_{k=1}^{10^{10}} k", "\\lim_{x\\to\\infty}", "|" * 300,
]


def fuzz(items_: list[Item], count: int, seed: int = 0) -> list[tuple[Item, str]]:
    """Hostile responses: pieces spliced, truncated and wrapped in tags or not."""
    rng = random.Random(seed)
    out = []
    for k in range(count):
        item = items_[k % len(items_)]
        body = "".join(rng.choice(_HOSTILE_PIECES)[: rng.choice((10, 100, 10_000))] for _ in range(rng.randint(1, 3)))
        if rng.random() < 0.3:
            body = item.answer + rng.choice((" ", "", "\n", "=", ",")) + body
        if rng.random() < 0.2:
            body = "".join(rng.choice("0123456789+-*/^(){}[]\\,.xe ") for _ in range(rng.randint(1, 300)))
        wrap = rng.choice(("<answer>{}</answer>", "<answer>{}", "\\boxed{{{}}}", "{}", "<answer><answer>{}</answer>", "<think>{}</think><answer>{}</answer>"))
        out.append((item, wrap.replace("{}", body, 2) if wrap.count("{}") == 2 else wrap.format(body)))
    return out
