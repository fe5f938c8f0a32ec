"""A small OpenAI-compatible chat-completions server for the tests and the benchmark.

A real HTTP/1.1 server (asyncio streams, keep-alive) on 127.0.0.1, run in a thread
(``FakeServer(...).start()``) or as a process (``python tests/harness/fakeserver.py``). It
answers deterministically and can inject faults.

Answers: ``answers`` maps the last user message to the reply; other prompts get ``"I don't
know."``. Usage, for a prompt of P characters (all messages' contents) and a reply of R
characters: ``prompt_tokens = P``, ``cached_tokens = P // 2``, ``completion_tokens = R + 5`` of
which ``reasoning_tokens = 5``.

Faults: a prompt is *faulty* when ``crc32(prompt) % 100 < fault_percent``; its first
``fault_times`` requests get a fault (its kind chosen by the same hash from ``fault_kinds``),
later ones a normal answer. Kinds: ``429`` (with ``Retry-After``), ``500``, ``slow`` (answer
after ``slow_s``), ``malformed`` (a 200 whose body is not JSON), ``drop`` (close the
connection without a response). ``always_fail`` prompts get 500 on every request.

Hostile replies: ``hostile`` maps a prompt to a kind of reply a misbehaving endpoint may send:
``echo_key`` (the request's Authorization header inside the reply), ``inf_usage`` (``Infinity``
tokens), ``huge_usage`` (1e23 tokens), ``fraction_usage`` (10.5 tokens), ``big_int_usage``
(2^64 tokens), ``not_object`` (a JSON array), ``deep`` (nesting 10,000 levels), ``long_number``
(a 5,000-digit number), ``bad_choices`` (``choices`` a string), ``redos`` (a reply that makes
``(a+)+$``-style patterns backtrack).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import sys
import threading
import zlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

FAULT_KINDS = ("429", "500", "slow", "malformed", "drop")


@dataclass
class Config:
    answers: dict[str, str] = field(default_factory=dict)
    fault_percent: int = 0
    fault_kinds: tuple[str, ...] = FAULT_KINDS
    fault_times: int = 1
    retry_after: str = "0"
    slow_s: float = 2.0
    delay_s: float = 0.0
    """Every answer waits this long (to keep requests in flight)."""
    usage_style: str = "openai"
    """``openai``, ``deepseek`` (``prompt_cache_hit_tokens``), ``openrouter`` (adds ``cost``) or ``none``."""
    always_fail: frozenset[str] = frozenset()
    hostile: dict[str, str] = field(default_factory=dict)


def _hash(text: str) -> int:
    return zlib.crc32(text.encode())


def fault_for(config: Config, prompt: str, nth: int) -> str | None:
    """The fault for the nth (0-based) request of this prompt, if any."""
    if prompt in config.always_fail:
        return "500"
    h = _hash(prompt)
    if h % 100 < config.fault_percent and nth < config.fault_times:
        return config.fault_kinds[(h // 100) % len(config.fault_kinds)]
    return None


def usage_block(config: Config, prompt_chars: int, reply: str) -> dict | None:
    completion = len(reply) + 5
    if config.usage_style == "none":
        return None
    if config.usage_style == "deepseek":
        return {
            "prompt_tokens": prompt_chars,
            "completion_tokens": completion,
            "prompt_cache_hit_tokens": prompt_chars // 2,
            "prompt_cache_miss_tokens": prompt_chars - prompt_chars // 2,
            "completion_tokens_details": {"reasoning_tokens": 5},
        }
    usage = {
        "prompt_tokens": prompt_chars,
        "completion_tokens": completion,
        "total_tokens": prompt_chars + completion,
        "prompt_tokens_details": {"cached_tokens": prompt_chars // 2},
        "completion_tokens_details": {"reasoning_tokens": 5},
    }
    if config.usage_style == "openrouter":
        usage["cost"] = 0.0001
    return usage


def hostile_body(kind: str, headers: dict[str, str], reply: str) -> bytes:
    """The body of a misbehaving endpoint's 200 reply (see the module docstring)."""
    usage = '{"prompt_tokens": 10, "completion_tokens": 3}'
    content = json.dumps(reply)
    if kind == "echo_key":
        content = json.dumps(f"you sent: {headers.get('authorization', '')}; {reply}")
    elif kind == "redos":
        content = json.dumps("a" * 5000 + "!")
    usages = {
        "inf_usage": '{"prompt_tokens": Infinity, "completion_tokens": 3}',
        "huge_usage": '{"prompt_tokens": 1e23, "completion_tokens": 3}',
        "fraction_usage": '{"prompt_tokens": 10.5, "completion_tokens": 3}',
        "big_int_usage": '{"prompt_tokens": 18446744073709551616, "completion_tokens": 3}',
        "long_number": '{"prompt_tokens": ' + "9" * 5000 + ', "completion_tokens": 3}',
    }
    if kind == "not_object":
        return b"[1, 2, 3]"
    if kind == "deep":
        return ("[" * 10000 + "]" * 10000).encode()
    if kind == "bad_choices":
        return b'{"choices": "none", "usage": {"prompt_tokens": 1, "completion_tokens": 1}}'
    body = '{"choices": [{"index": 0, "message": {"role": "assistant", "content": ' + content + "}}], "
    return (body + '"usage": ' + usages.get(kind, usage) + "}").encode()


def _response(status: int, body: bytes, content_type: str = "application/json", extra: str = "") -> bytes:
    reason = {200: "OK", 400: "Bad Request", 404: "Not Found", 429: "Too Many Requests", 500: "Server Error"}
    head = (
        f"HTTP/1.1 {status} {reason.get(status, 'Status')}\r\nContent-Type: {content_type}\r\n"
        f"Content-Length: {len(body)}\r\n{extra}\r\n"
    )
    return head.encode() + body


