"""Checks on an endpoint before any key or request goes to it: its URL, that it answers, where it is.

A run is created only after the base URL is a plain http(s) URL, its host accepts a connection,
and (on the command line) one real request was answered: an unreachable or wrong endpoint fails
in seconds with exit 2, instead of spending a minute on failing requests and leaving a bogus run.
"""

from __future__ import annotations

import socket
from urllib.parse import urlsplit

from tokenomics.errors import InputError

EXAMPLE = "an http(s) URL such as https://api.deepseek.com/v1"
CONNECT_TIMEOUT_S = 10.0


def origin(url: str) -> str:
    """``scheme://host:port`` of a URL: where a request (and the key) goes.

    >>> origin("https://API.example.com/v1"), origin("http://127.0.0.1:8000/v1/")
    ('https://api.example.com:443', 'http://127.0.0.1:8000')
    """
    parts = urlsplit(url.strip())
    try:
        port = parts.port
    except ValueError:
        port = None
    port = port or (443 if parts.scheme == "https" else 80)
    return f"{parts.scheme}://{(parts.hostname or '').lower()}:{port}"


def check_base_url(url: str) -> str:
    """The URL stripped, or an ``InputError`` if it is not a usable http(s) endpoint root.

    >>> check_base_url(" https://api.deepseek.com/v1 ")
    'https://api.deepseek.com/v1'
    """
    text = url.strip()
    parts = urlsplit(text)
    try:
        _ = parts.port  # parsing the port is what raises
    except ValueError:
        raise InputError("the base URL has an invalid port", found=text, expected=EXAMPLE) from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InputError("the base URL is not an http(s) URL with a host", found=text, expected=EXAMPLE)
    if parts.username or parts.password:
        raise InputError("the base URL carries a user name or password", expected="the key in an environment variable")
    if parts.query or parts.fragment:
        raise InputError("the base URL has a query or fragment", found=text, expected=EXAMPLE)
    return text


def check_reachable(url: str, timeout: float = CONNECT_TIMEOUT_S) -> None:
    """Open (and close) a TCP connection to the URL's host; an ``InputError`` if it cannot be reached."""
    parts = urlsplit(check_base_url(url))
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        with socket.create_connection((host, port), timeout=timeout):
            pass
    except OSError as exc:
        why = exc.strerror or type(exc).__name__
        raise InputError(
            f"cannot reach {host}:{port} ({why})", expected="a running endpoint: check the base URL and the network"
        ) from None
