"""Polite HTTP for live sources: a rate limiter and GET with retries and backoff.

429/5xx and transport errors are retried; when retries run out the source is reported
unavailable by name, never returned as an empty result.
"""

from __future__ import annotations

import threading
import time
from typing import Callable

import httpx

RETRYABLE_STATUS = {429, 500, 502, 503, 504}


class SourceUnavailable(RuntimeError):
    pass


class RateLimiter:
    """At most one request per interval, across threads."""

    def __init__(self, interval: float, clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep):
        self.interval, self.clock, self.sleep = interval, clock, sleep
        self._next = 0.0
        self._lock = threading.Lock()

    def wait(self) -> None:
        with self._lock:
            now = self.clock()
            if now < self._next:
                self.sleep(self._next - now)
                now = self._next
            self._next = now + self.interval


class PoliteClient:
    def __init__(self, name: str, interval: float, max_retries: int, backoff_s: float, timeout_s: float,
                 sleep: Callable[[float], None] = time.sleep):
        self.name, self.max_retries, self.backoff_s, self.sleep = name, max_retries, backoff_s, sleep
        self.limiter = RateLimiter(interval, sleep=sleep)
        self.http = httpx.Client(timeout=timeout_s)
        self.requests = 0

    def get(self, url: str, params: dict | None = None) -> bytes:
        last = "no attempt"
        for attempt in range(self.max_retries + 1):
            self.limiter.wait()
            self.requests += 1
            try:
                resp = self.http.get(url, params=params)
            except httpx.TransportError as exc:
                last = type(exc).__name__
            else:
                if resp.status_code == 200:
                    return resp.content
                last = f"HTTP {resp.status_code}"
                if resp.status_code not in RETRYABLE_STATUS:
                    break
            if attempt < self.max_retries:
                self.sleep(self.backoff_s * 2**attempt)
        raise SourceUnavailable(f"{self.name} request failed after {self.requests} attempt(s): {last} ({url})")

    def close(self) -> None:
        self.http.close()
