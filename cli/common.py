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

from engine import wants_engine
from inputs.bundled import aider_polyglot
from measurements.load import combine, read_measurements
from pricing.book import PriceSources, default_sources
from pricing.comparison import Comparison, compare_measurements, split_datasets
from pricing.custom import CustomPrice
from tokenomics.compare import CompareOptions
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


def comparisons(
    paths: Sequence[str | Path] | None,
    custom: Sequence[CustomPrice],
    options: CompareOptions,
    *,
    as_of: date | None = None,
    refresh: bool = False,
    engine: str = "auto",
) -> list[tuple[str, Comparison]]:
    """One comparison per dataset of the measurement files (default: the bundled leaderboard), priced
    by the engine ``engine.wants_engine`` picks; notes on the files go to stderr."""
    sources = price_sources(refresh)
    if wants_engine(paths, engine):
        from engine.run import compare_files  # DuckDB and Ibis load only for large files

        assert paths is not None
        results, notes = compare_files(paths, sources, custom, as_of=as_of, options=options)
        for note in notes:
            print(f"note: {note}", file=sys.stderr)
        return results
    frame = read_frames(paths)
    check_baseline(options.baseline, set(frame["label"]))
    return [
        (name, compare_measurements(part, sources, custom, as_of=as_of, options=options))
        for name, part in split_datasets(frame)
    ]


def check_baseline(baseline: str | None, labels: set[str]) -> None:
    """A baseline that is not a model label is an error listing the labels."""
    if baseline and baseline not in labels:
        raise InputError(
            f"baseline {baseline!r} is not a model in the measurements",
            expected="one of: " + ", ".join(sorted(labels)[:20]) + (" ..." if len(labels) > 20 else ""),
        )


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


def read_text(path: str) -> str:
    """A UTF-8 text file, or an InputError saying why it cannot be read."""
    try:
        return Path(path).read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise InputError(f"cannot read the file ({exc.strerror})", file=path) from None
    except UnicodeDecodeError:
        raise InputError("not UTF-8 text", file=path, expected="a UTF-8 file") from None


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
