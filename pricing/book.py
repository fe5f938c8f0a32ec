"""Resolve each measurement row to the price in force for its model at its day and time.

Every model reference is resolved once (``pricing.providers``) to its candidate prices across
the price layers (``pricing.layers``); every row then takes the first candidate, in layer
precedence, whose period covers its day and whose daily window covers its time. The result is
a compact price table (one row per distinct price, with its layer, source and period) and a
``price_id`` per measurement row pointing into it, so the core prices a million rows with array
gathers instead of a million look-ups.

A row that no recorded price covers (dated before the model's first recorded price) is not
priced at a price that did not exist yet: it keeps its observed cost if it has one, otherwise it
gets the nearest recorded price with a note saying so (``price_note``), and ``outside_history``
marks it either way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import numpy as np
import pandas as pd
from genai_prices import types as gp
from genai_prices.data_snapshot import DataSnapshot

from pricing.corrections import Correction, load_corrections
from pricing.custom import CustomPrice
from pricing.history import GenaiHistory, bundled_history
from pricing.layers import ALL_PRICE_KEYS, MAX_TIERS, PROVENANCE_COLUMNS, Candidate, candidates_for
from pricing.litellm_map import LiteLLMSnapshot
from pricing.litellm_map import bundled as bundled_litellm
from pricing.providers import Identity, resolve
from pricing.snapshot import bundled as bundled_snapshot
from pricing.snapshot import conditional_prices, describe
from tokenomics.units import PRICE_KEYS, TOKEN_COLUMNS, tier_columns

SECONDS_PER_DAY = 86_400


@dataclass(frozen=True)
class PriceSources:
    """The price layers below a user's own sheets: corrections, genai-prices, LiteLLM."""

    snapshot: DataSnapshot
    corrections: Sequence[Correction] = ()
    history: GenaiHistory | None = None
    litellm: LiteLLMSnapshot | None = None

    def genai_label(self) -> str:
        info = describe(self.snapshot)
        return f"genai-prices {info.version}" + (" (refreshed)" if info.refreshed_at else "")

    def snapshot_label(self, today: date | None = None) -> str:
        """genai-prices' data with its newest price change and how old that is."""
        info = describe(self.snapshot, today)
        age = info.age_days(today or datetime.now(tz=UTC).date())
        return info.label() + (f" ({age} days before today)" if age is not None else "")

    def label(self, today: date | None = None) -> str:
        """The layers in precedence order, each with its age, for reports and captions."""
        parts = []
        if self.corrections:
            newest = max(c.checked_on for c in self.corrections)
            parts.append(f"{len(self.corrections)} dated corrections (checked up to {newest})")
        parts.append(describe(self.snapshot, today).label())
        if self.litellm is not None:
            parts.append(self.litellm.label())
        return "; ".join(parts)


def default_sources(snapshot: DataSnapshot | None = None, litellm: LiteLLMSnapshot | None = None) -> PriceSources:
    """Every bundled layer: the corrections, genai-prices with its history, LiteLLM's map."""
    snap = snapshot or bundled_snapshot()
    # A refreshed genai-prices snapshot has newer data than the bundled history describes.
    history = bundled_history() if not snap.from_auto_update else None
    return PriceSources(snap, load_corrections(), history, litellm or bundled_litellm())


@dataclass
class PricedRows:
    rows: pd.DataFrame
    """The measurement rows with ``price_id``, ``provider_id``, ``model_id`` and ``outside_history`` added."""
    table: pd.DataFrame
    """One row per distinct price; columns: price keys, tier columns, provenance."""
    unpriced: dict[str, str] = field(default_factory=dict)
    """Model reference -> why it has no price."""
    notes: dict[str, str] = field(default_factory=dict)
    """Model reference -> how its provider was chosen, where that was a choice."""


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


def day_instant(day: date) -> np.datetime64:
    """The instant a row known only by its day is priced at: noon UTC.

    A price that changed within the day then applies to such a row if it was in force for most of
    the day (DeepSeek changes prices at 16:00 UTC: the old price held for 16 hours of that day).
    """
    return np.datetime64(day, "D").astype("datetime64[s]") + np.timedelta64(12 * 3600, "s")


