"""Reading ``data/exchange_rates.csv``: the European Central Bank's euro reference rates for the
US dollar and the renminbi on dated days, each row with where it was read (``data/README.md``)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from inputs.bundled import data_file
from inputs.sourced_csv import parse_rows

Positive = Annotated[float, Field(gt=0, lt=1e4, allow_inf_nan=False)]


class ReferenceRate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    rate_date: date
    """The day the ECB published the rates for (its ``Cube time``)."""
    usd_per_eur: Positive
    cny_per_eur: Positive
    publisher: Annotated[str, Field(min_length=1, max_length=100)]
    """Who publishes the rate, as a figure's tooltip names it."""
    source: Annotated[str, Field(min_length=1, max_length=500)]
    """Where this row was read."""
    checked_on: date


def parse_rates(text: str, name: str) -> pd.DataFrame:
    rows = parse_rows(text, name, ReferenceRate)
    frame = pd.DataFrame([r.model_dump() for r in rows], columns=list(ReferenceRate.model_fields))
    return frame.sort_values("rate_date", ignore_index=True)


def rates_path() -> Path:
    return data_file("exchange_rates.csv")


def load_rates(path: str | Path | None = None) -> pd.DataFrame:
    target = Path(path) if path is not None else rates_path()
    return parse_rates(target.read_text(encoding="utf-8"), target.name)
