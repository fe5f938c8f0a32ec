"""Rows -> price cell -> sums -> cost components, as Ibis expressions (any SQL engine).

Each step mirrors a function of the pandas path, which stays the reference:

- ``coordinates``: ``book.pricing_times`` (the instant a row is priced at, its second of day,
  whether its time of day is known) and ``costing.prompt_per_call``;
- ``attach``: ``book.attach_prices`` through the bands of ``pricing.cells`` (each row meets one
  cell of its model and one band of prompt size: one price, at one tier);
- ``fine_sums`` then ``price_groups``: ``costing.price_rows`` and the per-row terms of
  ``tokenomics.sums.measure``. A row's cost is linear in its token counts once its price is
  fixed, so the rows are first summed per (label, task, model, provider, price band, cost basis)
  and the groups priced after: the arithmetic runs once per group, not once per row;
- ``pair_sums``, ``task_sums``: the two sums of ``tokenomics.sums``, rolled up from the groups.

Every reference in the bands covers all time and all prompt sizes, so exactly one band of a
row's model holds it: the ranges are join conditions where the engine tests them while it joins
(DuckDB), else a filter after a join on equalities (ClickHouse without experimental settings).
All arithmetic is in doubles, like the pandas path.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import ibis
import ibis.expr.types as ir

from pricing.cells import SECONDS_PER_DAY
from pricing.layers import ALL_PRICE_KEYS
from tokenomics.costing import OBSERVED, PRICED, UNPRICED
from tokenomics.sums import PAIR_KEYS, PAIR_SUMS, TASK_SUMS
from tokenomics.units import COST_COMPONENTS, REQUEST_PRICE_KEY, TOKEN_COLUMNS, TOKEN_UNITS

NOON = SECONDS_PER_DAY // 2
Epoch = Callable[[ir.TimestampValue], ir.IntegerValue]
"""Microseconds since 1970 of a timestamp, in the engine's fastest spelling (``engine.backends``)."""


