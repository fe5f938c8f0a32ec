"""The price layers compiled into disjoint cells a SQL engine can join on (``engine/``).

``book.attach_prices`` gives each row the first candidate (``pricing.layers``) whose period
covers the row's instant and whose daily window covers its time; candidates overlap, so a SQL
join on them would fan out. Here each model reference's (time known?, instant, second of day)
space is cut at every period boundary and window boundary into cells, and each cell gets what
``attach_prices`` gives a row inside it, decided by the very same functions (``book._covers``,
``book._nearest``) on one representative point of the cell. A row then meets at most one cell
through equalities and half-open ranges only:

    provider = provider_ref AND model = model_ref AND known = cell_known
    AND t_from <= instant < t_to                (UTC seconds since 1970)
    AND s_from <= second_of_day < s_to          (UTC; 0 for a row known only by its day)

A cell no candidate covers is outside the recorded price history: its row keeps its observed
cost if it has one, else takes the nearest recorded price (``nearest_id``), as in
``attach_prices``. A second relation, ``tiers``, holds each price's unit prices per band of the
prompt per call (``ppc_from < prompt per call <= ppc_to``), the cliff rule of
``costing.unit_prices``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise

import numpy as np
import pandas as pd

from pricing.book import (
    PriceSources,
    _covers,
    _nearest,
    _outside_note,
    _TableBuilder,
    reference_candidates,
    retired_reason,
)
from pricing.custom import CustomPrice
from pricing.layers import ALL_PRICE_KEYS, MAX_TIERS, Candidate
from tokenomics.units import PRICE_KEYS, tier_columns

SECONDS_PER_DAY = 86_400
T_MIN = -(2**53)
T_MAX = 2**53
"""Open ends of a period, in seconds since 1970 (exact in a double as well as in an Int64)."""
PPC_MIN = -1e18
PPC_MAX = 1e18

CELL_COLUMNS = ["provider_ref", "model_ref", "cell_known", "t_from", "t_to", "s_from", "s_to", "price_id", "nearest_id"]
TIER_COLUMNS = ["tier_price_id", "ppc_from", "ppc_to", *ALL_PRICE_KEYS]
BAND_COLUMNS = [*CELL_COLUMNS, "ppc_from", "ppc_to", "band_id", *ALL_PRICE_KEYS]


@dataclass
class PriceCells:
    cells: pd.DataFrame
    """``CELL_COLUMNS``: ``price_id`` -1 where no recorded price covers the cell; ``nearest_id`` the
    price a row there without an observed cost gets (-1 where the cell is covered)."""
    tiers: pd.DataFrame
    """``TIER_COLUMNS``: unit prices of every price of ``table`` per band of the prompt per call."""
    bands: pd.DataFrame
    """``BAND_COLUMNS``: each cell with the unit prices of its price (its nearest one where it is not
    covered) per band of the prompt per call: the one relation the rows join. ``band_id`` numbers them."""
    table: pd.DataFrame
    """One row per distinct price, as ``book.PricedRows.table``."""
    ids: pd.DataFrame
    """``provider_ref``, ``model_ref``, ``provider_id``, ``model_id`` of every priced reference."""
    unpriced: dict[str, str] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    retired: dict[int, tuple[str, str]] = field(default_factory=dict)
    """``price_id`` of a retired name's period -> (reference, why): rows there are unpriced, and the
    comparison says why where some are (``attach_prices`` does the same per row)."""


def _instant(seconds: int) -> np.ndarray:
    return np.array([np.datetime64(seconds, "s")])


def _bounds(candidates: Sequence[Candidate]) -> list[int]:
    moments = {m for c in candidates for m in (c.date_from, c.date_to) if m is not None}
    return sorted(int(np.datetime64(m, "s").astype(np.int64)) for m in moments)


def _windows(candidates: Sequence[Candidate]) -> list[int]:
    edges = {0, SECONDS_PER_DAY} | {s for c in candidates if c.window is not None for s in c.window}
    return sorted(edges)


Cell = tuple[bool, int, int, int, int, int, int]
"""(known, t_from, t_to, s_from, s_to, price_id, nearest_id)."""


def _reference_cells(candidates: list[Candidate], builder: _TableBuilder) -> list[Cell]:
    """The cells of one reference, neighbours with the same outcome merged."""
    bounds = _bounds(candidates)
    edges = [T_MIN, *bounds, T_MAX]
    windows = _windows(candidates)
    out: list[Cell] = []
    for known in (True, False):
        spans = list(pairwise(windows)) if known else [(0, SECONDS_PER_DAY)]
        segments: list[tuple[int, int, list[tuple[int, int, int, int]]]] = []
        for t_from, t_to in pairwise(edges):
            # A point inside the segment: its start, or (before the first boundary) a second before it.
            point = t_from if t_from != T_MIN else (bounds[0] - 1 if bounds else 0)
            day: list[tuple[int, int, int, int]] = []
            for s_from, s_to in spans:
                outcome = _outcome(candidates, builder, point, s_from, known)
                if day and day[-1][2:] == outcome:
                    day[-1] = (day[-1][0], s_to, *outcome)
                else:
                    day.append((s_from, s_to, *outcome))
            if segments and segments[-1][2] == day:
                segments[-1] = (segments[-1][0], t_to, day)
            else:
                segments.append((t_from, t_to, day))
        out.extend((known, t_from, t_to, *span) for t_from, t_to, day in segments for span in day)
    return out


def _outcome(
    candidates: list[Candidate], builder: _TableBuilder, point: int, second: int, known: bool
) -> tuple[int, int]:
    """(price_id, nearest_id) a row at ``point`` (its second of day ``second``) gets, as in ``attach_prices``."""
    d, s, k = _instant(point), np.array([second]), np.array([known])
    for candidate in candidates:
        if _covers(candidate, d, s, k)[0]:
            return builder.add(candidate.key, candidate.record), -1
    index, before_all = _nearest(candidates, d, s, k)
    candidate = candidates[int(index[0])]
    before = bool(before_all[0])
    record = {**candidate.record, "price_note": _outside_note(candidate, before)}
    return -1, builder.add((*candidate.key, "outside", before), record)


def tier_bands(table: pd.DataFrame) -> pd.DataFrame:
    """Each price's unit prices per band (``ppc_from``, ``ppc_to``] of the prompt per call.

    Once the prompt per call exceeds a tier's start, that tier's price applies (the cliff rule of
    ``costing.unit_prices``): in the band above a start the price is the tier's, below it the base.
    """
    records: list[dict[str, float]] = []
    for price_id, row in enumerate(table.to_dict("records")):
        starts = sorted(
            {
                float(row[start])
                for key in PRICE_KEYS
                for tier in range(1, MAX_TIERS + 1)
                if (start := tier_columns(key, tier)[0]) in row and pd.notna(row[start])
            }
        )
        edges = [PPC_MIN, *starts, PPC_MAX]
        for low, high in pairwise(edges):
            band: dict[str, float] = {"tier_price_id": price_id, "ppc_from": low, "ppc_to": high}
            for key in ALL_PRICE_KEYS:
                value = row.get(key, np.nan)
                if key in PRICE_KEYS:
                    for tier in range(1, MAX_TIERS + 1):
                        start, price = tier_columns(key, tier)
                        if start in row and pd.notna(row[start]) and float(row[start]) <= low:
                            value = row[price]
                band[key] = np.nan if value is None else float(value)
            records.append(band)
    frame = pd.DataFrame.from_records(records, columns=TIER_COLUMNS)
    # Typed even when empty (no reference has a price): an engine cannot store untyped columns.
    return frame.astype({"tier_price_id": "int64", **dict.fromkeys(TIER_COLUMNS[1:], "float64")})


def compile_cells(
    references: Iterable[tuple[str, str]], sources: PriceSources, custom: Sequence[CustomPrice] = ()
) -> PriceCells:
    """The cells of every (provider, model) reference as written in the data (provider '' when none)."""
    builder = _TableBuilder()
    cells: list[tuple[object, ...]] = []
    ids: list[tuple[str, str, str, str]] = []
    unpriced: dict[str, str] = {}
    notes: dict[str, str] = {}
    retired: dict[int, tuple[str, str]] = {}
    for provider, model in references:
        reference, ident, candidates = reference_candidates(sources, custom, provider, model)
        if ident.note:
            notes[reference] = ident.note
        if not candidates:
            unpriced[reference] = ident.reason or "no price in any layer"
            continue
        ids.append((provider, model, ident.provider_id, ident.model_id))
        cells.extend((provider, model, *cell) for cell in _reference_cells(candidates, builder))
        for candidate in candidates:
            if candidate.retired and candidate.key in builder.index:
                retired[builder.index[candidate.key]] = (reference, retired_reason(candidate))
    table = builder.frame()
    cell_frame = pd.DataFrame.from_records(cells, columns=CELL_COLUMNS).astype(
        {"provider_ref": str, "model_ref": str, "cell_known": bool, **dict.fromkeys(CELL_COLUMNS[3:], "int64")}
    )
    id_frame = pd.DataFrame.from_records(ids, columns=["provider_ref", "model_ref", "provider_id", "model_id"]).astype(
        str
    )
    tiers = tier_bands(table)
    priced_at = cell_frame["price_id"].where(cell_frame["price_id"] >= 0, cell_frame["nearest_id"])
    bands = cell_frame.assign(_price=priced_at).merge(tiers, left_on="_price", right_on="tier_price_id")
    bands["band_id"] = np.arange(len(bands), dtype=np.int64)
    return PriceCells(cell_frame, tiers, bands[BAND_COLUMNS], table, id_frame, unpriced, notes, retired)