def pricing_times(rows: pd.DataFrame, as_of: date | None, today: date) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Instant (UTC, seconds), second of day (UTC) and whether the time of day is known, per row.

    ``as_of`` prices every row on that day; otherwise each row's own ``timestamp`` is used,
    and rows without one are priced today. A row known only by its day stands at its noon.
    """
    n = len(rows)
    if as_of is not None or "timestamp" not in rows.columns:
        return np.full(n, day_instant(as_of or today)), np.zeros(n), np.zeros(n, dtype=bool)
    ts = pd.to_datetime(rows["timestamp"], utc=True)
    missing = ts.isna().to_numpy()
    naive = ts.dt.tz_convert(None).to_numpy().astype("datetime64[s]")
    midnight = naive.astype("datetime64[D]").astype("datetime64[s]")
    seconds = np.where(missing, 0, (naive - midnight).astype(np.int64))
    if "time_known" in rows.columns:
        known = rows["time_known"].to_numpy(dtype=bool) & ~missing
    else:  # a bare date is not midnight: without a flag, only a non-zero time of day counts as known
        known = ~missing & (seconds != 0)
    noon = midnight + np.timedelta64(12 * 3600, "s")
    instants = np.where(missing, day_instant(today), np.where(known, naive, noon))
    return instants.astype("datetime64[s]"), seconds, known


def _period(constraint: object) -> str:
    if isinstance(constraint, gp.StartDateConstraint):
        return f"from {constraint.start_date}"
    if isinstance(constraint, gp.TimeOfDateConstraint):
        return f"{constraint.start_time:%H:%M}-{constraint.end_time:%H:%M} UTC daily"
    return ""


def _moment64(moment: datetime | None, default: str) -> np.datetime64:
    return np.datetime64(moment, "s") if moment is not None else np.datetime64(default, "s")


def _covers(
    candidate: Candidate, instants: np.ndarray, seconds: np.ndarray, time_known: np.ndarray, *, any_date: bool = False
) -> np.ndarray:
    """Rows whose instant lies in the candidate's period (unless ``any_date``) and whose time in its window.

    A row known only by its day takes a window only if the window covers most of the day: a bare
    date read as midnight UTC would silently land in DeepSeek's off-peak window.
    """
    ok = np.ones(len(instants), dtype=bool)
    if not any_date:
        if candidate.date_from is not None:
            ok &= instants >= _moment64(candidate.date_from, "1970-01-01")
        if candidate.date_to is not None:
            ok &= instants < _moment64(candidate.date_to, "1970-01-01")
    if candidate.window is not None:
        start, end = candidate.window
        inside = (seconds >= start) | (seconds < end) if end < start else (seconds >= start) & (seconds < end)
        covers_most_of_day = ((end - start) % SECONDS_PER_DAY) > SECONDS_PER_DAY / 2
        ok &= np.where(time_known, inside, covers_most_of_day)
    return ok


def _nearest(
    candidates: list[Candidate], instants: np.ndarray, seconds: np.ndarray, known: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """For rows no candidate covers: index into ``candidates`` of the nearest recorded price.

    The latest period that started on or before the row's day, else the earliest period; among
    those, the best-ranked candidate whose daily window fits the row's time. Also returns which
    rows are dated before every recorded price.
    """
    starts = np.array([_moment64(c.date_from, "0001-01-01") for c in candidates])
    choice = np.full(len(instants), -1, dtype=np.int64)
    started = starts[None, :] <= instants[:, None]
    latest_start = np.where(started, starts[None, :], np.datetime64("0001-01-01", "s")).max(axis=1)
    target = np.where(started.any(axis=1), latest_start, starts.min())
    for i, candidate in enumerate(candidates):
        fits = (starts[i] == target) & _covers(candidate, instants, seconds, known, any_date=True) & (choice < 0)
        choice[fits] = i
    # No window fits (only short windows in that period): take the period's best-ranked price.
    for i in range(len(candidates)):
        choice[(choice < 0) & (starts[i] == target)] = i
    before_all = np.asarray(~started.any(axis=1), dtype=bool)
    return choice, before_all


def reference_candidates(
    sources: PriceSources, custom: Sequence[CustomPrice], provider: str, model: str
) -> tuple[str, Identity, list[Candidate]]:
    """A model as the data names it (``provider/model``, or the model alone), what it resolves to,
    and its candidate prices in every layer, most trusted first: the one resolution step the
    pandas path (``attach_prices``) and the SQL engine's price cells (``pricing.cells``) share."""
    reference = model if not provider else f"{provider}/{model}"
    ident = resolve(sources.snapshot, sources.litellm, provider, model)
    candidates = candidates_for(
        ident,
        custom=list(enumerate(custom)),
        corrections=list(enumerate(sources.corrections)),
        version=sources.genai_label(),
        history=sources.history,
        litellm=sources.litellm,
    )
    return reference, ident, candidates


