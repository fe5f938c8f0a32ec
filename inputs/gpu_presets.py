"""Reading ``data/gpu_presets.csv``: the Self-host page's starting points, each figure with its source."""

from __future__ import annotations

from pathlib import Path

from inputs.bundled import data_file
from inputs.sourced_csv import parse_rows
from tokenomics.selfhost import GpuPreset


def load_presets(path: str | Path | None = None) -> list[GpuPreset]:
    target = Path(path) if path is not None else data_file("gpu_presets.csv")
    return parse_rows(target.read_text(encoding="utf-8"), target.name, GpuPreset)
