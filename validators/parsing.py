"""Read answer text as numbers and SymPy expressions, safely.

Responses are untrusted text. SymPy's `parse_expr` evaluates Python, so plain-text input is
first restricted to arithmetic characters and a whitelist of names; LaTeX goes through
latex2sympy (the parser math-verify uses). Huge exponents are refused before evaluation.
"""

from __future__ import annotations

import math
import re
from fractions import Fraction
from functools import lru_cache

import sympy
from sympy.parsing.sympy_parser import (
    convert_xor,
    implicit_multiplication_application,
    parse_expr,
    standard_transformations,
)

from validators.result import Unparsable

MAX_ANSWER_CHARS = 2_000
MAX_EXPONENT = 400
MAX_DIGITS = 2_000  # an answer's numbers may not reach 10**2000, however they are written

_FUNCTIONS = {
    "sin": sympy.sin, "cos": sympy.cos, "tan": sympy.tan, "cot": sympy.cot,
    "sec": sympy.sec, "csc": sympy.csc, "asin": sympy.asin, "acos": sympy.acos,
    "atan": sympy.atan, "arcsin": sympy.asin, "arccos": sympy.acos, "arctan": sympy.atan,
    "sinh": sympy.sinh, "cosh": sympy.cosh, "tanh": sympy.tanh, "acot": sympy.acot, "arccot": sympy.acot,
    "asinh": sympy.asinh, "acosh": sympy.acosh, "atanh": sympy.atanh,
    "arsinh": sympy.asinh, "arcosh": sympy.acosh, "artanh": sympy.atanh, "arcsinh": sympy.asinh, "arccosh": sympy.acosh, "arctanh": sympy.atanh,
    "exp": sympy.exp, "log": sympy.log, "ln": sympy.log, "sqrt": sympy.sqrt,
    "abs": sympy.Abs, "Abs": sympy.Abs,
}
_CONSTANTS = {"pi": sympy.pi, "E": sympy.E, "oo": sympy.oo, "I": sympy.I}
# parse_expr's transformations emit calls to these names; nothing else is reachable.
_GLOBALS = {
    "__builtins__": {}, "Integer": sympy.Integer, "Float": sympy.Float, "Rational": sympy.Rational,
    "Symbol": sympy.Symbol, "Add": sympy.Add, "Mul": sympy.Mul, "Pow": sympy.Pow,
}
_TRANSFORMS = standard_transformations + (implicit_multiplication_application, convert_xor)
_PLAIN_CHARS = re.compile(r"^[0-9A-Za-z_+\-*/^()., \t\[\]]*$")
_LONG_NUMBER = re.compile(r"\d{40}")
_NAME = re.compile(r"[A-Za-z_][A-Za-z_0-9]*")
_UNICODE = str.maketrans({"−": "-", "×": "*", "·": "*", "÷": "/", "π": "pi", "∞": "oo", "（": "(", "）": ")", "，": ","})
# Superscript powers, any digits and a sign: x⁶, x¹⁰, x⁻¹.
_SUPERSCRIPT = re.compile(r"[⁻⁺]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+")
_SUPERSCRIPT_DIGITS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺", "0123456789-+")
# Digit groups a reader joins: '2 906', '-2\,756', '1{,}894', '12 345 678' (thin, no-break and
# LaTeX spaces too). Groups after the first are exactly three digits.
_GROUP_GAP = r"(?:\\[,;: !]|~|\{,\}|[ \u00a0\u2009\u202f])+"
_DIGIT_GROUPS = re.compile(rf"(?<![\d.,])\d{{1,3}}(?:{_GROUP_GAP}\d{{3}})+(?![\d])")
# Digits on both sides of a gap that is no thousands separator: '2 90' is neither 290 nor 2*90.
_DIGIT_GAP = re.compile(rf"\d{_GROUP_GAP}\d")
_MIXED = re.compile(r"^\s*([+-]?)\s*(\d+)\s+(\d+)\s*/\s*(\d+)\s*$")

_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
_FRACTION = re.compile(r"^\s*([+-]?)\s*(\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)\s*(?:/\s*(\d+(?:\.\d+)?))?\s*$")
_LATEX_FRAC = re.compile(r"^\s*([+-]?)\s*\\[dt]?frac\s*\{\s*(\d+)\s*\}\s*\{\s*(\d+)\s*\}\s*$")


