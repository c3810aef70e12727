"""Constrained decoding for small local models: a llama.cpp grammar (GBNF) per item that lets a
model reason briefly and then forces one `<answer>…</answer>` of the item's answer shape.

SmolLM2-135M never writes the answer tag on its own, so without this every response is
unparsed and the difficulty signal is empty. The grammar shapes the form of the answer, never
its content: any letter of the options, any integer, any short text; the grader decides.
"""

from __future__ import annotations

from mintbench.items.schema import Item

LETTERS = "ABCDEFGHIJ"


# A plain-syntax expression in x or n, up to six terms: what every symbolic grader reads, and
# long enough for the generators' golds.
EXPRESSION = r"""expr ::= term (" " [-+] " " term){0,5}
term ::= "-"? factor ("*" factor){0,3}
factor ::= (num | var | fn "(" expr ")" | "(" expr ")") ("**" power)? | num "/" num
num ::= [0-9]{1,4}
var ::= "x" | "n"
power ::= [0-9] | "(" "-"? [0-9] ")" | var | "(" expr ")"
fn ::= "sin" | "cos" | "tan" | "exp" | "log" | "sqrt"
"""
# SMILES syntax a small model can finish: organic-subset atoms, bracket atoms of common elements
# (charges, hydrogens, chirality), double and triple bonds (stereo is not asked), branches two deep, and rings whose closure digit is written in the same chain
# that opened them (benzene, cyclohexane, pyridine rings as in c1ccncc1). Unclosed ring digits,
# what these models otherwise write most, cannot occur. A gold that closes a ring inside a branch
# is outside this shape: such items stay beyond the embedded models, as they are in practice.
SMILES = r"""smiles ::= unit (bond? unit){0,12}
unit ::= atom branch{0,2} | cyc branch{0,1}
cyc ::= atom "1" (bond? atom branch{0,1}){1,6} bond? atom "1"
branch ::= "(" bond? atom sub{0,1} (bond? atom sub{0,1}){0,5} ")"
sub ::= "(" bond? atom{1,3} ")"
atom ::= "Cl" | "Br" | [BCNOPSFI] | [bcnops] | "[" element ("@" "@"?)? ("H" [1-4]?)? ([+-] [1-3]?)? "]" | "[" [cnops] "H"? "]"
element ::= "C" | "N" | "O" | "S" | "P" | "B" | "F" | "I" | "Cl" | "Br" | "Se" | "Si" | "Na" | "K" | "Li" | "Mg" | "Ca" | "Zn" | "Fe" | "Cu" | "Sn" | "Al" | "As" | "H"
bond ::= [=#]
"""
DNA = "[ACGT]{1,100}"
SYMBOLIC = {"expression", "antiderivative", "factored", "partial_fractions", "sequence_formula", "ode_solution", "polynomial_constraints"}
SHAPES = {
    "boolean": '("true" | "false")',
    "integer": '"-"? [0-9]{1,12}',
    "rational": '"-"? [0-9]{1,9} ("/" [0-9]{1,9})?',
    "number": '"-"? [0-9]{1,9} ("." [0-9]{1,6})?',
    "linear_combination": '"(" "-"? [0-9]{1,4} ", " "-"? [0-9]{1,4} ")"',
    "tuple": '"(" "-"? [0-9]{1,6} (", " "-"? [0-9]{1,6}){0,5} ")"',
    "multiset": '"{" [0-9]{1,5} (", " [0-9]{1,5}){0,9} "}"',
    "coefficients": "[1-9] [0-9]{0,2} (\", \" [1-9] [0-9]{0,2}){1,7}",
    "formula": "([A-Z] [a-z]? [0-9]{0,3}){1,10}",
    "string_set": "[A-Za-z_]{1,16} (\", \" [A-Za-z_]{1,16}){0,6}",
    "mutation_effect": '("silent" | "nonsense" | "missense " [ACDEFGHIKLMNPQRSTVWY])',
    "coding_sequence": DNA,
    "primer_pair": '[ACGT]{15,30} ", " [ACGT]{15,30}',
    "set": '"{" "-"? [0-9]{1,4} (", " "-"? [0-9]{1,4}){0,5} "}"',
}


def answer_rule(item: Item) -> tuple[str, str]:
    """(rule for `answer`, extra rules it needs)."""
    if item.choices:
        return "[" + LETTERS[: len(item.choices)] + "]", ""
    if item.answer_type in SYMBOLIC:
        return "expr", EXPRESSION
    if item.answer_type in ("structure", "molecule_design"):
        return "smiles", SMILES
    if item.answer_type == "sequence":
        return ("[ACDEFGHIKLMNPQRSTVWY]{1,80}" if item.grader_args.get("alphabet") == "protein" else DNA), ""
    return SHAPES.get(item.answer_type, "[^<\\n]{1,80}"), ""


def answer_grammar(item: Item, reasoning_chars: int) -> str:
    """GBNF: up to `reasoning_chars` of free text (no tags), then exactly one tagged answer."""
    reasoning = f"[^<]{{0,{reasoning_chars}}}" if reasoning_chars > 0 else '""'
    rule, extra = answer_rule(item)
    return f'root ::= reasoning "<answer>" answer "</answer>"\nreasoning ::= {reasoning}\nanswer ::= {rule}\n{extra}'
