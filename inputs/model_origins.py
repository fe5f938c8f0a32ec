"""Reading ``data/model_origins.csv``: per model family, its lab, the lab's country group and
whether its weights are open, each with the source that says so (``data/README.md``)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Annotated

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from inputs.bundled import data_file
from inputs.safe_csv import header, records, trim
from tokenomics.errors import InputError, clip


class OriginRow(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    match_pattern: Annotated[str, Field(min_length=1, max_length=200)]
    """Case-insensitive regular expression on a model's label, then its id; the first match wins."""
    family: Annotated[str, Field(min_length=1)]
    vendor: Annotated[str, Field(min_length=1)]
    lab_country: str = ""
    origin: Annotated[str, Field(min_length=1)]
    """``CN``, ``Western`` or another group the lab's headquarters fall in."""
    open_weights: bool
    weights_licence: str = ""
    source: str = ""
    """Where the weights (and their licence) are published; empty for API-only models."""
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


def parse_origins(text: str, name: str) -> pd.DataFrame:
    names, dropped = header(text, name)
    rows = []
    for line, record in records(text, name):
        fields = trim(record, len(names), dropped)
        if len(fields) != len(names):
            raise InputError(
                f"{len(fields)} fields", file=name, line=line, expected=f"{len(names)}, one per header column"
            )
        values = dict(zip(names, fields, strict=True))
        try:
            row = OriginRow.model_validate({k: v for k, v in values.items() if v != ""})
        except ValidationError as exc:
            first = exc.errors()[0]
            raise InputError(
                clip(first["msg"]), file=name, line=line, column=".".join(str(p) for p in first["loc"]) or None
            ) from None
        if row.open_weights and not row.source:
            raise InputError(
                "an open-weight family needs the source of its weights", file=name, line=line, column="source"
            )
        rows.append(row.model_dump())
    return pd.DataFrame(rows)


def origins_path() -> Path:
    return data_file("model_origins.csv")


def load_origins(path: str | Path | None = None) -> pd.DataFrame:
    target = Path(path) if path is not None else origins_path()
    return parse_origins(target.read_text(encoding="utf-8"), target.name)
