"""How every number reads, in sentences, tables, tooltips and reports: one set of rules.

- **money** by magnitude: whole units from 100 up (``$1,234``), cents from 1 (``$12.35``),
  three significant digits below 1, trailing zeros kept so a column reads alike (``$0.500``,
  ``$0.0123``, ``$0.00900``, ``$0.000754``), powers of ten past a trillion and below a millionth. ``inf`` is
  "unbounded" (no success seen); a missing amount is never $0.
- **shares** (success rates, haircuts, utilisation) as percentages with one decimal (``41.8%``).
- **intervals** as ``a-b`` in the same format as the point.
- **ratios** (effective discounts) with a trailing x (``5.2x``).
- **counts** with thousands separators, **token counts** compact (``12.3k``, ``1.25M``).
- an unknown value is the dash ``—``, never ``None``, ``nan`` or an empty cell, unless the
  caller names what is missing (``money(nan, missing="unpriced")``).

These live in the core because the core's sentences (headlines, verdicts, crossovers) use them;
``reports.format`` applies them to tables, chart ticks and tooltips.
"""

from __future__ import annotations

import math
from collections.abc import Callable

MISSING = "—"
SYMBOLS: dict[str, str] = {"USD": "$", "EUR": "€", "CNY": "¥"}
"""Currency signs; any other code is written before the amount (``CHF 12.35``)."""
HUGE = 1e12
TINY = 1e-6
BIG = 1e6
"""Shares, ratios and durations from here on are written in powers of ten: never a 20-digit cell."""

Formatter = Callable[[object], str]


def number(value: object) -> float | None:
    """``value`` as a float, or None where it is missing (None, NaN, pandas' NA, not a number).

    >>> number(3), number(None), number(float("nan")), number("x"), number(float("inf"))
    (3.0, None, None, None, inf)
    """
    if value is None or isinstance(value, bool | str):
        return None
    try:
        x = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if math.isnan(x) else x


def sign_of(currency: str) -> str:
    """The sign written before an amount: ``$``, ``€``, ``¥`` or the code and a space."""
    return SYMBOLS.get(currency, currency + " ")


def _amount(x: float) -> str:
    """A positive finite amount by magnitude (no sign, no currency)."""
    if x >= HUGE or (0 < x < TINY):
        return f"{x:.3g}"
    if x >= 100:
        return f"{x:,.0f}"
    if x >= 1 or x == 0:
        return f"{x:,.2f}"
    digits = max(2, 2 - math.floor(math.log10(x)))  # three significant digits, zeros kept: a column aligns
    text = f"{x:.{digits}f}"
    return "1.00" if float(text) >= 1 else text  # 0.9996 rounds up to a whole unit


def money(value: object, currency: str = "USD", missing: str = MISSING) -> str:
    """An amount of money with its currency sign, by magnitude.

    >>> [money(v) for v in (1234.5, 123.45, 12.345, 1.2, 0.5, 0.02, 0.0219, 0.000754, 0.009)]
    ['$1,234', '$123', '$12.35', '$1.20', '$0.500', '$0.0200', '$0.0219', '$0.000754', '$0.00900']
    >>> money(0.0123, "CNY"), money(4.2e15), money(3e-8, "EUR"), money(0), money(-0.5)
    ('¥0.0123', '$4.2e+15', '€3e-08', '$0.00', '-$0.500')
    >>> money(float("inf")), money(None), money(float("nan"), missing="unpriced"), money(12, "CHF")
    ('unbounded', '—', 'unpriced', 'CHF 12.00')
    """
    x = number(value)
    if x is None:
        return missing
    if math.isinf(x):
        return "unbounded" if x > 0 else "-unbounded"
    return ("-" if x < 0 else "") + sign_of(currency) + _amount(abs(x))


