"""Resolve each measurement row to the price in force for its model at its time.

The result is a compact price table (one row per distinct price: a model's price in one
period, or a custom row) and a ``price_id`` per measurement row pointing into it, so the
core prices a million rows with array gathers instead of a million look-ups.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import numpy as np
import pandas as pd
from genai_prices import types as gp
from genai_prices.data_snapshot import DataSnapshot

from pricing.custom import MAX_TIERS, CustomPrice
from pricing.snapshot import conditional_prices, describe
from tokenomics.units import PRICE_KEYS, REQUEST_PRICE_KEY, tier_columns

ALL_PRICE_KEYS = (*PRICE_KEYS, REQUEST_PRICE_KEY)
SECONDS_PER_DAY = 86_400

PROVENANCE_COLUMNS = ["provider_id", "model_id", "price_source", "price_as_of", "price_period", "custom"]


@dataclass
class PricedRows:
    rows: pd.DataFrame
    """The measurement rows with ``price_id``, ``provider_id`` and ``model_id`` added."""
    table: pd.DataFrame
    """One row per distinct price; columns: price keys, tier columns, provenance."""
    unpriced: dict[str, str] = field(default_factory=dict)
    """Model reference -> why it has no price."""


@dataclass
class _TableBuilder:
    records: list[dict[str, Any]] = field(default_factory=list)
    index: dict[tuple[Any, ...], int] = field(default_factory=dict)

    def add(self, key: tuple[Any, ...], record: dict[str, Any]) -> int:
        if key not in self.index:
            self.index[key] = len(self.records)
            self.records.append(record)
        return self.index[key]

    def frame(self) -> pd.DataFrame:
        columns = [*ALL_PRICE_KEYS]
        for key in PRICE_KEYS:
            for tier in range(1, MAX_TIERS + 1):
                columns.extend(tier_columns(key, tier))
        return pd.DataFrame.from_records(self.records, columns=[*columns, *PROVENANCE_COLUMNS])


def _price_record(prices: gp.ModelPrice) -> dict[str, float]:
    record: dict[str, float] = {}
    for key in ALL_PRICE_KEYS:
        value = getattr(prices, key, None)
        if value is None:
            continue
        if isinstance(value, gp.TieredPrices):
            record[key] = float(value.base)
            if len(value.tiers) > MAX_TIERS:
                raise ValueError(f"{key} has {len(value.tiers)} tiers; at most {MAX_TIERS} are supported")
            for i, tier in enumerate(value.tiers, start=1):
                start_col, price_col = tier_columns(key, i)
                record[start_col], record[price_col] = float(tier.start), float(tier.price)
        else:
            record[key] = float(value)
    return record


def _custom_record(entry: CustomPrice) -> dict[str, Any]:
    record: dict[str, Any] = {k: getattr(entry, k) for k in ALL_PRICE_KEYS if getattr(entry, k) is not None}
    for i, tier in enumerate(sorted(entry.tiers, key=lambda t: t.start), start=1):
        for key in PRICE_KEYS:
            value = getattr(tier, key)
            if value is not None:
                start_col, price_col = tier_columns(key, i)
                record[start_col], record[price_col] = float(tier.start), value
    record.update(
        provider_id=entry.provider,
        model_id=entry.model,
        price_source=f"custom: {entry.source}",
        price_as_of=entry.checked_on.isoformat(),
        price_period="",
        custom=True,
    )
    return record


def _period(constraint: object) -> str:
    if isinstance(constraint, gp.StartDateConstraint):
        return f"from {constraint.start_date}"
    if isinstance(constraint, gp.TimeOfDateConstraint):
        return f"{constraint.start_time:%H:%M}-{constraint.end_time:%H:%M} UTC daily"
    return ""


def resolve_model(snapshot: DataSnapshot, provider: str, model: str) -> tuple[gp.Provider, gp.ModelInfo] | str:
    """Find a model in genai-prices, or say why not.

    ``provider`` may be empty; a ``provider/model`` reference (LiteLLM style, as Aider and
    many gateways write it) names the provider in its prefix.
    """
    tries: list[tuple[str | None, str]] = []
    if provider:
        tries.append((provider, model))
        if model.lower().startswith(provider.lower() + "/"):
            tries.append((provider, model[len(provider) + 1 :]))
    else:
        if "/" in model:
            prefix, rest = model.split("/", 1)
            tries.extend([("litellm", model), (prefix, rest)])
        tries.append((None, model))
    reason = "no match"
    for provider_id, ref in tries:
        try:
            return snapshot.find_provider_model(ref, None, provider_id, None)
        except LookupError as exc:
            reason = str(exc)
    return reason


def _active(constraint: object, days: np.ndarray, seconds: np.ndarray, time_known: np.ndarray) -> np.ndarray:
    """Vectorised genai-prices constraint check.

    Rows known only to the day get the price in force for most of that day: a bare date read
    as midnight UTC would silently land in DeepSeek's off-peak window.
    """
    if constraint is None:
        return np.ones(len(days), dtype=bool)
    if isinstance(constraint, gp.StartDateConstraint):
        return days >= np.datetime64(constraint.start_date, "D")
    if isinstance(constraint, gp.TimeOfDateConstraint):
        start = _utc_seconds(constraint.start_time)
        end = _utc_seconds(constraint.end_time)
        inside = (seconds >= start) | (seconds < end) if end < start else (seconds >= start) & (seconds < end)
        covers_most_of_day = ((end - start) % SECONDS_PER_DAY) > SECONDS_PER_DAY / 2
        return np.where(time_known, inside, covers_most_of_day)
    raise TypeError(f"unknown price constraint {constraint!r}")


def _utc_seconds(value: Any) -> int:
    as_utc = datetime.combine(date(2000, 1, 3), value)
    if as_utc.tzinfo is not None:
        as_utc = as_utc.astimezone(UTC)
    return as_utc.hour * 3600 + as_utc.minute * 60 + as_utc.second


def pricing_times(rows: pd.DataFrame, as_of: date | None, today: date) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Day, second of day (UTC) and whether the time of day is known, for every row.

    ``as_of`` prices every row on that day; otherwise each row's own ``timestamp`` is used,
    and rows without one are priced today.
    """
    n = len(rows)
    if as_of is not None or "timestamp" not in rows.columns:
        day = np.datetime64(as_of or today, "D")
        return np.full(n, day), np.zeros(n), np.zeros(n, dtype=bool)
    ts = pd.to_datetime(rows["timestamp"], utc=True)
    missing = ts.isna().to_numpy()
    naive = ts.dt.tz_convert(None).to_numpy()
    days = np.where(missing, np.datetime64(today, "D"), naive.astype("datetime64[D]"))
    seconds = np.where(missing, 0, (naive - naive.astype("datetime64[D]")).astype("timedelta64[s]").astype(np.int64))
    if "time_known" in rows.columns:
        known = rows["time_known"].to_numpy(dtype=bool) & ~missing
    else:  # a bare date is not midnight: without a flag, only a non-zero time of day counts as known
        known = ~missing & (seconds != 0)
    return days.astype("datetime64[D]"), seconds, known