def _join_groups(text: str) -> str:
    """Digit groups joined, a mixed number read as one ('-44 1/3' is -44⅓ to a reader, never
    -44/3), and any other space between digits refused (never read as a product)."""
    text = _DIGIT_GROUPS.sub(lambda m: re.sub(r"\D", "", m.group(0)), text)
    m = _MIXED.match(text)
    if m:
        sign, whole, num, den = m.groups()
        if int(num) >= int(den):
            raise Unparsable("neither a mixed number nor a fraction")
        return f"{sign}({whole} + {num}/{den})"
    if _DIGIT_GAP.search(text):
        raise Unparsable("digits separated by a space that is no thousands separator")
    return text


def clean(text: str) -> str:
    if len(text) > MAX_ANSWER_CHARS:
        raise Unparsable("answer too long")
    text = _SUPERSCRIPT.sub(lambda m: "**(" + m.group(0).translate(_SUPERSCRIPT_DIGITS) + ")", text)
    return _join_groups(text.translate(_UNICODE).strip().rstrip(".").strip())


# A bare integer or fraction (most golds, many answers) needs none of the reading below; 2,000
# digits is MAX_DIGITS, the largest number any other spelling may reach.
BARE_INTEGER = re.compile(r"-?[0-9]{1,2000}")
BARE_RATIONAL = re.compile(r"(-?[0-9]{1,2000})(?:/([0-9]{1,2000}))?")


def parse_fraction(text: str) -> Fraction:
    """Exact rational from '3', '-1/2', '0.25', '2.5e-3', '1,894' or '\\frac{1}{2}'."""
    bare = BARE_RATIONAL.fullmatch(text)
    if bare:
        num, den = bare.groups()
        if den is None:
            return Fraction(int(num))
        if int(den) == 0:
            raise Unparsable("division by zero")
        return Fraction(int(num), int(den))
    text = clean(text)
    if _THOUSANDS.match(text):  # '1,894' and '12,345.5': separators, not a list
        text = text.replace(",", "")
    m = _FRACTION.match(text)
    if m:
        sign, num, den = m.groups()
        exponent = re.search(r"[eE]([+-]?\d+)$", num)
        if exponent and abs(int(exponent.group(1))) > MAX_DIGITS:  # '1e9999999999' would build a huge integer
            raise Unparsable("number too large")
        if den is not None and Fraction(den) == 0:
            raise Unparsable("division by zero")
        value = Fraction(num) / Fraction(den or 1)
        return -value if sign == "-" else value
    m = _LATEX_FRAC.match(text)
    if m:
        sign, num, den = m.groups()
        if int(den) == 0:
            raise Unparsable("division by zero")
        value = Fraction(int(num), int(den))
        return -value if sign == "-" else value
    expr = parse_expression(text)
    if not isinstance(expr, sympy.Expr):
        raise Unparsable("not a single number")  # '1, 2' reads as a tuple
    if _arithmetic_only(expr):  # '321 \\cdot 1' from LaTeX stays unevaluated until asked
        expr = expr.doit()
    if not expr.is_Rational:
        raise Unparsable("not a rational number")
    return Fraction(int(expr.p), int(expr.q))


def _arithmetic_only(expr: sympy.Basic) -> bool:
    """Numbers joined by + * / and powers: safe to evaluate. A determinant, a derivative or a
    sum written out is a restated question, never evaluated into an answer."""
    return all(isinstance(node, (sympy.Number, sympy.Add, sympy.Mul, sympy.Pow)) for node in sympy.preorder_traversal(expr))


def parse_integer(text: str) -> int:
    if BARE_INTEGER.fullmatch(text):
        return int(text)
    value = parse_fraction(text)
    if value.denominator != 1:
        raise Unparsable("not an integer")
    return int(value)


def _digits(node: sympy.Basic) -> float:
    """An upper bound on log10 of a constant subexpression's size, without evaluating it:
    '((10**400)**400)**400' is refused here, though each exponent alone is small."""
    if node.is_Integer or node.is_Float or node.is_Rational:
        return math.log10(abs(float(node)) + 1) if abs(node) < 10**300 else MAX_DIGITS * 10.0
    if isinstance(node, sympy.Pow) and not node.free_symbols:
        if _digits(node.exp) > 6:  # evaluating 9**(9**9) as an exponent would itself never return
            return MAX_DIGITS * 10.0
        try:
            exp = abs(complex(node.exp.evalf(5)))
        except (TypeError, ValueError, OverflowError):
            return MAX_DIGITS * 10.0
        return max(_digits(node.base), 1.0) * max(exp, 1.0)
    if isinstance(node, (sympy.Mul, sympy.Add)):
        return sum(_digits(a) for a in node.args)
    return sum(_digits(a) for a in node.args) if node.args else 0.0