def attach_prices(
    rows: pd.DataFrame,
    sources: PriceSources | DataSnapshot,
    custom: Sequence[CustomPrice] = (),
    *,
    as_of: date | None = None,
    today: date | None = None,
) -> PricedRows:
    """Give every row the ``price_id`` of the price in force for its model at its time.

    ``sources`` is every layer below the custom sheets; a bare genai-prices snapshot means that
    layer alone (no corrections, no recorded history, no LiteLLM).
    """
    if isinstance(sources, DataSnapshot):
        sources = PriceSources(sources)
    today = today or datetime.now(tz=UTC).date()
    builder = _TableBuilder()
    instants, seconds, known = pricing_times(rows, as_of, today)
    observed = rows["cost_usd"].notna().to_numpy() if "cost_usd" in rows.columns else np.zeros(len(rows), dtype=bool)
    token_columns = [c for c in TOKEN_COLUMNS if c in rows.columns]
    # Only a row with token counts needs a price; one without is costed from cost_usd or not at all.
    has_tokens = rows[token_columns].notna().any(axis=1).to_numpy() if token_columns else np.zeros(len(rows), bool)

    price_id = np.full(len(rows), -1, dtype=np.int64)
    outside = np.zeros(len(rows), dtype=bool)
    provider_id = np.full(len(rows), "", dtype=object)
    model_id = np.full(len(rows), "", dtype=object)
    unpriced: dict[str, str] = {}
    notes: dict[str, str] = {}
    # Number providers and models separately and combine the integer codes: much cheaper than
    # gluing a million strings into keys.
    provider_codes, providers = pd.factorize(rows["provider"].fillna(""))
    model_codes, models = pd.factorize(rows["model"])
    pair_codes, pairs = pd.factorize(provider_codes.astype(np.int64) * (len(models) + 1) + model_codes)
    uniques = [(str(providers[int(p) // (len(models) + 1)]), str(models[int(p) % (len(models) + 1)])) for p in pairs]
    positions = _group_positions(pair_codes, len(uniques))
    for code, (provider, model) in enumerate(uniques):
        where = positions[code]
        reference, ident, candidates = reference_candidates(sources, custom, provider, model)
        if ident.note:
            notes[reference] = ident.note
        if not candidates:
            unpriced[reference] = ident.reason or "no price in any layer"
            continue
        provider_id[where], model_id[where] = ident.provider_id, ident.model_id
        d, s, k = instants[where], seconds[where], known[where]
        chosen = np.full(len(where), -1, dtype=np.int64)
        for candidate in candidates:
            hit = _covers(candidate, d, s, k) & (chosen < 0)
            if hit.any():
                chosen[hit] = builder.add(candidate.key, candidate.record)
                if candidate.retired:
                    unpriced[reference] = retired_reason(candidate)
        uncovered = (chosen < 0) & has_tokens[where]
        if uncovered.any():
            outside[where[uncovered]] = True
            # Outside the recorded history: a row's own observed cost beats a price that did not exist yet.
            need = uncovered & ~observed[where]
            if need.any():
                nearest, before_all = _nearest(candidates, d[need], s[need], k[need])
                picked = np.full(len(nearest), -1, dtype=np.int64)
                for i in np.unique(nearest):
                    for before in (True, False):
                        rows_i = (nearest == i) & (before_all == before)
                        if rows_i.any():
                            candidate = candidates[int(i)]
                            record = {**candidate.record, "price_note": _outside_note(candidate, before)}
                            picked[rows_i] = builder.add((*candidate.key, "outside", before), record)
                chosen[need] = picked
        price_id[where] = chosen

    out = rows.copy(deep=False)  # pandas 3 copies on write: the caller's frame is safe
    out["price_id"] = price_id
    out["provider_id"] = pd.Categorical(provider_id)
    out["model_id"] = pd.Categorical(model_id)
    out["outside_history"] = outside
    return PricedRows(out, builder.frame(), unpriced, notes)


def retired_reason(candidate: Candidate) -> str:
    """Why rows in a retired name's period have no price (``Comparison.unpriced``)."""
    return str(candidate.record["price_note"])


def _outside_note(candidate: Candidate, before_all: bool) -> str:
    since = candidate.record.get("price_from") or "?"
    if before_all:
        return f"earliest recorded price (recorded from {since}); the row is dated before it"
    return f"nearest earlier recorded price (from {since}); no recorded price covers the row's date"


def _group_positions(codes: np.ndarray, n_groups: int) -> list[np.ndarray]:
    order = np.argsort(codes, kind="stable")
    bounds = np.searchsorted(codes[order], np.arange(n_groups + 1))
    return [order[bounds[i] : bounds[i + 1]] for i in range(n_groups)]


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
