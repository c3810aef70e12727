"""Modular inverses, CRT, Euler's totient, primality and Bezout pairs."""

from __future__ import annotations

import math
import random

from generators.math._common import euclid_steps, fmt
from mintbench.items.registry import Draft, Generator, Knobs, register
from mintbench.items.prompts import boolean_format

_SMALL_PRIMES = [p for p in range(2, 400) if all(p % d for d in range(2, int(p**0.5) + 1))]


def _primes_between(lo: int, hi: int) -> list[int]:
    return [p for p in _SMALL_PRIMES if lo <= p <= hi]


class ModInverseKnobs(Knobs):
    max_modulus: int = 200
    prime_modulus: bool = False


@register
class ModularInverse(Generator):
    id = "math.modular_inverse"
    version = "5"  # 5: the open/multiple-choice pick and the options' corner drawn from the item's key (issue #27); 4: sibling options (issue #26, item 3: residues); 3: options that need the work, screened sources, stated conventions (issue #14); 2: every question says that several candidates count as wrong
    domain, topic, level = "math", "number_theory", "L3"
    formats = ("open", "mcq")
    answer_type = "integer"
    # An inverse modulo an even number is odd, and a slip of 1 is even (0.30 from parity and
    # divisibility by 3); other pairs' inverses share the key's distribution.
    mcq_options = "siblings"
    Config = ModInverseKnobs
    presets = {
        "easy": {"max_modulus": 40, "prime_modulus": True},
        "medium": {"max_modulus": 200},
        "hard": {"max_modulus": 5000},
    }
    _q = {
        "en": "Find the inverse of {a} modulo {m}: the integer b with 0 <= b < {m} and {a}*b ≡ 1 (mod {m}).",
        "zh": "求 {a} 模 {m} 的逆元：满足 0 <= b < {m} 且 {a}*b ≡ 1 (mod {m}) 的整数 b。",
    }

    @staticmethod
    def work(p: dict) -> float:
        return euclid_steps(p['a'], p['m'])

    def draft(self, rng, cfg, lang, fmt_):
        while True:
            m = rng.choice(_primes_between(7, cfg.max_modulus)) if cfg.prime_modulus else rng.randint(7, cfg.max_modulus)
            a = rng.randint(2, m - 1)
            if math.gcd(a, m) == 1 and pow(a, -1, m) != a:
                break
        inv = pow(a, -1, m)
        wrongs = [m - inv, (inv + 1) % m, a, (inv - 1) % m]
        return Draft(
            question=self._q[lang].format(a=a, m=m),
            answer=str(inv),
            answer_type="integer",
            answer_format=fmt("integer", lang),
            params={"a": a, "m": m},
            distractors=[str(w) for w in wrongs],
        )


class CRTKnobs(Knobs):
    n_congruences: int = 2
    max_modulus: int = 15


@register
class ChineseRemainder(Generator):
    id = "math.crt"
    version = "4"  # 4: the open/multiple-choice pick and the options' corner drawn from the item's key (issue #27); 3: options that need the work, screened sources, stated conventions (issue #14); 2: every question says that several candidates count as wrong
    domain, topic, level = "math", "number_theory", "L3"
    formats = ("open", "mcq")
    answer_type = "integer"
    Config = CRTKnobs
    presets = {
        "easy": {"n_congruences": 2, "max_modulus": 10},
        "medium": {"n_congruences": 3, "max_modulus": 15},
        "hard": {"n_congruences": 4, "max_modulus": 25},
    }
    _q = {
        "en": "Find the smallest non-negative integer x such that {conds}.",
        "zh": "求满足 {conds} 的最小非负整数 x。",
    }

    @staticmethod
    def work(p: dict) -> float:
        return len(p['moduli']) * sum(math.log2(m) for m in p['moduli'])

    def draft(self, rng, cfg, lang, fmt_):
        moduli: list[int] = []
        candidates = list(range(2, cfg.max_modulus + 1))
        rng.shuffle(candidates)
        for m in candidates:
            if all(math.gcd(m, k) == 1 for k in moduli):
                moduli.append(m)
            if len(moduli) == cfg.n_congruences:
                break
        M = math.prod(moduli)
        while True:
            x = rng.randrange(M)
            residues = [x % m for m in moduli]
            if len(set(residues)) > 1:  # equal residues: x is read off the first congruence
                break
        sep = "; " if lang == "en" else "；"
        conds = sep.join(f"x ≡ {r} (mod {m})" for r, m in zip(residues, moduli))
        wrongs = [x + M, (x + moduli[0]) % M, M - x if x else M, (x - 1) % M]
        return Draft(
            question=self._q[lang].format(conds=conds),
            answer=str(x),
            answer_type="integer",
            answer_format=fmt("integer", lang),
            params={"moduli": moduli, "residues": residues},
            distractors=[str(w) for w in wrongs],
        )


class TotientKnobs(Knobs):
    n_prime_factors: int = 2
    max_prime: int = 50
    max_exponent: int = 2


