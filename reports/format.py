"""The one number formatter applied to tables, chart ticks and tooltips (rules: ``tokenomics.format``).

A table column is given a *kind* (``money``, ``pct``, ``ratio``, ``count``, ``tokens``,
``seconds``); ``styled`` turns a frame into a pandas ``Styler`` whose cells read in that kind's
format while the values stay numbers (a page's table still sorts by value, a test still reads
numbers), and ``as_text`` turns it into strings (static tables, HTML reports). Unknown cells
read ``—`` everywhere.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping

import numpy as np
import pandas as pd
from pandas.io.formats.style import Styler

from tokenomics.format import MISSING, count, decimal, money, number, pct, ratio, seconds, tokens

KINDS: dict[str, Callable[..., str]] = {
    "money": money,
    "pct": pct,
    "ratio": ratio,
    "count": count,
    "tokens": tokens,
    "seconds": seconds,
    "decimal": decimal,
}


def formatter(kind: str, currency: str = "USD") -> Callable[[object], str]:
    """The function that writes one cell of a column of this kind."""
    if kind == "money":
        return lambda v: money(v, currency)
    if kind == "text":
        return text
    return KINDS[kind]


def text(value: object) -> str:
    """Any other cell: missing or empty reads ``—``, a list reads as its items, the rest as written.

    >>> text(None), text(float("nan")), text(pd.NA), text(""), text(["a", "b"]), text("x"), text(True)
    ('—', '—', '—', '—', 'a, b', 'x', 'yes')
    """
    if value is None or value is pd.NA or value == "" or (isinstance(value, float) and math.isnan(value)):
        return MISSING
    if isinstance(value, bool | np.bool_):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return ", ".join(map(str, value))
    return str(value)


def styled(frame: pd.DataFrame, kinds: Mapping[str, str], currency: str = "USD") -> Styler:
    """``frame`` with every column written by its kind (others as text); the values stay numbers.

    Nullable integer columns become floats first: a missing count must read ``—``, and a page
    table shows pandas' ``NA`` as "None" whatever the format says.
    """
    nullable = [c for c in frame.columns if isinstance(frame[c].dtype, pd.Int64Dtype | pd.Int32Dtype)]
    if nullable:
        frame = frame.astype(dict.fromkeys(nullable, "float64"))
    formats: dict[object, str | Callable[[object], str] | None] = {
        c: formatter(kinds.get(c, "text"), currency) for c in frame.columns if not _is_bool(frame[c])
    }
    return frame.style.format(formats, na_rep=MISSING)


def _is_bool(column: pd.Series) -> bool:
    """A bool column stays a checkbox on a page; a column of booleans and gaps reads yes / no / —."""
    return bool(column.dtype == bool)


def as_text(frame: pd.DataFrame, kinds: Mapping[str, str], currency: str = "USD") -> pd.DataFrame:
    """``frame`` as strings, each column written by its kind (others as text)."""
    out = pd.DataFrame(index=frame.index)
    for column in frame.columns:
        write = formatter(kinds.get(column, "text"), currency)
        out[column] = [write(v) for v in frame[column].tolist()]
    return out


def log_ticks(low: float, high: float, currency: str | None = "USD", most: int = 8) -> tuple[list[float], list[str]]:
    """Tick values and labels for a log axis from ``low`` to ``high``: 1-2-5 steps in each decade
    (only the powers of ten when that would crowd the axis), labelled in the app's format, so a
    dollar axis reads ``$0.001`` rather than ``1m`` or ``600µ``. ``currency=None`` labels counts.

    >>> log_ticks(0.0006, 0.05)
    ([0.001, 0.002, 0.005, 0.01, 0.02, 0.05], ['$0.001', '$0.002', '$0.005', '$0.01', '$0.02', '$0.05'])
    >>> log_ticks(2, 3e6, None)[1]
    ['10', '100', '1,000', '10,000', '100,000', '1,000,000']
    """
    lo, hi = number(low), number(high)
    if lo is None or hi is None or lo <= 0 or hi <= lo or math.isinf(hi):
        return [], []
    first, last = math.floor(math.log10(lo)), math.ceil(math.log10(hi))
    for steps in ((1, 2, 5), (1,)):
        values = [m * 10.0**e for e in range(first, last + 1) for m in steps]
        values = [float(f"{v:.12g}") for v in values if lo <= v <= hi]
        if len(values) <= most:
            break
    if len(values) > most:  # many decades: every other power of ten
        values = values[:: math.ceil(len(values) / most)]
    write = (lambda v: money(v, currency)) if currency is not None else count
    labels = [_short_money(v, currency) if currency is not None else write(v) for v in values]
    return values, labels


def _short_money(value: float, currency: str) -> str:
    """Tick labels are round numbers: no trailing zeros (``$0.05``, ``$1``, not ``$0.0500``, ``$1.00``)."""
    written = money(value, currency)
    return written.rstrip("0").rstrip(".") if "." in written and "e" not in written else written
