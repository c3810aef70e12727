"""Units after a number: the unit the question states is accepted in its usual spellings,
any other known unit makes the answer wrong ('516.65 K' for a kelvin item is right,
'243.5 °C' is not, whatever the number)."""

from __future__ import annotations

import re
from fractions import Fraction

from validators.parsing import parse_fraction
from validators.result import Unparsable

# Canonical unit -> spellings, compared after `_normalise` (lower case, no LaTeX wrappers or spaces).
SPELLINGS: dict[str, tuple[str, ...]] = {
    "K": ("k", "kelvin", "kelvins"),
    "°C": ("°c", "℃", "ºc", "degc", "degreesc", "degreescelsius", "celsius", "°celsius"),
    "Da": ("da", "dalton", "daltons", "u"),
    "kDa": ("kda", "kilodaltons"),
    "g/mol": ("g/mol", "gmol-1", "gmol^-1", "gmol^{-1}", "g·mol⁻¹", "gmol⁻¹", "g*mol^-1", "grams/mol", "gpermol"),
    "%": ("%", "percent", "pct"),
    "nt": ("nt", "nucleotides", "nucleotide", "bases"),
    "bp": ("bp", "basepairs", "basepair"),
    "aa": ("aa", "aminoacids", "residues"),
}
# A molecule's mass in g/mol and in Da is the same number. A length asked in nt may be given in
# bp: the items that ask in nt measure DNA records, whose length in base pairs is the same count.
# Not the other way: a length asked in bp (a digest's double-stranded fragments) given in nt
# names a single strand.
SAME_QUANTITY = {"g/mol": {"g/mol", "Da"}, "Da": {"Da", "g/mol"}, "nt": {"nt", "bp"}}
# The same quantity in a scaled unit: the number is converted exactly ('3.60002 kDa' is 3600.02 Da).
SCALED = {("Da", "kDa"): 1000, ("g/mol", "kDa"): 1000, ("kDa", "Da"): Fraction(1, 1000)}
_BY_SPELLING = {s: unit for unit, spellings in SPELLINGS.items() for s in spellings}
_WRAPPER = re.compile(r"\\(?:text|mathrm|rm|textrm|operatorname)\s*\{([^{}]*)\}")
# A number, then whatever follows it: the tail is a unit candidate only if it has no digit
# other than a '-1' exponent and starts with a letter, '%', '°' or a backslash.
_TAIL = re.compile(r"^(.*?[0-9.}])\s*((?:\\[,;: !]|~|\s)*)([A-Za-z%°℃º\\^{][^0-9]*(?:-1[^0-9]*)?)$", re.S)


class WrongUnit(ValueError):
    """The answer carries a unit the question did not ask for: a wrong answer, not an unreadable one."""


def _normalise(unit: str) -> str:
    unit = _WRAPPER.sub(r"\1", unit)
    unit = re.sub(r"\^\s*\{?\s*\\circ\s*\}?", "°", unit)
    unit = re.sub(r"\\[,;: !%]|~|[\s{}]", lambda m: "%" if m.group(0) == "\\%" else "", unit)
    return unit.replace("\\cdot", "").replace("\\", "").lower()


def split_unit(text: str, unit: str | None) -> str:
    """The number part of text. A trailing stated unit is dropped; another unit is refused with
    a reason that names the asked unit, never the answer."""
    m = _TAIL.match(text.strip())
    if not m:
        return text
    found = _BY_SPELLING.get(_normalise(m.group(3)))
    if found is None:
        return text  # not a unit: the number parser decides
    if unit is not None and found in SAME_QUANTITY.get(unit, {unit}):
        return m.group(1)
    if (unit, found) in SCALED:
        try:
            return str(parse_fraction(m.group(1)) * SCALED[(unit, found)])  # Fraction prints '180001/50' or '3600'
        except Unparsable:
            return text
    raise WrongUnit(f"a different unit: the question asks for {unit}" if unit else "a unit where a plain number is asked")

