"""The price layers, and every price a model had, as dated candidates with provenance.

Precedence, highest first (a row takes the first layer that covers its day and time):

1. ``custom``: the user's price sheets and page edits (all dates);
2. ``correction``: the project's dated, sourced corrections (``pricing.corrections``);
3. ``genai-prices``: the bundled (or refreshed) genai-prices data, each price over the days it
   was recorded for (``pricing.history``);
4. ``litellm``: LiteLLM's price map, for models genai-prices does not know, as of its snapshot.

A candidate is one price over one period and, optionally, one daily UTC window. Within a layer
a lower ``priority`` wins (a time-of-day window before the all-day price it overrides), which
is genai-prices' own rule ("the last matching constraint wins") spelled out per period.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any

from genai_prices import types as gp

from pricing.corrections import Correction
from pricing.custom import MAX_TIERS, CustomPrice
from pricing.history import GenaiHistory
from pricing.litellm_map import LiteLLMSnapshot
from pricing.providers import Identity
from pricing.snapshot import conditional_prices
from tokenomics.units import PRICE_KEYS, REQUEST_PRICE_KEY, tier_columns

ALL_PRICE_KEYS = (*PRICE_KEYS, REQUEST_PRICE_KEY)
LAYERS = ("custom", "correction", "genai-prices", "litellm")
RANK = {name: i for i, name in enumerate(LAYERS)}
SECONDS_PER_DAY = 86_400

PROVENANCE_COLUMNS = [
    "provider_id",
    "model_id",
    "price_layer",
    "price_source",
    "price_from",
    "price_to",
    "price_as_of",
    "price_period",
    "checked_on",
    "price_note",
    "custom",
]


@dataclass(frozen=True)
class Candidate:
    layer: str
    priority: int
    date_from: datetime | None
    """First instant (naive UTC) the price applied (None: unknown, as far back as any row)."""
    date_to: datetime | None
    """First instant it no longer applied (None: still in force)."""
    window: tuple[int, int] | None
    """Daily window in seconds after midnight UTC, [start, end), may wrap; None: all day."""
    key: tuple[Any, ...]
    record: dict[str, Any] = field(hash=False)
    retired: bool = False
    """The provider no longer serves the model under this name in this period: it prices nothing."""

    @property
    def rank(self) -> int:
        return RANK[self.layer]


def _seconds(value: time) -> int:
    as_utc = datetime.combine(date(2000, 1, 3), value)
    if as_utc.tzinfo is not None:
        as_utc = as_utc.astimezone(UTC)
    return as_utc.hour * 3600 + as_utc.minute * 60 + as_utc.second


def window_text(window: tuple[int, int] | None) -> str:
    if window is None:
        return ""
    start, end = window
    return f"{start // 3600:02d}:{start % 3600 // 60:02d}-{end // 3600:02d}:{end % 3600 // 60:02d} UTC daily"


def _prices_of(source: object, tiers: Iterable[tuple[float, dict[str, float]]] = ()) -> dict[str, Any]:
    record: dict[str, Any] = {}
    for key in ALL_PRICE_KEYS:
        value = getattr(source, key, None) if not isinstance(source, dict) else source.get(key)
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
    for i, (start, prices) in enumerate(sorted(tiers, key=lambda t: t[0]), start=1):
        if i > MAX_TIERS:
            raise ValueError(f"{len(list(tiers))} tiers; at most {MAX_TIERS} are supported")
        for key, value in prices.items():
            start_col, price_col = tier_columns(key, i)
            record[start_col], record[price_col] = float(start), float(value)
    return record


def midnight(day: date | None) -> datetime | None:
    return datetime(day.year, day.month, day.day) if day is not None else None


def _iso(moment: datetime | date | None) -> str:
    """A day as ``2025-09-29``; an instant within a day as ``2025-09-05T16:00Z``."""
    if moment is None:
        return ""
    if isinstance(moment, datetime):
        return moment.date().isoformat() if moment.time() == time() else moment.strftime("%Y-%m-%dT%H:%MZ")
    return moment.isoformat()


def _as_of_text(date_from: datetime | None, date_to: datetime | None, fallback: str = "") -> str:
    start, end = _iso(date_from), _iso(date_to)
    if start and end:
        return f"{start} to {end}"
    if start:
        return f"from {start}"
    if end:
        return f"until {end}"
    return fallback


def _provenance(
    *,
    provider_id: str,
    model_id: str,
    layer: str,
    source: str,
    date_from: datetime | None,
    date_to: datetime | None,
    window: tuple[int, int] | None,
    checked_on: date | None,
    fallback_as_of: str = "",
) -> dict[str, Any]:
    return {
        "provider_id": provider_id,
        "model_id": model_id,
        "price_layer": layer,
        "price_source": source,
        "price_from": _iso(date_from),
        "price_to": _iso(date_to),
        "price_as_of": _as_of_text(date_from, date_to, fallback_as_of),
        "price_period": window_text(window),
        "checked_on": _iso(checked_on),
        "price_note": "",
        "custom": layer == "custom",
    }


def custom_candidate(index: int, entry: CustomPrice) -> Candidate:
    tiers = [(t.start, {k: getattr(t, k) for k in PRICE_KEYS if getattr(t, k, None) is not None}) for t in entry.tiers]
    record = _prices_of(entry, tiers)
    record.update(
        _provenance(
            provider_id=entry.provider,
            model_id=entry.model,
            layer="custom",
            source=f"custom: {entry.source}",
            date_from=None,
            date_to=None,
            window=None,
            checked_on=entry.checked_on,
            fallback_as_of=entry.checked_on.isoformat(),
        )
    )
    return Candidate("custom", 0, None, None, None, ("custom", index), record)


def correction_candidate(index: int, entry: Correction) -> Candidate:
    record = _prices_of(entry)
    window = entry.window_seconds()
    record.update(
        _provenance(
            provider_id=entry.provider,
            model_id=entry.model,
            layer="correction",
            source=f"correction: {entry.source}",
            date_from=entry.effective_from,
            date_to=entry.effective_to,
            window=window,
            checked_on=entry.checked_on,
        )
    )
    if entry.retired:
        record["price_note"] = "; ".join(filter(None, [retired_text(entry.effective_from), entry.note]))
    elif entry.note:
        record["price_note"] = entry.note
    # A daily window sits over the all-day price of its period and wins inside it.
    priority = 0 if window is not None else 1
    return Candidate(
        "correction",
        priority,
        entry.effective_from,
        entry.effective_to,
        window,
        ("correction", index),
        record,
        entry.retired,
    )


def retired_text(since: datetime) -> str:
    return f"retired by the provider from {_iso(since)}: no price for a row dated then"


def genai_candidates(
    provider: gp.Provider, model: gp.ModelInfo, version: str, history: GenaiHistory | None
) -> list[Candidate]:
    """genai-prices' conditional prices of one model as dated candidates.

    genai-prices evaluates a model's prices last to first and takes the first whose constraint
    holds (a start date passed, or a daily window), falling back to the first. Between two start
    dates that order is fixed, so each date segment becomes a few candidates with priorities.
    The first segment starts when genai-prices first recorded the model (``history``), if known.
    """
    entries = conditional_prices(model)
    starts = sorted(
        {datetime.combine(c.start_date, time()) for c, _ in entries if isinstance(c, gp.StartDateConstraint)}
    )
    known = history.get(provider.id, model.id) if history else None
    first_seen = midnight(known.base_rates_since or known.first_seen) if known else None
    if first_seen and starts and first_seen > starts[0]:
        first_seen = None  # the history predates our reading of it: do not invent a gap
    bounds: list[datetime | None] = [first_seen, *starts]
    source = f"{version}: {provider.id}/{model.id}"
    confirmed = known.last_confirmed() if known else None
    out: list[Candidate] = []
    for seg, seg_from in enumerate(bounds):
        seg_to = bounds[seg + 1] if seg + 1 < len(bounds) else None
        day = seg_from or datetime.min
        priority = 0
        picked_all_day = False
        for i in reversed(range(len(entries))):
            constraint, prices = entries[i]
            window: tuple[int, int] | None = None
            if isinstance(constraint, gp.StartDateConstraint):
                price_from = midnight(constraint.start_date)
                if price_from is None or price_from > day:
                    continue
            elif isinstance(constraint, gp.TimeOfDateConstraint):
                window = (_seconds(constraint.start_time), _seconds(constraint.end_time))
                price_from = first_seen if seg == 0 else seg_from
            elif constraint is None:
                price_from = first_seen
            else:
                raise TypeError(f"unknown price constraint {constraint!r}")
            out.append(
                _genai_candidate(provider, model, i, prices, source, seg_from, seg_to, window, price_from, confirmed)
            )
            out[-1] = _with_priority(out[-1], priority)
            priority += 1
            if window is None:
                picked_all_day = True
                break
        if not picked_all_day:  # genai-prices falls back to the first entry
            constraint, prices = entries[0]
            out.append(
                _with_priority(
                    _genai_candidate(provider, model, 0, prices, source, seg_from, seg_to, None, first_seen, confirmed),
                    priority,
                )
            )
    return out


def _with_priority(candidate: Candidate, priority: int) -> Candidate:
    return Candidate(
        candidate.layer,
        priority,
        candidate.date_from,
        candidate.date_to,
        candidate.window,
        candidate.key,
        candidate.record,
    )


def _genai_candidate(
    provider: gp.Provider,
    model: gp.ModelInfo,
    entry: int,
    prices: gp.ModelPrice,
    source: str,
    seg_from: datetime | None,
    seg_to: datetime | None,
    window: tuple[int, int] | None,
    price_from: datetime | None,
    confirmed: date | None,
) -> Candidate:
    """``confirmed``: the newest change or check of the model's prices, which dates the price in force."""
    record = _prices_of(prices)
    checked = price_from.date() if price_from else None
    if seg_to is None and confirmed is not None:
        checked = max(confirmed, checked) if checked else confirmed
    record.update(
        _provenance(
            provider_id=provider.id,
            model_id=model.id,
            layer="genai-prices",
            source=source,
            date_from=price_from,
            date_to=seg_to,
            window=window,
            checked_on=checked,
            fallback_as_of="undated (no start recorded)",
        )
    )
    key = ("genai-prices", provider.id, model.id, entry, seg_from, seg_to)
    return Candidate("genai-prices", 0, seg_from, seg_to, window, key, record)


