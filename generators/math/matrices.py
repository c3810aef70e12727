"""Determinants and eigenvalues of integer matrices."""

from __future__ import annotations

import math

import random

import sympy

from generators.math._common import bareiss_det, fmt
from mintbench.items.distractors import DrawAgain, slip_square
from mintbench.items.registry import Draft, Generator, Knobs, register
from mintbench.items.render import Math, latex_of


def matrix_str(rows: list[list[int]]) -> str:
    return "[" + ", ".join("[" + ", ".join(str(v) for v in r) + "]" for r in rows) + "]"


class DeterminantKnobs(Knobs):
    size: int = 3
    max_entry: int = 6


@register
class Determinant(Generator):
    id = "math.determinant"
    version = "6"  # 6: the open/multiple-choice pick and the options' corner drawn from the item's key (issue #27); 5: sibling options (issue #26, item 3: parity); 4: no triangular matrices (issue #26); 3: options that need the work, screened sources, stated conventions (issue #14); 2: every question says that several candidates count as wrong
    domain, topic, level = "math", "linear_algebra", "L3"
    formats = ("open", "mcq")
    answer_type = "integer"
    Config = DeterminantKnobs
    presets = {"easy": {"size": 2, "max_entry": 5}, "medium": {"size": 3}, "hard": {"size": 4, "max_entry": 9}}
    # A random integer matrix's determinant is even about two times in three (odd only where the
    # matrix is invertible mod 2), and a slip of 1 flips parity: an even option held the key 0.31
    # of the time. Other matrices' determinants share that distribution with the key.
    mcq_options = "siblings"
    _q = {
        "en": "Compute the determinant of the matrix (given row by row) {m}.",
        "zh": "计算矩阵（按行给出）{m} 的行列式。",
    }
    _q_latex = {
        "en": "Compute the determinant of the matrix \\(A = {m}\\).",
        "zh": "计算矩阵 \\(A = {m}\\) 的行列式。",
    }

    @staticmethod
    def work(p: dict) -> float:
        return len(p['matrix']) ** 3 * math.log2(2 + max(abs(v) for r in p['matrix'] for v in r))

    def draft(self, rng, cfg, lang, fmt_):
        n, m = cfg.size, cfg.max_entry
        while True:  # a triangular matrix's determinant is its diagonal's product: no work
            rows = [[rng.randint(-m, m) for _ in range(n)] for _ in range(n)]
            if n < 2 or not is_triangular(rows):
                break
        det = bareiss_det(rows)
        diag = 1
        for i in range(n):
            diag *= rows[i][i]
        wrongs = [-det, diag, det + 1, det - 1, det + 2]
        return Draft(
            question=self.ask(lang, m=Math(matrix_str(rows), lambda: latex_of(sympy.Matrix(rows)))),
            answer=str(det),
            answer_type="integer",
            answer_format=fmt("integer", lang),
            params={"matrix": rows},
            distractors=[str(w) for w in wrongs],
        )


def unimodular(rng: random.Random, n: int, steps: int) -> sympy.Matrix:
    """A random integer matrix with determinant ±1, so its inverse is an integer matrix too."""
    P = sympy.eye(n)
    for _ in range(steps):
        i, j = rng.sample(range(n), 2)
        P[i, :] = P[i, :] + rng.choice([-2, -1, 1, 2]) * P[j, :]
    return P


class EigenKnobs(Knobs):
    size: int = 2
    max_eigenvalue: int = 5
    mixing_steps: int = 3


@register
class Eigenvalues(Generator):
    id = "math.eigenvalues"
    version = "4"  # 4: the open/multiple-choice pick and the options' corner drawn from the item's key (issue #27); 3: options that need the work, screened sources, stated conventions (issue #14); 2: every question says that several candidates count as wrong
    domain, topic, level = "math", "linear_algebra", "L3"
    formats = ("open", "mcq")
    answer_type = "multiset"
    Config = EigenKnobs
    presets = {
        "easy": {"size": 2, "max_eigenvalue": 4, "mixing_steps": 2},
        "medium": {"size": 2, "max_eigenvalue": 6, "mixing_steps": 3},
        "hard": {"size": 3, "max_eigenvalue": 6, "mixing_steps": 4},
    }
    _q = {
        "en": "Find all eigenvalues of the matrix (given row by row) {m}, listed with multiplicity.",
        "zh": "求矩阵（按行给出）{m} 的全部特征值（按重数列出）。",
    }
    _q_latex = {
        "en": "Find all eigenvalues of the matrix \\(A = {m}\\), listed with multiplicity.",
        "zh": "求矩阵 \\(A = {m}\\) 的全部特征值（按重数列出）。",
    }

    @staticmethod
    def work(p: dict) -> float:
        return len(p['matrix']) ** 3 * math.log2(2 + max(abs(v) for r in p['matrix'] for v in r))

    def draft(self, rng, cfg, lang, fmt_):
        # A = P D P^-1 with P unimodular: integer entries, chosen integer eigenvalues.
        n = cfg.size
        for _ in range(100):
            eig = sorted(rng.randint(-cfg.max_eigenvalue, cfg.max_eigenvalue) for _ in range(n))
            P = unimodular(rng, n, cfg.mixing_steps)
            A = P * sympy.diag(*eig) * P.inv()
            rows = [[int(A[i, j]) for j in range(n)] for i in range(n)]
            # A triangular matrix (a scalar or zero one included) shows its eigenvalues on the diagonal.
            if not is_triangular(rows):
                break
        else:
            raise ValueError("only triangular matrices drawn")
        as_set = lambda vals: "{" + ", ".join(str(v) for v in sorted(vals)) + "}"  # noqa: E731
        # Two slips that keep the trace (so the trace cannot rule them out): one eigenvalue too
        # high and another as much too low, by 1 and by 2, offered as a square
        # (mintbench.items.distractors). Negated and shifted sets made the key their centre.
        i, j = rng.sample(range(n), 2)
        k, m = rng.sample(range(n), 2)

        def move(up: int, down: int, size: int):
            return lambda vals, d: [v + d * size * ((e == up) - (e == down)) for e, v in enumerate(vals)]

        square = slip_square(rng, list(eig), move(i, j, 1), move(k, m, 2))
        wrongs = [as_set(w) for w in square]
        if fmt_ == "mcq" and len({as_set(eig), *wrongs}) < 4:
            raise DrawAgain(self.id)
        return Draft(
            question=self.ask(lang, m=Math(matrix_str(rows), lambda: latex_of(sympy.Matrix(rows)))),
            answer=as_set(eig),
            answer_type="multiset",
            answer_format=fmt("multiset", lang),
            params={"matrix": rows},
            distractors=wrongs,
        )


def is_triangular(rows: list[list[int]]) -> bool:
    n = len(rows)
    upper = all(rows[i][j] == 0 for i in range(n) for j in range(i))
    lower = all(rows[i][j] == 0 for i in range(n) for j in range(i + 1, n))
    return upper or lower