def attach_prices(
    rows: pd.DataFrame,
    snapshot: DataSnapshot,
    custom: Sequence[CustomPrice] = (),
    *,
    as_of: date | None = None,
    today: date | None = None,
) -> PricedRows:
    """Give every row the ``price_id`` of the price in force for its model at its time."""
    today = today or datetime.now(tz=UTC).date()
    info = describe(snapshot, today)
    version = f"genai-prices {info.version}" + (" (refreshed)" if info.refreshed_at else "")
    snapshot_as_of = info.as_of()
    builder = _TableBuilder()
    custom_ids = {
        (c.provider.lower(), c.model.lower()): builder.add(("custom", i), _custom_record(c))
        for i, c in enumerate(custom)
    }
    days, seconds, known = pricing_times(rows, as_of, today)

    price_id = np.full(len(rows), -1, dtype=np.int64)
    provider_id = np.full(len(rows), "", dtype=object)
    model_id = np.full(len(rows), "", dtype=object)
    unpriced: dict[str, str] = {}
    # Number providers and models separately and combine the integer codes: much cheaper than
    # gluing a million strings into keys.
    provider_codes, providers = pd.factorize(rows["provider"].fillna(""))
    model_codes, models = pd.factorize(rows["model"])
    pair_codes, pairs = pd.factorize(provider_codes.astype(np.int64) * (len(models) + 1) + model_codes)
    uniques = [f"{providers[int(p) // (len(models) + 1)]}\x00{models[int(p) % (len(models) + 1)]}" for p in pairs]
    positions = _group_positions(pair_codes, len(uniques))
    for code, key in enumerate(uniques):
        provider, model = key.split("\x00", 1)
        where = positions[code]
        resolved = resolve_model(snapshot, provider, model)
        candidates = _custom_keys(provider, model, resolved)
        custom_hit = next((custom_ids[k] for k in candidates if k in custom_ids), None)
        if custom_hit is not None:
            price_id[where] = custom_hit
            provider_id[where] = builder.records[custom_hit]["provider_id"]
            model_id[where] = builder.records[custom_hit]["model_id"]
            continue
        if isinstance(resolved, str):
            unpriced[model if not provider else f"{provider}/{model}"] = resolved
            continue
        gp_provider, gp_model = resolved
        provider_id[where], model_id[where] = gp_provider.id, gp_model.id
        chosen = np.full(len(where), -1, dtype=np.int64)
        entries = conditional_prices(gp_model)
        for i in reversed(range(len(entries))):
            constraint, prices = entries[i]
            record: dict[str, Any] = dict(_price_record(prices))
            record.update(
                provider_id=gp_provider.id,
                model_id=gp_model.id,
                price_source=f"{version}: {gp_provider.id}/{gp_model.id}",
                price_as_of=str(
                    constraint.start_date if isinstance(constraint, gp.StartDateConstraint) else snapshot_as_of
                ),
                price_period=_period(constraint),
                custom=False,
            )
            pid = builder.add((gp_provider.id, gp_model.id, i), record)
            active = _active(constraint, days[where], seconds[where], known[where]) & (chosen < 0)
            chosen[active] = pid
        # genai-prices falls back to the first entry when no constraint matches.
        first = builder.index[(gp_provider.id, gp_model.id, 0)]
        price_id[where] = np.where(chosen < 0, first, chosen)

    out = rows.copy(deep=False)  # pandas 3 copies on write: the caller's frame is safe
    out["price_id"] = price_id
    out["provider_id"] = pd.Categorical(provider_id)
    out["model_id"] = pd.Categorical(model_id)
    return PricedRows(out, builder.frame(), unpriced)