def coordinates(rows: ir.Table, epoch_us: Epoch, *, today_day: int, as_of_day: int | None = None) -> ir.Table:
    """Pricing instant ``t`` (UTC seconds), second of day ``s``, ``known`` and prompt per call ``ppc``.

    A row known only by its day stands at its noon; a row without a timestamp at today's noon;
    with ``as_of`` every row at that day's noon (``book.pricing_times``).
    """
    # Whole seconds, cut down (16:29:59.7 is still in the window that ends at 16:30).
    rows = rows.mutate(_epoch=epoch_us(rows.ts) // 1_000_000)
    day_start = rows._epoch - ((rows._epoch % SECONDS_PER_DAY) + SECONDS_PER_DAY) % SECONDS_PER_DAY
    if as_of_day is not None:
        t: ir.Value = ibis.literal(as_of_day * SECONDS_PER_DAY + NOON, "int64")
        s: ir.Value = ibis.literal(0, "int64")
        known: ir.Value = ibis.literal(False)
    else:
        known = (rows.time_known & rows.ts.notnull()).fill_null(False)
        t = ibis.cases(
            (rows.ts.isnull(), ibis.literal(today_day * SECONDS_PER_DAY + NOON, "int64")),
            (known, rows._epoch),
            else_=day_start + NOON,
        )
        s = ibis.ifelse(known, rows._epoch - day_start, 0)
    calls = rows.calls
    ppc = ibis.ifelse(calls > 0, rows.input_tokens / calls, 0.0).fill_null(0.0)
    has_tokens = ibis.or_(*[rows[c].notnull() for c in TOKEN_COLUMNS])
    return rows.mutate(
        provider=rows.provider.fill_null(""),
        t=t.cast("int64"),
        s=s.cast("int64"),
        known=known,
        ppc=ppc,
        has_tokens=has_tokens,
    ).drop("_epoch")


def _inside(rows: ir.Table, bands: ir.Table) -> list[ir.BooleanValue]:
    """A row's instant, second of day and prompt per call within a band's ranges."""
    return [
        rows.t >= bands.t_from,
        rows.t < bands.t_to,
        rows.s >= bands.s_from,
        rows.s < bands.s_to,
        rows.ppc > bands.ppc_from,
        rows.ppc <= bands.ppc_to,
    ]


def attach(rows: ir.Table, bands: ir.Table, *, range_join: bool = False) -> ir.Table:
    """Each row's ``price_id`` (-1: none), ``band_id``, ``outside_history`` and ``cost_basis``.

    ``bands`` is ``pricing.cells.PriceCells.bands``. A row no recorded price covers keeps its
    observed cost (``price_id`` -1) or, with tokens and no observed cost, takes the nearest
    recorded price; either way it is outside the history. The basis is ``costing.price_rows``':
    priced from tokens where it has tokens and an input and output price, else its observed
    cost, else unpriced (never $0). ``range_join``: the engine tests the ranges while it joins
    (``engine.backends``), instead of making every band of a model a row and filtering them.
    """
    same = [rows.provider == bands.provider_ref, rows.model == bands.model_ref, rows.known == bands.cell_known]
    if range_join:
        joined = rows.left_join(bands, same + _inside(rows, bands))
    else:
        joined = rows.left_join(bands, same)
        joined = joined.filter(ibis.and_(*_inside(joined, joined)) | joined.provider_ref.isnull())
    uncovered = (joined.price_id == -1).fill_null(False)
    nearest = uncovered & joined.has_tokens & joined.cost_usd.isnull()
    price_id = ibis.cases((joined.price_id >= 0, joined.price_id), (nearest, joined.nearest_id), else_=-1)
    joined = joined.mutate(price_id=price_id.cast("int64"), outside_history=uncovered & joined.has_tokens)
    # A row outside the history with its own observed cost is costed from it, at no price.
    priced = joined.price_id >= 0
    use_tokens = joined.has_tokens & priced & joined.input_mtok.notnull() & joined.output_mtok.notnull()
    basis = ibis.cases((use_tokens, PRICED), (joined.cost_usd.notnull(), OBSERVED), else_=UNPRICED)
    return joined.mutate(band_id=ibis.ifelse(priced, joined.band_id, ibis.null("int64")), cost_basis=basis).select(
        *rows.columns, "price_id", "band_id", "outside_history", "cost_basis"
    )


def data_note(rows: ir.Table) -> ir.StringValue:
    """Per row, why its data says its tokens cannot be repriced ("" where it does not).

    ``tokenomics.sums.data_note_terms``: a ``token_note``, else an ``editor_model`` on a row
    with tokens (an architect/editor pair's tokens are two models').
    """
    has_tokens = ibis.or_(*[rows[c].notnull() for c in TOKEN_COLUMNS])
    pair = (
        "architect/editor run: its cost includes the editor model "
        + rows.editor_model
        + (", which one model's price cannot reprice")
    )
    return ibis.cases(
        (rows.token_note.notnull(), "implausible token counts: " + rows.token_note),
        (rows.editor_model.notnull() & has_tokens, pair),
        else_="",
    )


FINE_KEYS = ("dataset", "label", "task_id", "model", "provider", "price_id", "band_id", "cost_basis")
"""The one grouping of the rows: every row of a group has the same unit prices and basis."""


def fine_sums(
    t: ir.Table,
    absent: frozenset[str] = frozenset(),
    *,
    one_attempt_per_row: bool = False,
    extra: Mapping[str, ir.Value] | None = None,
) -> ir.Table:
    """The rows summed per ``FINE_KEYS``: what their cost, and every other sum, is made of.

    ``absent`` names the columns no source has (NULL on every row; a missing ``label`` is the
    model): their sums are constants, set once per group instead of summed per row, and a missing
    ``label`` or ``dataset`` is not grouped on. ``one_attempt_per_row``: every row is one attempt.
    ``extra``: more aggregates of ``t``, kept after ``FINE_SUMS``.
    """

    def count(condition: ir.BooleanValue) -> ir.IntegerValue:
        return ibis.ifelse(condition, 1, 0).cast("int64").sum()

    def has(column: str) -> bool:
        return column not in absent

    aggs: dict[str, ir.Value] = {
        "rows": t.count(),
        "successes": t.successes.sum(),
        "outside": count(t.outside_history),
        **{c: t[c].sum() for c in TOKEN_COLUMNS if has(c)},
        "first_row": t._row.min(),
        "last_row": t._row.max(),
        **(extra or {}),
    }
    if not one_attempt_per_row:
        aggs["attempts"] = t.attempts.sum()
    if has("cost_usd"):
        aggs["cost_usd"] = t.cost_usd.fill_null(0.0).sum()
        aggs["cost_usd_missing"] = count(t.cost_usd.isnull())
    if has("calls"):
        aggs["calls_missing"] = count(t.calls.isnull())
        # Calls, or attempts where calls are unknown: what request fees are paid on.
        aggs["n_calls"] = t.calls.fill_null(t.attempts.cast("float64")).sum()
    if has("latency_s"):
        aggs["latency_s"] = t.latency_s.fill_null(0.0).sum()
        aggs["latency_missing"] = count(t.latency_s.isnull())
    if has("cache_read_tokens"):
        aggs["cache_reported"] = count(t.cache_read_tokens.fill_null(0.0) > 0)
    if has("output_tokens"):
        # Output tokens of rows that do not split out reasoning (the repricing flags' ceiling).
        unsplit = t.output_tokens.fill_null(0.0)
        aggs["output_unsplit"] = (
            unsplit.sum()
            if not has("reasoning_tokens")
            else ibis.ifelse(t.reasoning_tokens.isnull(), unsplit, 0.0).sum()
        )
    keys = [k for k in FINE_KEYS if has(k) or k not in ("label", "dataset")]
    g = t.group_by(keys).aggregate(**aggs)
    zero, null = ibis.literal(0.0), ibis.null("float64")
    attempts = g.rows if one_attempt_per_row else g.attempts
    constants: dict[str, ir.Value] = {
        "label": g.model,
        "dataset": ibis.null("string"),
        "attempts": attempts,
        "cost_usd": zero,
        "cost_usd_missing": g.rows,
        "calls_missing": g.rows,
        "n_calls": attempts.cast("float64"),
        "latency_s": zero,
        "latency_missing": g.rows,
        "cache_reported": ibis.literal(0, "int64"),
        "output_unsplit": zero,
        **dict.fromkeys(TOKEN_COLUMNS, null),
    }
    g = g.mutate(
        task_missing=ibis.ifelse(g.task_id.isnull(), g.rows, 0).cast("int64"),
        **{name: value for name, value in constants.items() if name not in g.columns},
    )
    return g.select(*FINE_KEYS, *FINE_SUMS, *(extra or {}))


FINE_SUMS = (
    "rows",
    "attempts",
    "successes",
    "cost_usd",
    "cost_usd_missing",
    "calls_missing",
    "task_missing",
    "latency_s",
    "latency_missing",
    "cache_reported",
    "outside",
    *TOKEN_COLUMNS,
    "output_unsplit",
    "n_calls",
    "first_row",
    "last_row",
)


def price_groups(fine: ir.Table, bands: ir.Table) -> ir.Table:
    """Each group's cost components, cost and the sums ``tokenomics.sums.PAIR_SUMS`` name.

    The group's tokens at its band's prices, as ``costing.price_rows`` bills one row: a part
    with its own price leaves its parent, reasoning without one is billed at the output price
    and shown as its own slice, request fees per call.
    """
    prices = bands.select("band_id", *[bands[k].name(f"_p_{k}") for k in ALL_PRICE_KEYS])
    t = fine.left_join(prices, fine.band_id == prices.band_id).drop("band_id_right")

    def price(key: str) -> ir.FloatingValue:
        return t[f"_p_{key}"]

    count = {c: t[c].fill_null(0.0) for c in TOKEN_COLUMNS}
    has = {u.column: price(u.price_key).notnull() for u in TOKEN_UNITS}
    # Most specific kinds first, so each parent can take out its priced parts.
    leaves: dict[str, ir.FloatingValue] = {}
    for unit in sorted(TOKEN_UNITS, key=lambda u: -len(u.ancestors)):
        leaf = count[unit.column]
        for other in TOKEN_UNITS:
            if unit.column in other.ancestors:
                leaf = leaf - ibis.ifelse(has[other.column], leaves[other.column], 0.0)
        leaves[unit.column] = leaf
    t = t.mutate(**{f"_leaf_{c}": leaves[c] for c in TOKEN_COLUMNS})

    def billed(unit_column: str, key: str) -> ir.FloatingValue:
        return ibis.ifelse(price(key).notnull(), t[f"_leaf_{unit_column}"] * price(key).fill_null(0.0), 0.0) / 1e6

    output_price = price("output_mtok").fill_null(0.0)
    at_output = ibis.ifelse(price("output_reasoning_mtok").notnull(), 0.0, count["reasoning_tokens"])
    components = {
        "cost_input": billed("input_tokens", "input_mtok"),
        "cost_cache_read": billed("cache_read_tokens", "cache_read_mtok"),
        "cost_cache_write": billed("cache_write_tokens", "cache_write_mtok")
        + billed("cache_write_1h_tokens", "cache_write_1h_mtok"),
        "cost_output": billed("output_tokens", "output_mtok") - at_output * output_price / 1e6,
        "cost_reasoning": billed("reasoning_tokens", "output_reasoning_mtok") + at_output * output_price / 1e6,
        "cost_requests": t.n_calls * price(REQUEST_PRICE_KEY).fill_null(0.0) / 1e3,
    }
    priced = t.cost_basis == PRICED
    null = ibis.null("float64")
    t = t.mutate(**{name: ibis.ifelse(priced, value, null) for name, value in components.items()})
    total = t[COST_COMPONENTS[0]]
    for name in COST_COMPONENTS[1:]:
        total = total + t[name]
    unpriced = t.cost_basis == UNPRICED
    valid = t.price_id >= 0
    input_price, cache_price = price("input_mtok"), price("cache_read_mtok")
    share_saved = ibis.ifelse(
        priced & (input_price > 0) & cache_price.notnull(), 1 - cache_price / input_price, 0.0
    ).fill_null(0.0)
    reasoning_price = price("output_reasoning_mtok")
    extra = ibis.ifelse(
        priced & (reasoning_price > price("output_mtok")),
        t.output_unsplit * (reasoning_price - price("output_mtok")) / 1e6,
        0.0,
    ).fill_null(0.0)
    bill: dict[str, ir.Value] = {}
    attempts = t.attempts.cast("float64")
    for unit in TOKEN_UNITS:
        key = unit.price_key
        has_price = valid & price(key).notnull()
        bill[f"bill_{key}_wp"] = ibis.ifelse(has_price, count[unit.column] * price(key).fill_null(0.0), 0.0)
        bill[f"bill_{key}_w"] = ibis.ifelse(has_price, count[unit.column], 0.0)
        bill[f"bill_{key}_ap"] = ibis.ifelse(has_price, attempts * price(key).fill_null(0.0), 0.0)
        bill[f"bill_{key}_a"] = ibis.ifelse(has_price, attempts, 0.0)
    has_request = valid & price(REQUEST_PRICE_KEY).notnull()
    bill[f"bill_{REQUEST_PRICE_KEY}_wp"] = ibis.ifelse(
        has_request, t.n_calls * price(REQUEST_PRICE_KEY).fill_null(0.0), 0.0
    )
    bill[f"bill_{REQUEST_PRICE_KEY}_w"] = ibis.ifelse(has_request, t.n_calls, 0.0)
    return t.mutate(
        cost=ibis.cases((priced, total), (unpriced, 0.0), else_=t.cost_usd),
        cost_missing=ibis.ifelse(unpriced, t.rows, 0).cast("int64"),
        saving=t.cost_input.fill_null(0.0) * share_saved,
        extra=extra,
        **bill,
    )


def pair_sums(groups: ir.Table) -> ir.Table:
    """``tokenomics.sums.Sums.pairs`` from the priced groups."""
    aggs: dict[str, ir.Value] = {name: groups[name].sum() for name in PAIR_SUMS}
    aggs["first_row"] = groups.first_row.min()
    aggs["last_row"] = groups.last_row.max()
    return groups.group_by(["dataset", *PAIR_KEYS]).aggregate(**aggs)


def task_sums(groups: ir.Table) -> ir.Table:
    """``tokenomics.sums.Sums.tasks`` from the priced groups: one row per (label, task) with a task id."""
    f = groups.filter(groups.task_id.notnull())
    null = ibis.null("float64")
    # A sum over rows that are all NULL is NULL (SQL SUM), as the pandas path's sum(min_count=1).
    known_cost = ibis.ifelse(f.cost_missing < f.rows, f.cost, null)
    known_usd = ibis.ifelse(f.cost_usd_missing < f.rows, f.cost_usd, null)
    aggs: dict[str, ir.Value] = {
        "attempts": f.attempts.sum(),
        "successes": f.successes.sum(),
        "rows": f.rows.sum(),
        "cost": known_cost.sum(),
        "cost_usd": known_usd.sum(),
        "cost_missing": f.cost_missing.sum(),
        "cost_usd_missing": f.cost_usd_missing.sum(),
        **{name: f[name].fill_null(0.0).sum() for name in COST_COMPONENTS},
        "cost_unsplit": ibis.ifelse(f.cost_basis == PRICED, 0.0, f.cost).sum(),
        "first_row": f.first_row.min(),
    }
    sums = f.group_by(["dataset", "label", "task_id"]).aggregate(**aggs)
    # A task with an unknown cost has an unknown unsplit cost (NaN sums stay NaN).
    sums = sums.mutate(cost_unsplit=ibis.ifelse(sums.cost_missing > 0, null, sums.cost_unsplit))
    return sums.select("dataset", "label", "task_id", *TASK_SUMS, "first_row")
