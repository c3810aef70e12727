"""Reference models over OpenAI-compatible chat endpoints (OpenAI, vLLM, Ollama, llama.cpp).

Bounded concurrency per model, retries with backoff on 429/5xx/timeouts, every response
cached; a failed call is an error, never a wrong answer; a model that stays down stops
the step with a message naming it.
"""

from __future__ import annotations

import asyncio
import random
from dataclasses import dataclass, field

import openai
from openai import AsyncOpenAI

from mintbench.errors import MintbenchError
from mintbench.difficulty.config import FilterSettings, ModelSpec
from mintbench.difficulty.constrain import answer_grammar
from mintbench.difficulty.cache import ResponseCache, params_hash, text_hash
from mintbench.difficulty.sampling import Tally, normalise, sample_seed, solved, stop_reason, variant
from mintbench.items.schema import Item
from validators.choice import parse_letter
from validators.extract import extract_answer
from validators.sandbox import grade_guarded
from validators.result import Unparsable

DOWN_AFTER = 3  # consecutive calls that failed after all retries
RETRYABLE = (openai.RateLimitError, openai.APITimeoutError, openai.APIConnectionError, openai.InternalServerError)


class ModelDown(MintbenchError):
    pass


@dataclass
class CallStats:
    requests: int = 0
    cached: int = 0
    errors: int = 0


class ModelClient:
    def __init__(self, spec: ModelSpec, cache: ResponseCache):
        self.spec = spec
        self.cache = cache
        self.client = AsyncOpenAI(base_url=spec.base_url, api_key=spec.api_key(), timeout=spec.timeout_s, max_retries=0)
        self.gate = asyncio.Semaphore(spec.max_concurrency)
        self.params = {"temperature": spec.temperature, "max_tokens": spec.max_tokens, "model": spec.model}
        if spec.constrain:  # cached responses of unconstrained runs are not these
            self.params |= {"constrain": True, "reasoning_chars": spec.reasoning_chars}
        self.phash = params_hash(self.params)
        self.stats = CallStats()
        self._failures_in_a_row = 0
        self._backoff = random.Random(spec.name)  # jitter only; never affects items

    async def complete(self, prompt: str, sample: int, seed: int, grammar: str | None = None) -> str | None:
        """The response text, from cache or the model; None when the call failed."""
        phash = text_hash(prompt)
        cached = self.cache.get(self.spec.name, phash, sample, self.phash)
        if cached is not None:
            self.stats.cached += 1
            return cached
        for attempt in range(self.spec.max_retries + 1):
            try:
                async with self.gate:
                    self.stats.requests += 1
                    resp = await self.client.chat.completions.create(
                        model=self.spec.model,
                        messages=[{"role": "user", "content": prompt}],
                        temperature=self.spec.temperature,
                        max_tokens=self.spec.max_tokens,
                        seed=seed,
                        **({"extra_body": {"grammar": grammar}} if grammar else {}),
                    )
                text = (resp.choices[0].message.content or "") if resp.choices else ""
                self.cache.put(self.spec.name, phash, sample, self.phash, seed, text)
                self._failures_in_a_row = 0
                return text
            except RETRYABLE:
                if attempt < self.spec.max_retries:
                    await asyncio.sleep(min(0.25 * 2**attempt, 8.0) * (0.5 + self._backoff.random()))
            except openai.APIStatusError:
                break  # 4xx other than 429: retrying will not help
        self.stats.errors += 1
        self._failures_in_a_row += 1
        if self._failures_in_a_row >= DOWN_AFTER:
            raise ModelDown(
                f"reference model {self.spec.name!r} at {self.spec.base_url} keeps failing "
                f"({DOWN_AFTER} calls in a row after {self.spec.max_retries} retries each); finished samples are cached"
            )
        return None

    async def close(self) -> None:
        await self.client.close()


def _answer_key(graded: Item, response: str) -> str | None:
    """What the model answered, comparable across samples (option text, not its letter)."""
    text = extract_answer(response)
    if text is None:
        return None
    if graded.choices:
        try:
            return normalise(graded.choices["ABCDEFGHIJ".index(parse_letter(text, len(graded.choices)))])
        except Unparsable:
            return None
    return normalise(text)


async def sample_item(client: ModelClient, item: Item, settings: FilterSettings) -> tuple[Tally, str]:
    tally, k = Tally(), 0
    while (reason := stop_reason(tally, settings)) is None:
        seed = sample_seed(item.item_id, client.spec.name, k)
        prompt, graded = variant(item, seed)
        grammar = answer_grammar(graded, client.spec.reasoning_chars) if client.spec.constrain else None
        response = await client.complete(prompt, k, seed, grammar)
        k += 1
        if response is None:
            tally.errors += 1
            continue
        # Under the time budget, in the sandbox, off the event loop: waiting on the grading worker
        # inline held every other request's reply for that round trip (filter bench: 0.65-0.87 of
        # a bare client's requests/s).
        status = (await asyncio.to_thread(grade_guarded, [(graded, response)]))[0].status
        setattr(tally, status, getattr(tally, status) + 1)
        if status == "wrong" and (key := _answer_key(graded, response)):
            tally.wrong_answers[key] += 1
    return tally, reason


@dataclass
class LadderResult:
    tallies: dict[str, dict[str, tuple[Tally, str]]] = field(default_factory=dict)  # item -> model -> (tally, reason)
    stats: dict[str, CallStats] = field(default_factory=dict)


async def run_ladder(items: list[Item], models: list[ModelSpec], settings: FilterSettings, cache: ResponseCache) -> LadderResult:
    """Weak to strong; in 'stop_at_solve' mode an item solved by a model goes no further."""
    result = LadderResult(tallies={i.item_id: {} for i in items})
    pending = list(items)
    for spec in models:
        client = ModelClient(spec, cache)
        try:
            async with asyncio.TaskGroup() as group:  # one failure cancels the rest
                tasks = [group.create_task(sample_item(client, it, settings)) for it in pending]
        except* ModelDown as down:
            raise down.exceptions[0] from None
        finally:
            await client.close()
        outcomes = [t.result() for t in tasks]
        result.stats[spec.name] = client.stats
        for item, outcome in zip(pending, outcomes):
            result.tallies[item.item_id][spec.name] = outcome
        if settings.ladder == "stop_at_solve":
            pending = [it for it, (t, _) in zip(pending, outcomes) if not solved(t)]
    return result
