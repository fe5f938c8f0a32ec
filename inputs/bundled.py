"""Where the bundled data lives, in a source checkout and in an installed package.

A checkout keeps it in ``data/`` at the repository root; ``pip install .`` ships the same folder
as the ``tokenomics_data`` package (see ``pyproject.toml``), so the installed ``tokenomics``
command finds it from any working directory.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pandas as pd

_CHECKOUT = Path(__file__).resolve().parent.parent / "data"
# A file only this project ships: an unrelated ``data/`` folder beside an installed package is not ours.
_MARKER = "aider_polyglot.csv"


def data_dir() -> Path:
    """The folder holding ``aider_polyglot.csv``, ``haircuts.csv``, ``gpu_presets.csv`` and ``tasks/``."""
    if (_CHECKOUT / _MARKER).is_file():
        return _CHECKOUT
    spec = importlib.util.find_spec("tokenomics_data")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("the bundled data is missing: neither data/ nor an installed tokenomics_data")
    # A folder without __init__.py installs as a namespace package: take its one location.
    return Path(next(iter(spec.submodule_search_locations)))


def data_file(*parts: str) -> Path:
    return data_dir().joinpath(*parts)


def aider_polyglot() -> Path:
    """The bundled Aider polyglot leaderboard, the default measurements."""
    return data_file("aider_polyglot.csv")


def read_haircut_table() -> pd.DataFrame:
    """``haircuts.csv``: AIME 2024 vs 2025 falls per model, with origin group and source."""
    return pd.read_csv(data_file("haircuts.csv"))
