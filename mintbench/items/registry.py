"""Generator registry: a generator is a class plus a config, registered by a stable id.

Item `index` of a generator is a pure function of (id, version, seed or secret, index, config,
lang, format): `build_item` rebuilds it alone, with no state shared between items. A sealed
item draws from a keyed stream (`secret`) and records `seed = KEYED_SEED`: its seed is the
secret, which lives only in private files and the sealed part of a release.
"""

from __future__ import annotations

import functools
import importlib
import json
import random
from fractions import Fraction
from dataclasses import dataclass, field
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, ValidationError

from mintbench.items import space
from mintbench.items.distractors import INTEGER, REDRAWS, DrawAgain, numeric_square
from mintbench.items import prompts, render
from mintbench.errors import MintbenchError, allowed
from mintbench.items.rng import item_word, keyed_rng, rng_for
from mintbench.items.schema import DOMAINS, FORMATS, LANGS, Item, Source, Tolerance, canonical_json

DIFFICULTIES = ("easy", "medium", "hard")
KEYED_SEED = -1  # the `seed` of an item drawn from a secret's keyed stream

# Domain packages register their generators on import.
_DOMAIN_MODULES = {"math": "generators.math", "chemistry": "generators.chemistry", "biology": "generators.biology"}


class Knobs(BaseModel):
    """Base for generator configs: unknown knobs are an error, not silently ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True)


@dataclass
class Draft:
    """What a generator produces; the registry turns it into an `Item`."""

    question: str
    answer: str
    answer_type: str
    answer_format: str
    params: dict[str, Any]
    grader_args: dict[str, Any] = field(default_factory=dict)
    tolerance: Tolerance = field(default_factory=Tolerance)
    # Plausible mistakes; present when the generator can be asked as multiple choice.
    distractors: list[str] | None = None
    boxed: bool = True
    # The record behind this item, when it came from a knowledge source.
    source: Source | None = None


class Generator:
    id: ClassVar[str]
    version: ClassVar[str] = "1"
    domain: ClassVar[str]
    topic: ClassVar[str]
    level: ClassVar[str]
    formats: ClassVar[tuple[str, ...]] = ("open",)
    answer_type: ClassVar[str]
    Config: ClassVar[type[Knobs]]
    presets: ClassVar[dict[str, dict[str, Any]]] = {"easy": {}, "medium": {}, "hard": {}}
    source: ClassVar[Source] = Source(name="synthetic", licence="CC-BY-4.0")
    # "slips": the draft's distractors, squared for numbers (mintbench.items.distractors); "own":
    # the draft's distractors as they are (already exchangeable); "siblings": the answers of three
    # more drafts, with the question asked of one of the four at random (see sibling_draft).
    mcq_options: ClassVar[str] = "slips"

    def draft(self, rng: random.Random, cfg: Any, lang: str, fmt: str) -> Draft:
        raise NotImplementedError

    # The question templates: `_q` in plain syntax; `_q_latex`, when a generator has one, with
    # its math inside \(...\) for `--render latex` (mintbench.items.render).
    _q: ClassVar[dict[str, str]] = {}
    _q_latex: ClassVar[dict[str, str] | None] = None

    def ask(self, lang: str, **values: Any) -> str:
        return render.ask(self._q, self._q_latex, lang, **values)

    @classmethod
    def renders(cls) -> tuple[str, ...]:
        return render.RENDERS if cls._q_latex is not None else ("plain",)

    @staticmethod
    def work(params: dict[str, Any]) -> float:
        """The size of the reference solution's work for one item, from the item's params (its
        `config` included): operations, cells, atoms, bases. Presets must raise it on average
        from easy to medium to hard (tests/test_work_measure.py)."""
        raise NotImplementedError

    # -- configuration ---------------------------------------------------------------
    @classmethod
    def config(cls, difficulty: str = "medium", knobs: dict[str, Any] | None = None) -> Any:
        if difficulty not in DIFFICULTIES:
            raise allowed("difficulty", difficulty, DIFFICULTIES)
        knobs = knobs or {}
        unknown = sorted(set(knobs) - set(cls.Config.model_fields))
        if unknown:
            raise allowed(f"knob for {cls.id}", unknown[0], sorted(cls.Config.model_fields))
        try:
            return cls.Config(**{**cls.presets[difficulty], **knobs})
        except ValidationError as exc:
            err = exc.errors()[0]
            key = ".".join(str(p) for p in err["loc"])
            raise MintbenchError(f"bad value for {cls.id}.{key}: {err['msg']}") from None

    @classmethod
    def describe(cls) -> dict[str, Any]:
        return {
            "id": cls.id,
            "version": cls.version,
            "domain": cls.domain,
            "topic": cls.topic,
            "levels": [cls.level],
            "formats": list(cls.formats),
            "answer_type": cls.answer_type,
            "knobs": {
                name: {
                    "default": f.default,
                    **{d: cls.presets[d].get(name, f.default) for d in DIFFICULTIES},
                }
                for name, f in cls.Config.model_fields.items()
            },
            # per difficulty, the measured chance that 300 public draws reproduce one released
            # question (mintbench.items.space); above 1e-3 the items are knowledge recall
            "reproduce_chance": space.chances(cls.id, cls.version),
        }


_REGISTRY: dict[str, type[Generator]] = {}


def register(cls: type[Generator]) -> type[Generator]:
    if cls.id in _REGISTRY and _REGISTRY[cls.id] is not cls:
        raise RuntimeError(f"generator id {cls.id} registered twice")
    missing = [d for d in DIFFICULTIES if d not in cls.presets]
    if missing:
        raise RuntimeError(f"{cls.id} lacks presets {missing}")
    _REGISTRY[cls.id] = cls
    return cls


def load_domain(domain: str) -> None:
    if domain not in DOMAINS:
        raise allowed("domain", domain, DOMAINS)
    module = _DOMAIN_MODULES.get(domain)
    if module is None:
        raise MintbenchError(
            f"domain {domain!r} has no generators yet; available: {', '.join(_DOMAIN_MODULES)}"
        )
    importlib.import_module(module)


def load_all() -> None:
    for module in _DOMAIN_MODULES.values():
        importlib.import_module(module)


def all_generators() -> list[type[Generator]]:
    load_all()
    return [_REGISTRY[k] for k in sorted(_REGISTRY)]


def get(generator_id: str) -> type[Generator]:
    cls = _REGISTRY.get(generator_id)
    if cls is not None:
        return cls
    load_all()
    try:
        return _REGISTRY[generator_id]
    except KeyError:
        raise allowed("generator", generator_id, sorted(_REGISTRY)) from None


def available_domains() -> list[str]:
    return list(_DOMAIN_MODULES)


def choose_format(cls: type[Generator], requested: str, seed: int, index: int, secret: str | None = None) -> str:
    if requested == "mixed":
        parts = (cls.id, index) if secret else (cls.id, seed, index)
        return cls.formats[item_word(secret, *parts, "format") % len(cls.formats)]
    if requested not in cls.formats:
        raise allowed(f"format for {cls.id}", requested, cls.formats)
    return requested


def mcq_distractors(cls: type[Generator], rng, d: Draft) -> list[str]:
    if not d.distractors:
        raise RuntimeError(f"{cls.id} offers mcq but drafted no distractors")
    if d.answer_type not in ("integer", "number", "rational") or cls.mcq_options == "own":
        if len(set(d.distractors) - {d.answer}) < 3:
            raise DrawAgain(cls.id)  # options that coincide are no choice
        return d.distractors
    # Single slips around the key made it the middle of its options (picked by rank or by the
    # mean of the others); a square of two of the generator's own slips does not.
    tolerance = d.tolerance.width(float(Fraction(d.answer)))
    square = numeric_square(rng, d.answer, d.distractors, tolerance)
    if square is None:
        raise DrawAgain(cls.id)
    return square


def _apart(d: Draft, a: str, b: str) -> bool:
    """Two answers a grader tells apart: different text and, for numbers, further apart than the
    tolerance (two boiling points 3 K apart would both be right)."""
    if a == b:
        return False
    if d.answer_type not in ("integer", "number", "rational"):
        return True
    if not d.tolerance.abs and not d.tolerance.rel:  # exact: apart unless equal in value
        if INTEGER.fullmatch(a) and INTEGER.fullmatch(b):
            return int(a) != int(b)  # a sibling draft's commonest case, without Fractions
        return Fraction(a) != Fraction(b)
    x, y = Fraction(a), Fraction(b)
    return abs(x - y) > d.tolerance.width(max(abs(x), abs(y)))



def sibling_draft(cls: type[Generator], rng, cfg, lang: str) -> tuple[Draft, list[str]]:
    """Four drafts with answers a grader tells apart, and the question of one of them, chosen
    at random; the other three answers are its distractors. The options are exchangeable: no
    option-only rule, however much it knows of the answers' distribution, beats chance. Used
    where that distribution is narrow (few rings, small probabilities, a table of trig values),
    so that slips around the key leave it the most probable option."""
    drafts: list[Draft] = []
    for _ in range(REDRAWS * 4):
        try:
            d = cls().draft(rng, cfg, lang, "mcq")
        except DrawAgain:
            continue
        if all(_apart(d, d.answer, o.answer) for o in drafts):
            drafts.append(d)
        if len(drafts) == 4:
            chosen = drafts[rng.randrange(4)]
            return chosen, [o.answer for o in drafts if o is not chosen]
    raise ValueError(f"{cls.id}: fewer than four distinct answers in {REDRAWS * 4} draws")


def _draft(cls: type[Generator], rng, cfg, lang: str, fmt: str) -> tuple[Draft, list[str] | None]:
    """The draft and, for multiple choice, its distractors."""
    if fmt == "mcq" and cls.mcq_options == "siblings":
        return sibling_draft(cls, rng, cfg, lang)
    for _ in range(REDRAWS):
        try:
            d = cls().draft(rng, cfg, lang, fmt)
            return d, (mcq_distractors(cls, rng, d) if fmt == "mcq" and d.answer_type != "choice" else None)
        except DrawAgain:
            continue
    raise ValueError(f"{cls.id}: no draw in {REDRAWS} gave multiple-choice options with the key at a uniform corner")


@functools.lru_cache(maxsize=1024)
def _config(cls: type[Generator], difficulty: str, knobs_json: str) -> tuple[Any, dict[str, Any]]:
    """A generator's config and its JSON form, built once per (generator, difficulty, knobs):
    validating them per item cost more than drawing a modular inverse. Configs are frozen, and
    each item gets its own copy of the JSON form."""
    cfg = cls.config(difficulty, json.loads(knobs_json) if knobs_json else None)
    return cfg, cfg.model_dump(mode="json")


def build_item(
    generator_id: str,
    seed: int,
    index: int,
    *,
    difficulty: str = "medium",
    knobs: dict[str, Any] | None = None,
    lang: str = "en",
    fmt: str = "mixed",
    secret: str | None = None,
    render_as: str = "plain",
) -> Item:
    """Item `index` of `generator_id` under `seed` (or, when given, the keyed stream of
    `secret`): a pure function of its arguments. `render_as="latex"` prints the math of the
    generators that have a LaTeX template in LaTeX (the others print plain); it draws nothing,
    so the item is the plain item's problem, with the same answer."""
    if lang not in LANGS:
        raise allowed("lang", lang, LANGS)
    if render_as not in render.RENDERS:
        raise allowed("render", render_as, render.RENDERS)
    if fmt != "mixed" and fmt not in FORMATS:
        raise allowed("format", fmt, (*FORMATS, "mixed"))
    cls = get(generator_id)
    cfg, cfg_json = _config(cls, difficulty, canonical_json(knobs) if knobs else "")
    fmt = choose_format(cls, fmt, seed, index, secret)
    if secret:
        seed = KEYED_SEED
        rng = keyed_rng(secret, cls.id, cls.version, index)
    else:
        rng = rng_for(cls.id, cls.version, seed, index)
    if fmt == "mcq":
        # See distractors.corner. Drawn from the item's key, not from its stream, which it leaves
        # untouched: a multiple-choice item that needs no redraw is its open item's problem.
        parts = (cls.id, cls.version, index) if secret else (cls.id, cls.version, seed, index)
        word = item_word(secret, *parts, "corner")
        rng.corner = (1 if word & 1 else -1, 1 if word & 2 else -1, bool(word & 4))
    mode = render_as if render_as in cls.renders() else "plain"
    with render.rendering(mode):
        d, distractors = _draft(cls, rng, cfg, lang, fmt)
    question, choices, answer, answer_type = d.question, [], d.answer, d.answer_type
    answer_format = d.answer_format
    params = dict(d.params)
    if mode != "plain":
        params["render"] = mode
        params["plain_question"] = getattr(d.question, "plain", d.question)
    if distractors is not None:
        choices, answer = prompts.assemble_mcq(rng, d.answer, distractors)
        if mode == "latex" and d.answer_type == "expression":
            choices = [render.option_latex(c) for c in choices]
        params["open_answer"] = d.answer
        params["open_answer_type"] = d.answer_type
        params["open_grader_args"] = d.grader_args
        answer_type, answer_format = "choice", prompts.choice_format(lang)
        question = f"{question}\n\n{prompts.render_options(lang, choices)}"
    elif d.answer_type == "choice":
        choices = params.pop("choices")
        question = f"{question}\n\n{prompts.render_options(lang, choices)}"
    question = f"{question}\n\n{prompts.instruction(lang, answer_format, boxed=d.boxed)}"
    item = Item(
        generator=cls.id,
        generator_version=cls.version,
        domain=cls.domain,
        topic=cls.topic,
        level=cls.level,
        format=fmt,
        lang=lang,
        question=question,
        choices=choices,
        answer=answer,
        answer_type=answer_type,
        grader_args=d.grader_args if answer_type == d.answer_type else {},
        tolerance=d.tolerance,
        params={"difficulty": difficulty, "config": dict(cfg_json), **params},
        seed=seed,
        index=index,
        source=d.source or cls.source.model_copy(update={"version": cls.source.version or cls.version}),
    )
    return item.with_id()
