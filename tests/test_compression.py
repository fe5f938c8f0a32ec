"""The static-file gzip of ``serve.py``: compressed once, cached, and only where it is safe."""

from __future__ import annotations

import asyncio
import gzip
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from ui import compression
from ui.compression import StaticGzip

SCRIPT = b"function plot(){return 1}\n" * 400  # 10,400 bytes of JavaScript
NAME = "PlotlyChart.D9Z0_fxz.js"


class Origin:
    """A stand-in for Streamlit's static route: counts how often it is asked."""

    def __init__(self, body: bytes = SCRIPT, kind: bytes = b"text/javascript; charset=utf-8", status: int = 200):
        self.body, self.kind, self.status, self.calls = body, kind, status, 0

    async def __call__(self, scope, receive, send) -> None:
        self.calls += 1
        headers = [(b"content-type", self.kind), (b"content-length", str(len(self.body)).encode()), (b"etag", b'"abc"')]
        await send({"type": "http.response.start", "status": self.status, "headers": headers})
        await send({"type": "http.response.body", "body": self.body})


def run(coroutine) -> None:
    """Run on a thread of its own: the browser tests' Playwright may hold an event loop in this one."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, coroutine).result()


def request(app, path: str = f"/static/js/{NAME}", encoding: bytes = b"gzip, deflate, br", extra=()) -> tuple:
    scope = {"type": "http", "method": "GET", "path": path, "headers": [(b"accept-encoding", encoding)]}
    scope["headers"] += list(extra)
    sent: list[dict] = []

    async def receive():
        return {"type": "http.request"}

    async def send(message):
        sent.append(message)

    run(app(scope, receive, send))
    start = sent[0]
    body = b"".join(m.get("body", b"") for m in sent[1:])
    return start["status"], dict(start["headers"]), body


@pytest.fixture(autouse=True)
def disk_cache(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.setenv("TOKENOMICS_GZIP_CACHE", str(tmp_path))
    return tmp_path


def test_a_script_is_compressed_once_and_served_from_memory_after() -> None:
    origin = Origin()
    app = StaticGzip(origin)
    status, headers, body = request(app)
    assert status == 200
    assert headers[b"content-encoding"] == b"gzip"
    assert headers[b"vary"] == b"Accept-Encoding"
    assert headers[b"etag"] == b'"abc-gzip"'
    assert int(headers[b"content-length"]) == len(body) < len(SCRIPT) / 10
    assert gzip.decompress(body) == SCRIPT
    assert request(app)[2] == body
    assert origin.calls == 1


def test_a_restarted_server_reuses_the_compressed_file_on_disk(disk_cache: Path, monkeypatch) -> None:
    request(StaticGzip(Origin()))
    assert (disk_cache / f"{NAME}.gz").is_file()
    monkeypatch.setattr(compression.gzip, "compress", lambda *a, **k: pytest.fail("compressed again"))
    assert gzip.decompress(request(StaticGzip(Origin()))[2]) == SCRIPT


def test_a_stale_file_on_disk_is_not_served(disk_cache: Path) -> None:
    (disk_cache / f"{NAME}.gz").write_bytes(gzip.compress(b"something else"))
    assert gzip.decompress(request(StaticGzip(Origin()))[2]) == SCRIPT


@pytest.mark.parametrize(
    ("path", "encoding", "extra", "origin"),
    [
        ("/_stcore/health", b"gzip", (), Origin()),  # not a static file
        (f"/static/js/{NAME}", b"identity", (), Origin()),  # the browser does not accept gzip
        (f"/static/js/{NAME}", b"gzip", [(b"range", b"bytes=0-99")], Origin()),  # a range request
        ("/static/media/logo.png", b"gzip", (), Origin(kind=b"image/png")),  # already compressed
        ("/static/js/tiny.a1b2c3d4.js", b"gzip", (), Origin(body=b"x=1")),  # too small to gain
        (f"/static/js/{NAME}", b"gzip", (), Origin(status=404)),
    ],
)
def test_everything_else_passes_through_as_it_was(path, encoding, extra, origin) -> None:
    status, headers, body = request(StaticGzip(origin), path, encoding, extra)
    assert b"content-encoding" not in headers
    assert (status, body) == (origin.status, origin.body)


def test_a_websocket_is_left_alone() -> None:
    seen = []

    async def inner(scope, receive, send):
        seen.append(scope["type"])

    run(StaticGzip(inner)({"type": "websocket", "path": "/_stcore/stream"}, None, None))
    assert seen == ["websocket"]
