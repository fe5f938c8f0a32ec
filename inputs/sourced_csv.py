"""Bundled data files whose every row carries its source: read with the safe CSV rules and
validated row by row, so a bad row is one clear error naming the file, line and column."""

from __future__ import annotations

from typing import TypeVar

from pydantic import BaseModel, ValidationError

from inputs.safe_csv import check_line_lengths, header, records, trim
from tokenomics.errors import InputError, clip

Row = TypeVar("Row", bound=BaseModel)


def parse_rows(text: str, name: str, model: type[Row]) -> list[Row]:
    """Every row of ``text`` as a ``model``; empty cells are left out (the field's default applies).

    >>> from pydantic import BaseModel
    >>> class R(BaseModel):
    ...     x: int
    >>> [r.x for r in parse_rows("x\\n1\\n2\\n", "t.csv", R)]
    [1, 2]
    >>> parse_rows("x\\n1\\nz\\n", "t.csv", R)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    tokenomics.errors.InputError: t.csv, line 3, column 'x': input should be a valid integer, ... (found 'z')
    """
    check_line_lengths(text, name)
    names, dropped = header(text, name)
    rows = []
    for line, record in records(text, name):
        fields = trim(record, len(names), dropped)
        if len(fields) != len(names):
            raise InputError(
                f"{len(fields)} fields", file=name, line=line, expected=f"{len(names)}, one per header column"
            )
        values = {k: v for k, v in zip(names, fields, strict=True) if v.strip() != ""}
        try:
            rows.append(model.model_validate(values))
        except ValidationError as exc:
            first = exc.errors()[0]
            column = ".".join(str(p) for p in first["loc"]) or None
            found = first.get("input") if first["type"] != "missing" else None
            raise InputError(clip(first["msg"].lower()), file=name, line=line, column=column, found=found) from None
    return rows