@register
class Totient(Generator):
    id = "math.totient"
    version = "6"  # 6: the open/multiple-choice pick and the options' corner drawn from the item's key (issue #27); 5: sibling options (issue #26, item 3: parity); 4: never the totient of a prime (issue #26: 14 of 112); 3: options that need the work, screened sources, stated conventions (issue #14); 2: every question says that several candidates count as wrong
    domain, topic, level = "math", "number_theory", "L3"
    formats = ("open", "mcq")
    answer_type = "integer"
    Config = TotientKnobs
    presets = {
        "easy": {"n_prime_factors": 1, "max_prime": 30, "max_exponent": 2},
        "medium": {"n_prime_factors": 2, "max_prime": 50},
        "hard": {"n_prime_factors": 3, "max_prime": 60, "max_exponent": 3},
    }
    # phi(n) is even for n > 2, and a slip of 1 is odd: the even options held the key 0.385 of
    # the time. Other numbers' totients are even too, and exchangeable with the key.
    mcq_options = "siblings"
    _q = {"en": "Compute Euler's totient phi({n}).", "zh": "计算欧拉函数 φ({n})。"}

    @staticmethod
    def work(p: dict) -> float:
        return math.log2(p['n'])

    def draft(self, rng, cfg, lang, fmt_):
        while True:  # a prime's totient is the prime less one: no work
            primes = rng.sample(_primes_between(2, cfg.max_prime), cfg.n_prime_factors)
            exps = [rng.randint(1, cfg.max_exponent) for _ in primes]
            if len(primes) > 1 or exps[0] > 1 or cfg.max_exponent == 1:
                break
        n = math.prod(p**e for p, e in zip(primes, exps))
        phi = math.prod(p ** (e - 1) * (p - 1) for p, e in zip(primes, exps))
        # Slips a solver makes (a factor of a prime power dropped, inclusion-exclusion stopped
        # early, a count off by one or two). Not 2*phi: a slip as large as the key offers 0, which
        # no totient is, and marks its neighbour as the key.
        wrongs = [n - 1, phi + 1, phi - 1, math.prod(p - 1 for p in primes), n - sum(n // p for p in primes), phi + 2]
        return Draft(
            question=self._q[lang].format(n=n),
            answer=str(phi),
            answer_type="integer",
            answer_format=fmt("integer", lang),
            params={"n": n},
            distractors=[str(w) for w in wrongs],
        )


class PrimalityKnobs(Knobs):
    max_value: int = 20000
    min_factor: int = 17  # a false claim's number has no prime factor below this


def _smallest_factor(n: int) -> int:
    if n % 2 == 0:
        return 2
    return next((d for d in range(3, math.isqrt(n) + 1, 2) if n % d == 0), n)


@register
class Primality(Generator):
    id = "math.primality"
    version = "3"  # 3: composites with no factor below min_factor (issue #26: divisibility by 7, 11 or 13 decided 73-77 %); 2: every question says that several candidates count as wrong
    domain, topic, level = "math", "number_theory", "L3"
    formats = ("true_false",)
    answer_type = "boolean"
    Config = PrimalityKnobs
    presets = {"easy": {"max_value": 500, "min_factor": 7}, "medium": {"max_value": 20000}, "hard": {"max_value": 2_000_000, "min_factor": 41}}
    _q = {"en": "True or false: {n} is a prime number.", "zh": "判断正误：{n} 是质数。"}

    @staticmethod
    def work(p: dict) -> float:
        return math.isqrt(p['n']) / math.log(p['n'])

    def draft(self, rng: random.Random, cfg, lang, fmt_):
        # Half primes, half composites that only trial division past min_factor refutes: a
        # divisibility test by 3, 5, 7, 11 or 13 says nothing (easy keeps factors from 7 up).
        want_prime = rng.random() < 0.5
        while True:
            n = rng.randrange(11, cfg.max_value) | 1
            factor = _smallest_factor(n)
            is_prime = factor == n
            if is_prime == want_prime and (is_prime or factor >= cfg.min_factor):
                break
        return Draft(
            question=self._q[lang].format(n=n),
            answer="true" if is_prime else "false",
            answer_type="boolean",
            answer_format=boolean_format(lang),
            params={"n": n},
            boxed=False,
        )


class BezoutKnobs(Knobs):
    max_value: int = 200


@register
class LinearCombination(Generator):
    id = "math.linear_combination"
    version = "4"  # 4: neither coefficient divides the target (issue #26); 3: options that need the work, screened sources, stated conventions (issue #14); 2: every question says that several candidates count as wrong
    # L3, not L5: finding x and y is an extended-Euclid calculation; the bound leaves a choice,
    # not a design.
    domain, topic, level = "math", "number_theory", "L3"
    answer_type = "linear_combination"
    Config = BezoutKnobs
    presets = {"easy": {"max_value": 50}, "medium": {"max_value": 200}, "hard": {"max_value": 5000}}
    _q = {
        "en": "Find integers x and y with {a}*x + {b}*y = {c} and |x|, |y| <= {bound}. Any such pair is accepted.",
        "zh": "求整数 x、y，使 {a}*x + {b}*y = {c} 且 |x|、|y| <= {bound}。任何满足条件的一组解都可以。",
    }

    @staticmethod
    def work(p: dict) -> float:
        return math.log2(p['config']['max_value'])

    def draft(self, rng, cfg, lang, fmt_):
        while True:  # a or b dividing c is answered by (c/a, 0) without Euclid
            a, b = rng.randint(6, cfg.max_value), rng.randint(6, cfg.max_value)
            g = math.gcd(a, b)
            k = rng.randint(1, 5)
            c = k * g
            if c % a and c % b:
                break
        x, y = _extended_euclid(a, b)
        x, y = x * k, y * k
        bound = max(abs(x), abs(y), max(a, b) * k // g)
        return Draft(
            question=self._q[lang].format(a=a, b=b, c=c, bound=bound),
            answer=f"({x}, {y})",
            answer_type="linear_combination",
            answer_format=fmt("int_pair", lang),
            params={},
            grader_args={"a": a, "b": b, "c": c, "bound": bound},
        )


def _extended_euclid(a: int, b: int) -> tuple[int, int]:
    old_r, r, old_s, s, old_t, t = a, b, 1, 0, 0, 1
    while r:
        q = old_r // r
        old_r, r = r, old_r - q * r
        old_s, s = s, old_s - q * s
        old_t, t = t, old_t - q * t
    return old_s, old_t
