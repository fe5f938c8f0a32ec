"""Reading ``data/model_params.csv``: parameter counts and KV-cache sizes of open-weight models,
each row with where it was read (``data/README.md``), for the Self-host page's memory check."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Annotated

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, field_validator

from inputs.bundled import data_file
from inputs.sourced_csv import parse_rows

MAX_PARAMS_B = 1e5
"""100,000 billion parameters: far above any published model, low enough to catch a unit slip."""


class ModelParams(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    match_pattern: Annotated[str, Field(min_length=1, max_length=200)]
    """Case-insensitive regular expression on a model's label, then its id; the first match wins."""
    model: Annotated[str, Field(min_length=1)]
    hf_repo: str = ""
    total_params_b: Annotated[float, Field(gt=0, le=MAX_PARAMS_B, allow_inf_nan=False)]
    """Every parameter the weights hold, in billions (a mixture of experts keeps all experts in memory)."""
    active_params_b: Annotated[float, Field(gt=0, le=MAX_PARAMS_B, allow_inf_nan=False)] | None = None
    native_precision: str = ""
    context_tokens: Annotated[int, Field(gt=0, le=10_000_000)] | None = None
    """The longest context the published model serves."""
    kv_bytes_per_token_bf16: Annotated[float, Field(gt=0, le=1e8, allow_inf_nan=False)] | None = None
    """KV cache per token of context in BF16; empty where the sources do not give the shape."""
    kv_note: str = ""
    source: Annotated[str, Field(min_length=1)]
    checked_on: date
    notes: str = ""

    @field_validator("match_pattern")
    @classmethod
    def _compiles(cls, value: str) -> str:
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"not a regular expression ({exc})") from None
        return value


def parse_params(text: str, name: str) -> pd.DataFrame:
    rows = parse_rows(text, name, ModelParams)
    return pd.DataFrame([r.model_dump() for r in rows], columns=list(ModelParams.model_fields))


def params_path() -> Path:
    return data_file("model_params.csv")


def load_params(path: str | Path | None = None) -> pd.DataFrame:
    target = Path(path) if path is not None else params_path()
    return parse_params(target.read_text(encoding="utf-8"), target.name)
