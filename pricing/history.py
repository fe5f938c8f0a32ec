"""When genai-prices first recorded each model's price and when it last changed it.

genai-prices' data says which price follows which (dated changes) but not since when its
first price was known: a model added in 2026 carries a 2026 price with no start. Its git
history does say, and ``data/genai_prices_history.csv`` keeps, per provider and model of the
bundled snapshot, the day the model first appeared and the day its prices last changed
(``scripts/build_genai_prices_history.py`` made it from the repository; ``data/README.md``
gives the commit). A run dated before ``first_seen`` is outside the price's recorded history.
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
            _day(record.get("first_seen")), _day(record.get("prices_last_changed")), _day(record.get("checked_on"))
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