def pct(value: object, missing: str = MISSING) -> str:
    """A share (0.4178) as a percentage with one decimal.

    >>> pct(0.4178), pct(1), pct(0.0004), pct(None), pct(float("nan"))
    ('41.8%', '100.0%', '0.0%', '—', '—')
    """
    x = number(value)
    if x is None or math.isinf(x):
        return missing
    return f"{x * 100:.3g}%" if abs(x) >= BIG else f"{x * 100:.1f}%"


def ratio(value: object, missing: str = MISSING) -> str:
    """An effective discount or any other ratio, with a trailing x.

    >>> ratio(5.234), ratio(1.06), ratio(0.853), ratio(12.4), ratio(None), ratio(float("inf"))
    ('5.2x', '1.1x', '0.85x', '12x', '—', '—')
    """
    x = number(value)
    if x is None or math.isinf(x):
        return missing
    if abs(x) >= BIG:
        return f"{x:.3g}x"
    if abs(x) >= 10:
        return f"{x:,.0f}x"
    return f"{x:.2f}x" if abs(x) < 1 else f"{x:.1f}x"


def count(value: object, missing: str = MISSING) -> str:
    """A count with thousands separators (fractions rounded).

    >>> count(1234567), count(12.6), count(None), count(float("inf"))
    ('1,234,567', '13', '—', 'unbounded')
    """
    x = number(value)
    if x is None:
        return missing
    if math.isinf(x):
        return "unbounded"
    return f"{x:.3g}" if abs(x) >= HUGE else f"{x:,.0f}"


def tokens(value: object, missing: str = MISSING) -> str:
    """A token count, compact.

    >>> tokens(950), tokens(12_345), tokens(1_250_000), tokens(3.4e9), tokens(None)
    ('950', '12.3k', '1.25M', '3.4B', '—')
    """
    x = number(value)
    if x is None or math.isinf(x):
        return missing
    for limit, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(x) >= limit:
            return f"{x / limit:.3g}{suffix}"
    return f"{x:,.0f}"


def seconds(value: object, missing: str = MISSING) -> str:
    """A duration: seconds below two minutes, then minutes, then hours.

    >>> seconds(4.26), seconds(95), seconds(600), seconds(9000), seconds(None)
    ('4.3 s', '95.0 s', '10.0 min', '2.5 h', '—')
    """
    x = number(value)
    if x is None or math.isinf(x):
        return missing
    if abs(x) < 120:
        return f"{x:.1f} s"
    if abs(x) < 7200:
        return f"{x / 60:.1f} min"
    return f"{x / 3600:.3g} h" if abs(x) >= BIG * 3600 else f"{x / 3600:.1f} h"


def decimal(value: object, missing: str = MISSING) -> str:
    """A plain quantity with two decimals (expected attempts, multipliers).

    >>> decimal(1.5), decimal(12345.678), decimal(None)
    ('1.50', '12,345.68', '—')
    """
    x = number(value)
    if x is None or math.isinf(x):
        return missing
    return f"{x:.3g}" if abs(x) >= HUGE else f"{x:,.2f}"


def upper_first(text: str) -> str:
    """A sentence's first letter capitalised, the rest as written (``str.capitalize`` lowercases "USD").

    >>> upper_first("amounts in EUR at 1 USD = 0.9 EUR")
    'Amounts in EUR at 1 USD = 0.9 EUR'
    """
    return text[:1].upper() + text[1:]


def interval(low: object, high: object, fmt: Formatter = money, missing: str = MISSING) -> str:
    """A range as ``a-b``, each end in the point's format; an open end reads "unbounded".

    >>> interval(0.0123, 0.0456), interval(0.31, 0.52, pct), interval(0.01, float("inf"))
    ('$0.0123-$0.0456', '31.0%-52.0%', '$0.0100-unbounded')
    >>> interval(None, float("nan"))
    '—'
    """
    if number(low) is None and number(high) is None:
        return missing
    return f"{fmt(low)}-{fmt(high)}"
