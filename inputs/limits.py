"""Plausibility bounds on what the readers accept, stated once (docs/limits.md lists them).

A value past a bound is refused with an ``InputError`` naming the bound, never silently kept:
10^23 tokens or $10^12 per million tokens is a typo or an attack, and either would change the
answer. Bounds a real user may exceed can be raised with an environment variable
(``TOKENOMICS_MAX_TOKENS_PER_ATTEMPT=5e9``); the format limits protect the server and are fixed.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, fields, replace
from datetime import date
from typing import Any

from tokenomics.errors import InputError

ENV_PREFIX = "TOKENOMICS_"


@dataclass(frozen=True)
class Limits:
    """The bounds in force; each overridable by ``TOKENOMICS_<FIELD NAME IN CAPITALS>``."""

    max_tokens_per_attempt: float = 1e9
    """Tokens of one kind in one attempt (a 160M-token agent run fits; 10^23 does not)."""
    max_calls_per_attempt: float = 1e6
    """API calls one attempt may sum."""
    max_cost_per_attempt: float = 1e5
    """Observed USD of one attempt."""
    max_latency_per_attempt: float = 1e7
    """Seconds of one attempt (about four months)."""
    max_attempts: float = 1e9
    """Attempts in one aggregated row, and the attempt number of a per-attempt row."""
    max_usd_per_mtok: float = 1e4
    """USD per million tokens in a price sheet (list prices stay below $1,000)."""
    max_usd_per_kcalls: float = 1e4
    """USD per thousand API calls in a price sheet."""
    max_tier_start: float = 1e9
    """Prompt tokens at which a long-context tier may start."""
    first_year: int = 2020
    """Dates (measurements, price checks) before this year are refused."""
    last_year: int = 2100
    """Dates after this year are refused."""

    def check_date(self, value: date) -> bool:
        return self.first_year <= value.year <= self.last_year

    @property
    def date_range(self) -> str:
        return f"a date between {self.first_year}-01-01 and {self.last_year}-12-31"


DEFAULT = Limits()


def current() -> Limits:
    """The default bounds with the environment's overrides applied; a bad override is an InputError."""
    changes: dict[str, Any] = {}
    for f in fields(Limits):
        name = ENV_PREFIX + f.name.upper()
        raw = os.environ.get(name)
        if raw is None or not raw.strip():
            continue
        try:
            value = float(raw)
        except ValueError:
            value = math.nan
        if not math.isfinite(value) or value <= 0:
            raise InputError(f"${name} is not a positive number", found=raw, expected="e.g. 5e9")
        changes[f.name] = int(value) if f.type in ("int", int) else value
    return replace(DEFAULT, **changes) if changes else DEFAULT
