"""Gzip for Streamlit's own static files, compressed once per file and kept in memory.

Streamlit 1.67 serves its JavaScript uncompressed (9.6 MB on the first visit, Plotly alone
4.7 MB) and leaves compression to a proxy in front of it; a team running
``streamlit run serve.py`` on a laptop or a small VM has none. Its reason for not compressing
at the origin is the CPU spent re-compressing on every request; the files under ``/static/``
are content-hashed (the hash is in the file name), so each is compressed once, in a worker
thread off the event loop, and the bytes are reused for every later request: from memory, and
from a disk cache (``~/.cache/tokenomics/static-gzip``, or ``TOKENOMICS_GZIP_CACHE``) so that a
restarted server does not compress them again. The disk cache is best effort: where it cannot
be written, memory alone is used.
"""

from __future__ import annotations

import asyncio
import gzip
import os
import re
from collections.abc import Awaitable, Callable, MutableMapping
from pathlib import Path
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

COMPRESSIBLE = (b"text/", b"application/javascript", b"application/json", b"image/svg+xml", b"application/wasm")
MINIMUM_SIZE = 1024
"""Smaller bodies are sent as they are: the gzip header would eat most of the saving."""
MAX_CACHED_BYTES = 64 * 1024 * 1024
"""Streamlit's static folder is about 26 MB (7 MB compressed): room for all of it, never more."""
LEVEL = 6
HASHED_NAME = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{6,}\.(js|css|mjs|svg|json)$")
"""Vite's content-hashed file names (``PlotlyChart.D9Z0_fxz.js``): safe to cache on disk by name."""


def cache_dir() -> Path:
    return Path(os.environ.get("TOKENOMICS_GZIP_CACHE") or Path.home() / ".cache" / "tokenomics" / "static-gzip")


def _read_cached(name: str) -> bytes | None:
    try:
        return (cache_dir() / (name + ".gz")).read_bytes()
    except OSError:
        return None


def _write_cached(name: str, packed: bytes) -> None:
    folder = cache_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        temporary = folder / f".{name}.{os.getpid()}.tmp"
        temporary.write_bytes(packed)
        temporary.replace(folder / (name + ".gz"))  # atomic: a reader never sees half a file
    except OSError:
        pass


def _compress(name: str | None, body: bytes) -> bytes:
    """The gzip bytes of ``body``, from the disk cache where a hashed file was compressed before."""
    if name is not None:
        cached = _read_cached(name)
        if cached is not None and gzip.decompress(cached) == body:
            return cached
    packed = gzip.compress(body, LEVEL, mtime=0)
    if name is not None:
        _write_cached(name, packed)
    return packed


def _header(headers: list[tuple[bytes, bytes]], name: bytes) -> bytes | None:
    return next((v for k, v in headers if k.lower() == name), None)


def _accepts_gzip(scope: Scope) -> bool:
    value = _header(list(scope.get("headers", [])), b"accept-encoding") or b""
    return b"gzip" in value.lower()


class StaticGzip:
    """ASGI middleware: GET requests under ``prefix`` answered with a cached gzip body when the
    browser accepts it; everything else (the websocket, range requests, small or binary files)
    passes through untouched."""

    def __init__(self, app: ASGIApp, prefix: str = "/static/") -> None:
        self.app = app
        self.prefix = prefix
        self.cache: dict[str, tuple[int, list[tuple[bytes, bytes]], bytes]] = {}
        self.cached_bytes = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope.get("method") != "GET"
            or self.prefix not in scope.get("path", "")
            or not _accepts_gzip(scope)
            or _header(list(scope.get("headers", [])), b"range") is not None
        ):
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        hit = self.cache.get(path)
        if hit is None:
            hit = await self._fetch(path, scope, receive)
        status, headers, body = hit
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body, "more_body": False})

    async def _fetch(self, path: str, scope: Scope, receive: Receive) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
        """Run the wrapped app, then compress what it answered if it is worth it."""
        start: Message = {}
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(bytes(message.get("body", b"")))

        await self.app(scope, receive, capture)
        status = int(start.get("status", 500))
        headers = [(bytes(k), bytes(v)) for k, v in start.get("headers", [])]
        body = b"".join(chunks)
        kind = (_header(headers, b"content-type") or b"").lower()
        if (
            status != 200
            or _header(headers, b"content-encoding") is not None
            or len(body) < MINIMUM_SIZE
            or not kind.startswith(COMPRESSIBLE)
        ):
            return status, headers, body
        base = path.rsplit("/", 1)[-1]
        packed = await asyncio.to_thread(_compress, base if HASHED_NAME.match(base) else None, body)
        kept = [(k, v) for k, v in headers if k.lower() not in (b"content-length", b"etag", b"vary")]
        etag = _header(headers, b"etag")
        if etag is not None:
            # Another representation of the same file: its own validator (RFC 9110, 8.8.3).
            kept.append((b"etag", etag.rstrip(b'"') + b'-gzip"'))
        kept += [
            (b"content-encoding", b"gzip"),
            (b"vary", b"Accept-Encoding"),
            (b"content-length", str(len(packed)).encode()),
        ]
        result = (status, kept, packed)
        if self.cached_bytes + len(packed) <= MAX_CACHED_BYTES:
            self.cache[path] = result
            self.cached_bytes += len(packed)
        return result
