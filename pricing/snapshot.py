"""The genai-prices data: which snapshot is in use, how old it is, and an opt-in refresh.

genai-prices ships its price data inside the package (offline by default) and knows how to
fetch a newer copy itself; we call its own fetcher once when the user asks, rather than
writing a second one, and keep the result per user session instead of process-wide.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

import genai_prices
from genai_prices import types as gp
from genai_prices.data_snapshot import DataSnapshot, get_snapshot
from genai_prices.update_prices import UpdatePrices


@dataclass(frozen=True)
class SnapshotInfo:
    version: str
    """genai-prices package version the data came with."""
    newest_change: date | None
    """Newest dated price change in the data that is already in force: a floor on its freshness."""
    scheduled_changes: int
    """Dated price changes still in the future (announced cuts or rises the data already knows)."""
    refreshed_at: datetime | None
    """When the data was fetched, if it was refreshed instead of bundled."""
    providers: int
    models: int

    def label(self) -> str:
        if self.refreshed_at is not None:
            return f"genai-prices data refreshed {self.refreshed_at:%Y-%m-%d %H:%M} UTC"
        newest = f", newest price change {self.newest_change}" if self.newest_change else ""
        return f"genai-prices {self.version} bundled snapshot{newest}"

    def as_of(self) -> date | None:
        return self.refreshed_at.date() if self.refreshed_at is not None else self.newest_change

    def age_days(self, today: date) -> int | None:
        as_of = self.as_of()
        return None if as_of is None else (today - as_of).days


def bundled() -> DataSnapshot:
    return get_snapshot()


def conditional_prices(model: gp.ModelInfo) -> list[tuple[object, gp.ModelPrice]]:
    """A model's prices as (constraint or None, prices), in genai-prices' order."""
    if isinstance(model.prices, gp.ModelPrice):
        return [(None, model.prices)]
    return [(c.constraint, c.prices) for c in model.prices]


def describe(snapshot: DataSnapshot, today: date | None = None) -> SnapshotInfo:
    today = today or datetime.now(tz=UTC).date()
    past: list[date] = []
    future = 0
    n_models = 0
    for provider in snapshot.providers:
        for model in provider.models:
            n_models += 1
            for constraint, _ in conditional_prices(model):
                if isinstance(constraint, gp.StartDateConstraint):
                    if constraint.start_date <= today:
                        past.append(constraint.start_date)
                    else:
                        future += 1
    return SnapshotInfo(
        version=genai_prices.__version__,
        newest_change=max(past) if past else None,
        scheduled_changes=future,
        refreshed_at=snapshot.timestamp.astimezone(UTC) if snapshot.from_auto_update else None,
        providers=len(snapshot.providers),
        models=n_models,
    )


def refresh(updater: UpdatePrices | None = None) -> DataSnapshot:
    """Fetch the latest price data with genai-prices' own fetcher (network; opt-in).

    Raises whatever the fetch raises (no network, bad payload); the caller shows it.
    """
    snapshot = (updater or UpdatePrices()).fetch()
    if snapshot is None:
        raise RuntimeError("genai-prices returned no price data")
    return snapshot


def to_float(value: Decimal | gp.TieredPrices | None) -> float:
    if value is None:
        return float("nan")
    if isinstance(value, gp.TieredPrices):
        return float(value.base)
    return float(value)