def _guard_exponents(expr: sympy.Basic) -> None:
    """Refuse power towers before SymPy evaluates them: '9**9**9**9' would never return."""
    if _digits(expr) > MAX_DIGITS:
        raise Unparsable("number too large")
    for node in sympy.preorder_traversal(expr):
        if node.is_Integer and abs(node) > 10**60:
            raise Unparsable("number too large")
        if isinstance(node, sympy.Pow) and not node.exp.free_symbols:
            try:
                size = abs(complex(node.exp.evalf(5)))
            except (TypeError, ValueError, OverflowError):
                raise Unparsable("exponent cannot be evaluated") from None
            if size > MAX_EXPONENT:
                raise Unparsable("exponent too large")


def _is_latex(text: str) -> bool:
    return "\\" in text or "{" in text


@lru_cache(maxsize=4096)
def _parse_plain(text: str, variables: tuple[str, ...]) -> sympy.Expr:
    if not _PLAIN_CHARS.match(text):
        raise Unparsable("unexpected characters")
    local = {**_FUNCTIONS, **_CONSTANTS}
    for v in variables:
        local[v] = sympy.Symbol(v)
    if "e" not in variables:
        local["e"] = sympy.E
    for name in _NAME.findall(text):
        if name not in local:
            raise Unparsable(f"unknown name {name!r}")
    try:
        if "^" in text or "**" in text or _LONG_NUMBER.search(text):
            raw = parse_expr(text, local_dict=local, global_dict=dict(_GLOBALS), transformations=_TRANSFORMS, evaluate=False)
            _guard_exponents(raw)
        return parse_expr(text, local_dict=local, global_dict=dict(_GLOBALS), transformations=_TRANSFORMS)
    except Unparsable:
        raise
    except Exception:
        raise Unparsable("not a valid expression") from None


_INVERSE_LATEX = {
    "asin": r"\arcsin", "acos": r"\arccos", "atan": r"\arctan", "acot": r"\arccot", "arccot": r"\arccot",
    "asinh": r"\sinh^{-1}", "acosh": r"\cosh^{-1}", "atanh": r"\tanh^{-1}",
    "arcsinh": r"\sinh^{-1}", "arccosh": r"\cosh^{-1}", "arctanh": r"\tanh^{-1}",
}
_OPERATOR_NAME = re.compile(r"\\operatorname\{(" + "|".join(_INVERSE_LATEX) + r")\}")


_NUMBER_BESIDE_FRACTION = re.compile(r"\d\s*\\[dt]?frac\s*\{\s*\d+\s*\}\s*\{\s*\d+\s*\}|\\[dt]?frac\s*\{\s*\d+\s*\}\s*\{\s*\d+\s*\}\s*\d")
_NUMBER_BEFORE_BINOM = re.compile(r"(\d)\s*(?=\\[dt]?binom)")
_BINOM_BEFORE_NUMBER = re.compile(r"(\\[dt]?binom\s*\{[^{}]*\}\s*\{[^{}]*\})\s*(\d)")


@lru_cache(maxsize=4096)
def _parse_latex(text: str, variables: tuple[str, ...]) -> sympy.Expr:
    from latex2sympy2_extended import latex2sympy

    # \log without a base is the natural logarithm: SymPy itself prints log(x) as \log{...}.
    text = re.sub(r"\\log(?!_)", r"\\ln", text)
    # SymPy prints inverse functions as \operatorname{asin}, \operatorname{atanh}, ...: the LaTeX
    # reader knows them as \arcsin and \sinh^{-1}.
    text = _OPERATOR_NAME.sub(lambda m: _INVERSE_LATEX[m.group(1)], text)
    # The LaTeX reader adds a number and a construct written beside it ('1423\\binom{4}{1}' read
    # as 1427, '2\\frac{1}{3}' as 7/3): a binomial beside a number is a product, and a number
    # beside a numeric fraction is refused (a mixed number to one reader, a product to another).
    if _NUMBER_BESIDE_FRACTION.search(text):
        raise Unparsable("a number beside a fraction: a mixed number or a product?")
    text = _NUMBER_BEFORE_BINOM.sub(r"\1 \\cdot ", text)
    text = _BINOM_BEFORE_NUMBER.sub(r"\1 \\cdot \2", text)
    try:
        expr = latex2sympy(text)
    except Exception:
        raise Unparsable("not valid LaTeX") from None
    if not isinstance(expr, sympy.Expr):
        raise Unparsable("not an expression")
    allowed = set(variables)
    renames = {}
    for sym in expr.free_symbols:
        name = str(sym)
        if name == "e" and "e" not in allowed:
            renames[sym] = sympy.E
        elif name not in allowed:
            raise Unparsable(f"unknown name {name!r}")
        else:
            renames[sym] = sympy.Symbol(name)
    _guard_exponents(expr)
    return expr.xreplace(renames)


