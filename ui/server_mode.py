"""Shared-server mode: what the dashboard may touch when people other than its owner use it.

On one's own machine the Measure page may read any task file, write a store anywhere and take
the key from any environment variable. On a shared server each of those is a hole: anyone with
the page could make the server send its secrets as a bearer token to a URL of their choice, or
read and write its files. With ``TOKENOMICS_SHARED=1`` (docs/measure.md, "Shared server"):

- keys come only from the variables in ``TOKENOMICS_KEY_VARIABLES`` (``NAME=URL,...``), and a
  server key goes only to the endpoint configured for it; a user may still paste their own key;
- task sets are the shipped ones or an upload, never a server path;
- stores are file names inside ``TOKENOMICS_STORE_DIR`` (default ``stores``), never paths.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from harness.endpoint import check_base_url, origin
from tokenomics.errors import InputError

STORE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,100}\.(?:sqlite|sqlite3|db)")
TRUE = {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class ServerMode:
    shared: bool
    key_variables: dict[str, str]
    """Environment variable -> the only endpoint (base URL) its key is sent to."""
    store_dir: Path


def server_mode() -> ServerMode:
    """The mode from the environment (read on every page run, so a test can set it)."""
    shared = os.environ.get("TOKENOMICS_SHARED", "").strip().lower() in TRUE
    keys: dict[str, str] = {}
    for entry in os.environ.get("TOKENOMICS_KEY_VARIABLES", "").split(","):
        name, _, url = entry.strip().partition("=")
        if name and url:
            keys[name.strip()] = check_base_url(url)
    return ServerMode(shared, keys, Path(os.environ.get("TOKENOMICS_STORE_DIR", "stores")))


def store_path(mode: ServerMode, text: str) -> Path:
    """Where a store lives: in shared mode a plain file name inside the store folder, else the path given."""
    if not mode.shared:
        return Path(text)
    name = text.strip()
    if not STORE_NAME.fullmatch(name):
        raise InputError(
            "a store is a file name on this shared server",
            found=name,
            expected="letters, digits, '.', '_' or '-' ending .sqlite (no folders)",
        )
    mode.store_dir.mkdir(parents=True, exist_ok=True)
    return mode.store_dir / name


def server_key(mode: ServerMode, variable: str, base_url: str) -> str | None:
    """The key in a server variable, refused unless this mode allows it for this endpoint."""
    if not mode.shared:
        return os.environ.get(variable.strip()) or None
    if variable not in mode.key_variables:
        raise InputError("that key variable is not offered on this server", found=variable)
    allowed = mode.key_variables[variable]
    if origin(base_url) != origin(allowed):
        raise InputError(
            f"the server's {variable} is sent only to {origin(allowed)}",
            expected="that endpoint, or paste your own API key",
        )
    return os.environ.get(variable) or None
