"""Formula neutralisation for every CSV and XLSX cell the project writes (the OWASP rule).

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and, in some, a tab or
carriage return) as a formula: a model named ``=HYPERLINK("http://evil", "click")`` in an
upload would become a live link in a colleague's report. Such text cells get a leading single
quote, which spreadsheets show as text. Numbers stay numbers: ``-5`` or ``-1.5e3`` as text is a
number, not a formula, and is left alone.

It lives in the lowest data edge so that every writer (the harness's export, the CLI's import,
the reports) uses the same rule.
"""

from __future__ import annotations

import re

import pandas as pd

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|[+-]?inf")
_TRIGGER_PATTERN = r"^[=+\-@\t\r]"
_NUMBER_PATTERN = r"^(?:" + _NUMBER.pattern + r")$"


def neutralise(value: object) -> object:
    """The value as a spreadsheet should store it: risky text quoted, everything else unchanged.

    >>> neutralise('=HYPERLINK("http://x")'), neutralise("-5"), neutralise(-5), neutralise("@SUM(A1)")
    ('\\'=HYPERLINK("http://x")', '-5', -5, "'@SUM(A1)")
    """
    if isinstance(value, str) and value.startswith(TRIGGERS) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy with every risky text cell (and column name) quoted; numeric columns untouched."""
    out = frame.copy()
    for col in out.columns:
        series = out[col]
        if series.dtype == object or isinstance(series.dtype, pd.StringDtype):
            text = series.astype("string")
            risky = text.str.match(_TRIGGER_PATTERN, na=False) & ~text.str.match(_NUMBER_PATTERN, na=False)
            risky &= series.map(lambda v: isinstance(v, str)).astype(bool)
            if risky.any():
                out[col] = series.astype(object).where(~risky, "'" + text.astype(object))
    out.columns = [neutralise(str(c)) if isinstance(c, str) else c for c in out.columns]
    return out


def csv_text(frame: pd.DataFrame) -> str:
    """The frame as CSV text with formulas neutralised (inf as ``inf``, unknown empty)."""
    return neutralise_frame(frame).to_csv(index=False, lineterminator="\n")