def clear_caches() -> None:
    """Every text reader's cache (benchmarks read each text cold)."""
    from validators import arith

    _parse_plain.cache_clear()
    _parse_latex.cache_clear()
    arith._tree.cache_clear()  # numtext reads through it too


MAX_DEPTH = 40  # brackets nested deeper than any answer: '{{{{…' cost the LaTeX parser 5 s


def check_structure(text: str) -> None:
    """Refuse, before any parser sees it, text nested too deeply or with unbalanced braces."""
    depth = deepest = 0
    for ch in text:
        if ch in "([{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in ")]}":
            depth -= 1
    if deepest > MAX_DEPTH or text.count("\\left") > MAX_DEPTH:
        raise Unparsable("answer too deeply nested")
    if _is_latex(text) and text.count("{") != text.count("}"):
        raise Unparsable("unbalanced braces")


def parse_expression(text: str, variables: tuple[str, ...] = ()) -> sympy.Expr:
    """A SymPy expression over the given variable names (plain syntax or LaTeX)."""
    text = clean(text)
    if not text:
        raise Unparsable("empty answer")
    # 'f(x) = ...' and 'y = ...': the expression is the right-hand side.
    if "=" in text:
        text = text.rsplit("=", 1)[1].strip()
    check_structure(text)
    expr = _parse_latex(text, tuple(variables)) if _is_latex(text) else _parse_plain(text, tuple(variables))
    if not isinstance(expr, sympy.Expr):
        raise Unparsable("not a single expression")  # '2*x 1,2,3' reads as a tuple
    return expr


def parse_unevaluated(text: str, variables: tuple[str, ...]) -> sympy.Expr:
    """The expression as written (no auto-distribution), for form checks."""
    text = clean(text)
    if "=" in text:
        text = text.rsplit("=", 1)[1].strip()
    check_structure(text)
    if _is_latex(text):
        expr = _parse_latex(text, tuple(variables))
    else:
        _parse_plain(text, tuple(variables))  # validates characters and names
        local = {**_FUNCTIONS, **_CONSTANTS, **{v: sympy.Symbol(v) for v in variables}}
        try:
            expr = parse_expr(text, local_dict=local, global_dict=dict(_GLOBALS), transformations=_TRANSFORMS, evaluate=False)
        except Exception:
            raise Unparsable("not a valid expression") from None
    if not isinstance(expr, sympy.Expr):
        raise Unparsable("not a single expression")  # a trailing comma reads as a tuple
    return expr


def split_top_level(text: str, seps: str = ",;") -> list[str]:
    """Split on separators outside brackets: '(1, 2), 3' -> ['(1, 2)', '3']."""
    parts, depth, cur = [], 0, []
    for ch in text:
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        if ch in seps and depth == 0:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    parts.append("".join(cur))
    return [p.strip() for p in parts if p.strip()]


def strip_brackets(text: str) -> str:
    text = text.strip()
    for left, right in (("\\{", "\\}"), ("\\left\\{", "\\right\\}"), ("{", "}"), ("(", ")"), ("[", "]"), ("\\left(", "\\right)")):
        if text.startswith(left) and text.endswith(right):
            inner = text[len(left): len(text) - len(right)]
            if _balanced(inner):
                return inner.strip()
    return text


def _balanced(text: str) -> bool:
    depth = 0
    for ch in text:
        depth += ch in "([{"
        depth -= ch in ")]}"
        if depth < 0:
            return False
    return depth == 0