def litellm_candidate(litellm: LiteLLMSnapshot, key: str) -> Candidate:
    entry = litellm.prices[key]
    tiers = [(t["start"], {k: v for k, v in t.items() if k != "start"}) for t in entry.get("tiers", [])]
    record = _prices_of(entry, tiers)
    provider_id = str(entry.get("litellm_provider") or "")
    model_id = key.split("/", 1)[1] if "/" in key else key
    where = f" ({entry['source']})" if entry.get("source") else ""
    record.update(
        _provenance(
            provider_id=provider_id,
            model_id=model_id,
            layer="litellm",
            source=f"{litellm.label()}: {key}{where}",
            date_from=midnight(litellm.as_of),
            date_to=None,
            window=None,
            checked_on=litellm.as_of,
        )
    )
    start = midnight(litellm.as_of)
    return Candidate("litellm", 0, start, None, None, ("litellm", key, litellm.version), record)


def candidates_for(
    ident: Identity,
    *,
    custom: Sequence[tuple[int, CustomPrice]],
    corrections: Sequence[tuple[int, Correction]],
    version: str,
    history: GenaiHistory | None,
    litellm: LiteLLMSnapshot | None,
) -> list[Candidate]:
    """Every candidate price of one model, in precedence order (layer, then priority, then date)."""
    out: list[Candidate] = []
    for index, entry in custom:
        if (entry.provider.lower(), entry.model.lower()) in ident.keys:
            out.append(custom_candidate(index, entry))
            break  # one sheet row prices a model at every date
    if not out:
        out.extend(
            correction_candidate(index, entry)
            for index, entry in corrections
            if (entry.provider.lower(), entry.model.lower()) in ident.keys
        )
        if ident.genai:
            out.extend(genai_candidates(*ident.genai, version, history))
        if litellm is not None and ident.litellm_key:
            out.append(litellm_candidate(litellm, ident.litellm_key))
    return sorted(out, key=lambda c: (c.rank, c.priority, c.date_from or datetime.min))
