"""One attempt = one chat-completion request, retried on transient failures, timed.

Retries cover 429, 5xx, timeouts, dropped connections and unreadable bodies, with exponential
backoff and full jitter (AWS architecture blog, "Exponential Backoff And Jitter"), waiting at
least what ``Retry-After`` asks. A request that still fails comes back as an ``Outcome`` with
``error`` set: the caller records it as an error attempt, never as a model failure. Other 4xx
(bad key, unknown model) are not retried: repeating them cannot help.

The API key goes into the ``Authorization`` header only. Error texts are built from status codes
and exception class names (never from request headers), and ``redact`` is applied on top; a
reply is redacted too, since an endpoint may echo the request (and so the key) in its body.

A reply is hostile data: it is parsed by the strict JSON reader, its usage is checked
(``harness.usage.UsageError``), its size is bounded, and anything unexpected in it becomes an
error attempt with a reason, never an exception that ends the run.
"""

from __future__ import annotations

import asyncio
import itertools
import random
import time
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

from harness.tasks import Task
from harness.usage import Usage, UsageError, openai_usage, reply_text
from inputs.safe_json import loads
from tokenomics.errors import InputError

CONNECTIONS_PER_SHARD = 4
RETRY_STATUSES = frozenset({408, 409, 425, 429, 500, 502, 503, 504, 520, 522, 524, 529})
MAX_REPLY_CHARS = 10_000_000
"""Largest response body (or streamed reply) read; a longer one is an error attempt."""


@dataclass(frozen=True)
class ClientSettings:
    """How to reach the endpoint; everything but the key is stored with the run."""

    base_url: str
    model: str
    api_key: str | None = field(default=None, repr=False)
    timeout_s: float = 120.0
    max_retries: int = 4
    backoff_s: float = 0.5
    """First backoff ceiling; doubles after each failed try."""
    backoff_max_s: float = 60.0
    stream: bool = False
    temperature: float | None = None

    def public(self) -> dict[str, Any]:
        """The settings a run records: no key."""
        return {
            "base_url": self.base_url,
            "model": self.model,
            "timeout_s": self.timeout_s,
            "max_retries": self.max_retries,
            "stream": self.stream,
            "temperature": self.temperature,
        }


@dataclass(frozen=True)
class Outcome:
    """What came back for one attempt."""

    reply: str | None
    usage: Usage | None
    latency_s: float | None
    """Wall time of the request that answered (waits between retries excluded)."""
    ttft_s: float | None
    """Time to the first streamed content (streaming only)."""
    tries: int
    error: str | None = None
    """Why the request failed for good; None when the model answered."""
    status: int | None = None


class _Retryable(Exception):
    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


class _Fatal(Exception):
    def __init__(self, reason: str, status: int | None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status


def redact(text: str, secret: str | None) -> str:
    """``text`` with every occurrence of the secret masked.

    >>> redact("bad key sk-123", "sk-123")
    'bad key ***'
    """
    return text.replace(secret, "***") if secret else text


def retry_after_seconds(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or an HTTP date).

    >>> retry_after_seconds("2")
    2.0
    >>> retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412470.0)
    10.0
    >>> retry_after_seconds("soon") is None
    True
    """
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError, IndexError):
        return None
    return max(0.0, when - (time.time() if now is None else now))


def backoff_delay(try_no: int, settings: ClientSettings, retry_after: float | None, rng: random.Random) -> float:
    """Full jitter below an exponential ceiling, never shorter than the server's Retry-After."""
    ceiling = min(settings.backoff_max_s, settings.backoff_s * 2**try_no)
    delay = rng.uniform(0, ceiling)
    if retry_after is not None:
        delay = max(delay, min(retry_after, settings.backoff_max_s))
    return delay


