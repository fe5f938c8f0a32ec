"""What several subcommands share: option types, reading measurements, writing files safely."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import pandas as pd

from inputs.bundled import aider_polyglot
from measurements.load import combine, read_measurements
from pricing.book import PriceSources, default_sources
from tokenomics.errors import InputError


def parse_date(text: str) -> date:
    """argparse type for YYYY-MM-DD options."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date: {text!r} (expected YYYY-MM-DD)") from None


def read_frames(paths: Sequence[str | Path] | None) -> pd.DataFrame:
    """The measurements in ``paths`` (default: the bundled Aider leaderboard) as one frame; notes to stderr."""
    sets = [read_measurements(p) for p in (paths or [aider_polyglot()])]
    for m in sets:
        for note in m.notes:
            print(f"note: {note}", file=sys.stderr)
    return combine(sets)


def price_sources(refresh: bool = False) -> PriceSources:
    """The bundled price layers, or (``refresh``, network) genai-prices' and LiteLLM's current data."""
    if not refresh:
        return default_sources()
    from pricing.litellm_map import refresh as refresh_litellm
    from pricing.snapshot import refresh as refresh_genai

    try:
        snapshot, litellm = refresh_genai(), refresh_litellm()
    except Exception as exc:
        raise InputError(f"could not fetch fresh price data ({type(exc).__name__}: {str(exc)[:200]})") from None
    print(f"note: priced with data fetched now: {snapshot.timestamp:%Y-%m-%d %H:%M}", file=sys.stderr)
    return default_sources(snapshot, litellm)


def write_atomically(path: Path, text: str) -> None:
    """Write through a temporary file in the same folder, so a failure leaves no half file."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