class FakeServer:
    """The server in a background thread; ``with FakeServer(config) as server: server.base_url``."""

    def __init__(self, config: Config | None = None, port: int = 0) -> None:
        self.config = config or Config()
        self.port = port
        self.requests = 0
        self.faults: Counter[str] = Counter()
        self.seen: Counter[str] = Counter()
        self.auth_headers: set[str] = set()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._server: asyncio.AbstractServer | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    async def serve(self) -> asyncio.AbstractServer:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", self.port, backlog=1024)
        self.port = self._server.sockets[0].getsockname()[1]
        return self._server

    def start(self) -> FakeServer:
        def main() -> None:
            self._loop = asyncio.new_event_loop()
            self._loop.run_until_complete(self.serve())
            self._ready.set()
            self._loop.run_forever()
            self._loop.close()

        self._thread = threading.Thread(target=main, name="fakeserver", daemon=True)
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("the fake server did not start")
        return self

    async def _shutdown(self) -> None:
        """Close the listener and every open connection, so nothing outlives the test."""
        assert self._server is not None
        self._server.close()
        tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await self._server.wait_closed()
        asyncio.get_running_loop().stop()

    def stop(self) -> None:
        if self._loop is not None and self._thread is not None:
            asyncio.run_coroutine_threadsafe(self._shutdown(), self._loop)
            self._thread.join(10)

    def __enter__(self) -> FakeServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                request_line = await reader.readline()
                if not request_line:
                    break
                headers: dict[str, str] = {}
                while (line := await reader.readline()) not in (b"\r\n", b"\n", b""):
                    name, _, value = line.decode("latin-1").partition(":")
                    headers[name.strip().lower()] = value.strip()
                body = await reader.readexactly(int(headers.get("content-length", "0")))
                if not await self._answer(request_line.decode("latin-1"), headers, body, writer):
                    break
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()
            with contextlib.suppress(ConnectionError, asyncio.CancelledError):
                await writer.wait_closed()

    async def _answer(self, request_line: str, headers: dict[str, str], body: bytes, writer) -> bool:
        """Write one response; False when the connection must be dropped."""
        self.requests += 1
        if "authorization" in headers:
            self.auth_headers.add(headers["authorization"])
        if request_line.split(" ")[1] != "/v1/chat/completions":
            writer.write(_response(404, b'{"error": "not found"}'))
            return True
        try:
            request = json.loads(body)
            messages = request["messages"]
            prompt = messages[-1]["content"]
        except (ValueError, KeyError, IndexError, TypeError):
            writer.write(_response(400, b'{"error": "bad request"}'))
            return True
        config = self.config
        nth = self.seen[prompt]
        self.seen[prompt] += 1
        fault = fault_for(config, prompt, nth)
        if fault:
            self.faults[fault] += 1
        if fault == "drop":
            return False
        if fault == "429":
            writer.write(_response(429, b'{"error": "rate limited"}', extra=f"Retry-After: {config.retry_after}\r\n"))
            return True
        if fault == "500":
            writer.write(_response(500, b'{"error": "boom"}'))
            return True
        if fault == "malformed":
            writer.write(_response(200, b'{"choices": [{"message": {"content": "trunc'))
            return True
        if fault == "slow":
            await asyncio.sleep(config.slow_s)
        if config.delay_s:
            await asyncio.sleep(config.delay_s)
        reply = config.answers.get(prompt, "I don't know.")
        prompt_chars = sum(len(m.get("content", "")) for m in messages)
        usage = usage_block(config, prompt_chars, reply)
        if prompt in config.hostile:
            writer.write(_response(200, hostile_body(config.hostile[prompt], headers, reply)))
            await writer.drain()
            return True
        if request.get("stream"):
            await self._stream(writer, reply, usage)
            return True
        data = {
            "id": f"cmpl-{nth}",
            "object": "chat.completion",
            "model": request.get("model"),
            "choices": [{"index": 0, "message": {"role": "assistant", "content": reply}, "finish_reason": "stop"}],
        }
        if usage is not None:
            data["usage"] = usage
        writer.write(_response(200, json.dumps(data).encode()))
        await writer.drain()
        return True

    async def _stream(self, writer, reply: str, usage: dict | None) -> None:
        half = len(reply) // 2
        events = [{"choices": [{"index": 0, "delta": {"content": part}}]} for part in (reply[:half], reply[half:])]
        events.append({"choices": [], "usage": usage})
        chunks = [f"data: {json.dumps(e)}\n\n".encode() for e in events] + [b"data: [DONE]\n\n"]
        body = b"".join(chunks)
        head = _response(200, body, "text/event-stream")[: -len(body)]
        writer.write(head + chunks[0])
        await writer.drain()
        await asyncio.sleep(0.02)  # so the time to first token is measurably shorter than the latency
        writer.write(b"".join(chunks[1:]))
        await writer.drain()


def main() -> None:
    """Serve in the foreground; prints ``PORT <n>`` once listening (the benchmark reads it)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--answers", help="JSON file mapping prompts to replies")
    args = parser.parse_args()
    answers = json.loads(Path(args.answers).read_text(encoding="utf-8")) if args.answers else {}
    server = FakeServer(Config(answers=answers), args.port)

    async def run() -> None:
        srv = await server.serve()
        print(f"PORT {server.port}", flush=True)
        async with srv:
            await srv.serve_forever()

    try:
        asyncio.run(run())
    except KeyboardInterrupt:
        sys.exit(0)


if __name__ == "__main__":
    main()