def _group_positions(codes: np.ndarray, n_groups: int) -> list[np.ndarray]:
    order = np.argsort(codes, kind="stable")
    bounds = np.searchsorted(codes[order], np.arange(n_groups + 1))
    return [order[bounds[i] : bounds[i + 1]] for i in range(n_groups)]


def _custom_keys(provider: str, model: str, resolved: object) -> Iterable[tuple[str, str]]:
    model_l, provider_l = model.lower(), provider.lower()
    if provider_l:
        yield provider_l, model_l
        if model_l.startswith(provider_l + "/"):
            yield provider_l, model_l[len(provider_l) + 1 :]
    elif "/" in model_l:
        prefix, rest = model_l.split("/", 1)
        yield prefix, rest
    if isinstance(resolved, tuple):
        gp_provider, gp_model = resolved
        yield gp_provider.id, gp_model.id
        yield gp_provider.id, model_l.split("/")[-1]
        yield gp_provider.id, model_l


def _entry_on_day(model: gp.ModelInfo, day: date) -> tuple[object, gp.ModelPrice]:
    """The price a run known only by its day gets (same rule as ``attach_prices``)."""
    entries = conditional_prices(model)
    days = np.array([np.datetime64(day, "D")])
    for constraint, prices in reversed(entries):
        if _active(constraint, days, np.zeros(1), np.zeros(1, dtype=bool))[0]:
            return constraint, prices
    return entries[0]


def _tiers_text(prices: gp.ModelPrice) -> str:
    parts: list[str] = []
    for key in PRICE_KEYS:
        value = getattr(prices, key, None)
        if isinstance(value, gp.TieredPrices):
            parts.extend(f"{key} {float(t.price):g} above {t.start:,}" for t in value.tiers)
    return "; ".join(parts)


def price_listing(snapshot: DataSnapshot, day: date) -> pd.DataFrame:
    """Every model in the data with the prices in force on ``day`` (USD per million tokens)."""
    info = describe(snapshot, day)
    source = f"genai-prices {info.version}" + (" (refreshed)" if info.refreshed_at else "")
    records = []
    for provider in snapshot.providers:
        for model in provider.models:
            constraint, prices = _entry_on_day(model, day)
            record: dict[str, Any] = {"provider": provider.id, "model": model.id}
            for key in ALL_PRICE_KEYS:
                value = getattr(prices, key, None)
                record[key] = (
                    np.nan if value is None else float(value.base if isinstance(value, gp.TieredPrices) else value)
                )
            record["tiers"] = _tiers_text(prices)
            record["periods"] = "; ".join(p for p in (_period(c) for c, _ in conditional_prices(model)) if p)
            record["source"] = source
            record["as_of"] = str(
                constraint.start_date if isinstance(constraint, gp.StartDateConstraint) else info.as_of()
            )
            record["deprecated"] = bool(model.deprecated)
            records.append(record)
    return pd.DataFrame.from_records(records)
