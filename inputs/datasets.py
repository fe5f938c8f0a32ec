"""The bundled datasets: one row each in ``data/datasets.csv``, never pooled with another.

A *dataset* is one benchmark or log source. The registry says what a row of each is, where it
comes from and under which licence; the number of rows and models is counted from the file
itself, so the listing cannot drift from the data.
"""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import Annotated, Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from inputs.bundled import data_file
from inputs.safe_csv import header, records, trim
from tokenomics.errors import InputError, clip

MEASUREMENTS = "measurements"
HAIRCUT_PRESETS = "haircut presets"


class DatasetInfo(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    id: Annotated[str, Field(min_length=1, pattern=r"^[a-z0-9][a-z0-9-]*$")]
    """Short id used by ``--dataset`` and the ``dataset`` column."""
    name: Annotated[str, Field(min_length=1)]
    kind: Literal["measurements", "haircut presets"]
    """``measurements`` (compared and found on) or ``haircut presets`` (success-rate haircuts)."""
    unit: Annotated[str, Field(min_length=1)]
    """What one row of the file is."""
    file: Annotated[str, Field(min_length=1)]
    """File name in ``data/``."""
    licence: Annotated[str, Field(min_length=1)]
    source: Annotated[str, Field(min_length=1)]
    """Where the figures come from (repository, path, commit)."""
    as_of: date
    """Date of the source snapshot."""


def parse_registry(text: str, name: str) -> list[DatasetInfo]:
    names, dropped = header(text, name)
    out = []
    for line, record in records(text, name):
        fields = trim(record, len(names), dropped)
        if len(fields) != len(names):
            raise InputError(f"{len(fields)} fields", file=name, line=line, expected=f"{len(names)}")
        try:
            out.append(DatasetInfo.model_validate(dict(zip(names, fields, strict=True))))
        except ValidationError as exc:
            first = exc.errors()[0]
            raise InputError(
                clip(first["msg"]), file=name, line=line, column=".".join(str(p) for p in first["loc"]) or None
            ) from None
    return out


def load_registry(path: str | Path | None = None) -> list[DatasetInfo]:
    target = Path(path) if path is not None else data_file("datasets.csv")
    return parse_registry(target.read_text(encoding="utf-8"), target.name)


def measurement_datasets() -> list[DatasetInfo]:
    """The bundled datasets that can be compared (not the haircut presets)."""
    return [d for d in load_registry() if d.kind == MEASUREMENTS]


def dataset_info(dataset_id: str) -> DatasetInfo:
    """The bundled measurement dataset ``dataset_id``; an unknown id is an ``InputError`` listing the known."""
    known = measurement_datasets()
    for d in known:
        if d.id == dataset_id:
            return d
    raise InputError(
        f"unknown dataset {dataset_id!r}",
        column="--dataset",
        column_word="option",
        expected=", ".join(d.id for d in known),
    )


def dataset_path(dataset_id: str) -> Path:
    return data_file(dataset_info(dataset_id).file)


def registry_frame() -> pd.DataFrame:
    """The registry with ``rows`` and ``models`` counted from each file."""
    records_ = []
    for d in load_registry():
        frame = pd.read_csv(io.StringIO(data_file(d.file).read_text(encoding="utf-8")), dtype=str)
        key = "label" if "label" in frame.columns else "model"
        records_.append(
            {
                "id": d.id,
                "name": d.name,
                "kind": d.kind,
                "unit": d.unit,
                "rows": len(frame),
                "models": frame[key].nunique(),
                "licence": d.licence,
                "source": d.source,
                "as_of": d.as_of.isoformat(),
                "file": f"data/{d.file}",
            }
        )
    return pd.DataFrame.from_records(records_)