class ChatClient:
    """Async chat-completions client; use as ``async with ChatClient(settings, concurrency) as c``."""

    def __init__(self, settings: ClientSettings, concurrency: int, rng: random.Random | None = None) -> None:
        self.settings = settings
        self._rng = rng or random.Random()
        headers = {"Content-Type": "application/json"}
        if settings.api_key:
            headers["Authorization"] = f"Bearer {settings.api_key}"
        # httpcore's pool scans every connection for every request (cost ~ concurrency^2 per second
        # of traffic); at concurrency 64 that alone caps a core near 150 requests/s. Small shards,
        # picked in turn, keep each scan short. The workers, not the pools, bound concurrency.
        shards = max(1, -(-concurrency // CONNECTIONS_PER_SHARD))
        ssl_context = httpx.create_ssl_context()  # loading the CA bundle costs ~20 ms: once, not per shard
        self._shards = [
            httpx.AsyncClient(
                base_url=settings.base_url.rstrip("/"),
                headers=headers,
                timeout=httpx.Timeout(settings.timeout_s),
                verify=ssl_context,
                limits=httpx.Limits(max_connections=None, max_keepalive_connections=CONNECTIONS_PER_SHARD),
            )
            for _ in range(shards)
        ]
        self._turn = itertools.cycle(self._shards)

    async def __aenter__(self) -> ChatClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        for shard in self._shards:
            await shard.aclose()

    def _body(self, task: Task) -> dict[str, Any]:
        body: dict[str, Any] = {"model": self.settings.model, "messages": task.chat_messages()}
        if task.max_tokens is not None:
            body["max_tokens"] = task.max_tokens
        if self.settings.temperature is not None:
            body["temperature"] = self.settings.temperature
        if self.settings.stream:
            body["stream"] = True
            body["stream_options"] = {"include_usage": True}
        return body

    async def attempt(self, task: Task) -> Outcome:
        """Send the task; retry transient failures; never raises for HTTP or network trouble."""
        body = self._body(task)
        reason = "no try made"
        for try_no in range(self.settings.max_retries + 1):
            try:
                return await (self._stream(body, try_no + 1) if self.settings.stream else self._plain(body, try_no + 1))
            except _Fatal as exc:
                return self._failed(exc.reason, try_no + 1, exc.status)
            except _Retryable as exc:
                reason, retry_after = exc.reason, exc.retry_after
            except httpx.TimeoutException as exc:
                reason, retry_after = f"timed out after {self.settings.timeout_s:g} s ({type(exc).__name__})", None
            except httpx.TransportError as exc:
                reason, retry_after = f"connection failed ({type(exc).__name__})", None
            except UsageError as exc:
                return self._failed(f"the endpoint reported unusable usage: {exc}", try_no + 1, None)
            except Exception as exc:  # anything else a hostile reply triggers fails this attempt only
                return self._failed(f"an unexpected reply ({type(exc).__name__})", try_no + 1, None)
            if try_no < self.settings.max_retries:
                await asyncio.sleep(backoff_delay(try_no, self.settings, retry_after, self._rng))
        tries = self.settings.max_retries + 1
        return self._failed(f"{reason}; gave up after {tries} tries", tries, None)

    def _failed(self, reason: str, tries: int, status: int | None) -> Outcome:
        """An error attempt: no reply, no usage, and a reason that cannot carry the key."""
        return Outcome(None, None, None, None, tries, redact(reason, self.settings.api_key), status)

    def _answered(self, text: str, usage: Usage | None, latency: float, ttft: float | None, tries: int) -> Outcome:
        """A graded-to-be attempt; the reply is stored, so it is redacted of the key first."""
        return Outcome(redact(text, self.settings.api_key), usage, latency, ttft, tries, status=200)

    @staticmethod
    def _check_status(response: httpx.Response) -> None:
        status = response.status_code
        if status in RETRY_STATUSES or status >= 500:
            raise _Retryable(f"HTTP {status}", retry_after_seconds(response.headers.get("retry-after")))
        if status >= 400:
            # 401/403/404 and friends: the request itself is wrong; repeating it cannot help.
            raise _Fatal(f"HTTP {status} (not retried: check the base URL, model name and API key)", status)

    async def _plain(self, body: dict[str, Any], tries: int) -> Outcome:
        start = time.perf_counter()
        response = await next(self._turn).post("/chat/completions", json=body)
        latency = time.perf_counter() - start
        self._check_status(response)
        if len(response.content) > MAX_REPLY_CHARS:
            raise _Fatal(f"HTTP 200 with a body of {len(response.content):,} bytes (at most {MAX_REPLY_CHARS:,})", 200)
        try:
            data = loads(response.content.decode("utf-8"), "the reply", max_chars=MAX_REPLY_CHARS)
        except UnicodeDecodeError:
            raise _Retryable("HTTP 200 with a body that is not UTF-8") from None
        except InputError as exc:
            raise _Retryable(f"HTTP 200 with a body that is not JSON ({exc.message[:80]})") from None
        text = reply_text(data)
        if text is None:
            raise _Retryable("HTTP 200 without choices[0].message.content")
        return self._answered(text, openai_usage(data), latency, None, tries)

    async def _stream(self, body: dict[str, Any], tries: int) -> Outcome:
        start = time.perf_counter()
        ttft: float | None = None
        parts: list[str] = []
        size = 0
        usage: Usage | None = None
        async with next(self._turn).stream("POST", "/chat/completions", json=body) as response:
            if response.status_code >= 400:
                await response.aread()
                self._check_status(response)
            async for line in response.aiter_lines():
                if not line.startswith("data:"):
                    continue
                payload = line[5:].strip()
                if payload == "[DONE]":
                    break
                try:
                    chunk = loads(payload, "a streamed chunk")
                except InputError:
                    raise _Retryable("a streamed chunk that is not JSON") from None
                if not isinstance(chunk, dict):
                    raise _Retryable("a streamed chunk that is not a JSON object")
                choices = chunk.get("choices") or []
                first = choices[0] if isinstance(choices, list) and choices else None
                delta = first.get("delta", {}) if isinstance(first, dict) else {}
                if isinstance(delta, dict) and isinstance(delta.get("content"), str) and delta["content"]:
                    if ttft is None:
                        ttft = time.perf_counter() - start
                    parts.append(delta["content"])
                    size += len(delta["content"])
                    if size > MAX_REPLY_CHARS:
                        raise _Fatal(f"a streamed reply longer than {MAX_REPLY_CHARS:,} characters", 200)
                if chunk.get("usage"):
                    usage = openai_usage(chunk)
        return self._answered("".join(parts), usage, time.perf_counter() - start, ttft, tries)
