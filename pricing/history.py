"""When genai-prices first recorded each model's price and when it last changed it.

genai-prices' data says which price follows which (dated changes) but not since when its
first price was known: a model added in 2026 carries a 2026 price with no start. Its git
history and releases do say, and ``data/genai_prices_history.csv`` keeps, per provider and model
of the bundled snapshot, the day the model first appeared, the day its first price entry got its
current rates and the day its prices last changed (``data/README.md`` says how it was built). A
run dated before the first entry's rates were recorded is outside that price's recorded history.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from inputs.bundled import data_file


@dataclass(frozen=True)
class ModelHistory:
    first_seen: date | None
    """First day the model's price was in genai-prices' data."""
    last_changed: date | None
    """Last day its prices changed there (the newest record of them)."""
    checked_on: date | None = None
    """Last day genai-prices' maintainers recorded checking the price at its source."""
    base_rates_since: date | None = None
    """First day the model's first (undated) price entry had its current input, output and cache
    rates: the start of that price's recorded history. Added units (web search, audio) don't move it."""

    def last_confirmed(self) -> date | None:
        """The newest of the change and check dates: how fresh the price is known to be."""
        dates = [d for d in (self.last_changed, self.checked_on) if d is not None]
        return max(dates) if dates else None


@dataclass(frozen=True)
class GenaiHistory:
    models: dict[tuple[str, str], ModelHistory]
    source: str = ""

    def get(self, provider_id: str, model_id: str) -> ModelHistory | None:
        return self.models.get((provider_id.lower(), model_id.lower()))


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def parse_history(text: str, source: str) -> GenaiHistory:
    models: dict[tuple[str, str], ModelHistory] = {}
    for record in csv.DictReader(text.splitlines()):
        key = (record["provider"].lower(), record["model"].lower())
        models[key] = ModelHistory(
            _day(record.get("first_seen")),
            _day(record.get("prices_last_changed")),
            _day(record.get("checked_on")),
            _day(record.get("base_rates_since")),
        )
    return GenaiHistory(models, source)


_BUNDLED: GenaiHistory | None = None


def history_path() -> Path:
    return data_file("genai_prices_history.csv")


def bundled_history() -> GenaiHistory:
    global _BUNDLED
    if _BUNDLED is None:
        path = history_path()
        _BUNDLED = parse_history(path.read_text(encoding="utf-8"), str(path.name))
    return _BUNDLED
