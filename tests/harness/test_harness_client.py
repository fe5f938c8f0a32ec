"""The HTTP client against the real fake server: retries, Retry-After, timeouts, errors, streaming."""

from __future__ import annotations

import asyncio
import random
import time

import pytest
from fakeserver import Config, FakeServer

from harness.client import ChatClient, ClientSettings, backoff_delay, retry_after_seconds
from harness.runner import run_blocking
from harness.tasks import Task
from harness.usage import Usage

TASK = Task(id="add", prompt="What is 2 + 3?", expected=5, grader="numeric")
ANSWERS = {"What is 2 + 3?": "2 + 3 = 5"}
# 14-character prompt, 9-character reply: the fake server's usage rule.
USAGE = Usage(input_tokens=14, cache_read_tokens=7, output_tokens=14, reasoning_tokens=5)


def attempt(config: Config, **settings):
    with FakeServer(config) as server:
        client_settings = ClientSettings(base_url=server.base_url, model="m", **{"backoff_s": 0.01, **settings})

        async def go():
            async with ChatClient(client_settings, 2, random.Random(0)) as client:
                return await client.attempt(TASK)

        return run_blocking(go()), server


def test_answer_and_usage() -> None:
    outcome, server = attempt(Config(answers=ANSWERS))
    assert outcome.reply == "2 + 3 = 5"
    assert outcome.usage == USAGE
    assert outcome.error is None
    assert outcome.tries == 1
    assert outcome.ttft_s is None
    assert 0 < outcome.latency_s < 5
    assert server.requests == 1


@pytest.mark.parametrize("kind", ["429", "500", "slow", "malformed", "drop"])
def test_each_fault_is_retried_then_answered(kind: str) -> None:
    config = Config(answers=ANSWERS, fault_percent=100, fault_kinds=(kind,), fault_times=2, slow_s=1.0)
    outcome, server = attempt(config, timeout_s=0.3)
    assert outcome.error is None
    assert outcome.reply == "2 + 3 = 5"
    assert outcome.tries == 3
    assert server.faults == {kind: 2}


def test_retry_after_is_honoured() -> None:
    config = Config(answers=ANSWERS, fault_percent=100, fault_kinds=("429",), fault_times=1, retry_after="0.4")
    start = time.perf_counter()
    outcome, _ = attempt(config)
    assert outcome.tries == 2
    assert time.perf_counter() - start >= 0.4


def test_a_request_that_keeps_failing_is_an_error_not_a_failure() -> None:
    config = Config(answers=ANSWERS, always_fail=frozenset({"What is 2 + 3?"}))
    outcome, server = attempt(config, max_retries=2)
    assert outcome.reply is None
    assert outcome.error == "HTTP 500; gave up after 3 tries"
    assert server.requests == 3


def test_client_errors_are_not_retried() -> None:
    with FakeServer(Config(answers=ANSWERS)) as server:
        settings = ClientSettings(base_url=f"http://127.0.0.1:{server.port}/wrong", model="m")

        async def go():
            async with ChatClient(settings, 1) as client:
                return await client.attempt(TASK)

        outcome = run_blocking(go())
        assert server.requests == 1
    assert outcome.error == "HTTP 404 (not retried: check the base URL, model name and API key)"
    assert outcome.status == 404


def test_connection_refused_is_an_error_attempt() -> None:
    with FakeServer() as server:
        port = server.port
    settings = ClientSettings(base_url=f"http://127.0.0.1:{port}/v1", model="m", max_retries=1, backoff_s=0.01)

    async def go():
        async with ChatClient(settings, 1) as client:
            return await client.attempt(TASK)

    outcome = run_blocking(go())
    assert outcome.error == "connection failed (ConnectError); gave up after 2 tries"


def test_missing_usage_is_recorded_as_unknown() -> None:
    outcome, _ = attempt(Config(answers=ANSWERS, usage_style="none"))
    assert outcome.reply == "2 + 3 = 5"
    assert outcome.usage is None


@pytest.mark.parametrize(
    ("style", "usage"),
    [
        ("deepseek", Usage(input_tokens=14, cache_read_tokens=7, output_tokens=14, reasoning_tokens=5)),
        ("openrouter", Usage(14, 7, None, 14, 5, cost_usd=0.0001)),
    ],
)
def test_provider_usage_variants(style: str, usage: Usage) -> None:
    outcome, _ = attempt(Config(answers=ANSWERS, usage_style=style))
    assert outcome.usage == usage


def test_streaming_records_time_to_first_token() -> None:
    outcome, _ = attempt(Config(answers=ANSWERS), stream=True)
    assert outcome.reply == "2 + 3 = 5"
    assert outcome.usage == USAGE
    assert outcome.ttft_s is not None
    assert outcome.ttft_s + 0.015 <= outcome.latency_s  # the fake server pauses 20 ms after the first chunk


def test_backoff_grows_and_respects_retry_after() -> None:
    settings = ClientSettings(base_url="http://x", model="m", backoff_s=0.5, backoff_max_s=4.0)
    rng = random.Random(1)
    delays = [backoff_delay(n, settings, None, rng) for n in range(6)]
    ceilings = [0.5, 1.0, 2.0, 4.0, 4.0, 4.0]
    assert all(0 <= d <= c for d, c in zip(delays, ceilings, strict=True))
    assert backoff_delay(0, settings, 3.0, rng) >= 3.0
    assert backoff_delay(0, settings, 100.0, rng) == 4.0  # capped: a hostile header cannot stall a run


def test_retry_after_forms() -> None:
    assert retry_after_seconds("3") == 3.0
    assert retry_after_seconds("-2") == 0.0
    assert retry_after_seconds(None) is None
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412470.0) == 10.0


def test_run_blocking_works_inside_a_running_event_loop() -> None:
    async def outer() -> int:
        return run_blocking(asyncio.sleep(0, result=7))  # asyncio.run would refuse here

    assert run_blocking(outer()) == 7
