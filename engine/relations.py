"""Rows -> price cell -> cost components -> sums, as Ibis expressions (any SQL engine).

Each step mirrors one function of the pandas path, which stays the reference:

- ``coordinates``: ``book.pricing_times`` (the instant a row is priced at, its second of day,
  whether its time of day is known) and ``costing.prompt_per_call``;
- ``attach``: ``book.attach_prices`` through the cells of ``pricing.cells``, and
  ``costing.unit_prices`` through its tier bands;
- ``costs``: ``costing.price_rows`` (nested token kinds, reasoning at the output price,
  request fees, cost basis: priced > observed > unpriced, NULL and never 0);
- ``terms`` and the aggregates: ``tokenomics.sums.measure`` (repricing terms, bill weights, the
  per-(model, price, basis) and per-(model, task) sums), both rolled up from one grouping of the
  rows (``fine_sums``), so the rows are read once.

The joins use equalities only, with the ranges as a filter: every reference in the cells covers
all time and every price all prompt sizes, so exactly one cell and one band pass it, and the
same SQL runs on engines without range joins. All arithmetic is in doubles, like the pandas path.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from pricing.cells import SECONDS_PER_DAY
from tokenomics.costing import OBSERVED, PRICED, UNPRICED
from tokenomics.sums import BILL_TERMS, NULLABLE_SUMS, PAIR_KEYS, PAIR_SUMS, TASK_SUMS
from tokenomics.units import COST_COMPONENTS, REQUEST_PRICE_KEY, TOKEN_COLUMNS, TOKEN_UNITS

NOON = SECONDS_PER_DAY // 2


def coordinates(rows: ir.Table, *, today_day: int, as_of_day: int | None = None) -> ir.Table:
    """Pricing instant ``t`` (UTC seconds), second of day ``s``, ``known`` and prompt per call ``ppc``.

    A row known only by its day stands at its noon; a row without a timestamp at today's noon;
    with ``as_of`` every row at that day's noon (``book.pricing_times``).
    """
    # floor(): a double epoch cast to an integer would round 16:29:59.7 up into the next window.
    epoch = rows.ts.epoch_seconds().floor().cast("int64")
    rows = rows.mutate(_epoch=epoch)
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


def attach(rows: ir.Table, cells: ir.Table, tiers: ir.Table) -> ir.Table:
    """Each row's ``price_id`` (-1: none), ``outside_history`` and unit prices at its tier.

    A row no recorded price covers keeps its observed cost (``price_id`` -1) or, with tokens and
    no observed cost, takes the nearest recorded price; either way it is outside the history.
    """
    joined = rows.left_join(
        cells,
        [rows.provider == cells.provider_ref, rows.model == cells.model_ref, rows.known == cells.cell_known],
    )
    inside = (
        (joined.t >= joined.t_from) & (joined.t < joined.t_to) & (joined.s >= joined.s_from) & (joined.s < joined.s_to)
    )
    joined = joined.filter(inside | joined.provider_ref.isnull())
    uncovered = (joined.price_id == -1).fill_null(False)
    price_id = ibis.cases(
        (joined.price_id >= 0, joined.price_id),
        (uncovered & joined.has_tokens & joined.cost_usd.isnull(), joined.nearest_id),
        else_=-1,
    )
    priced = joined.mutate(price_id=price_id.cast("int64"), outside_history=uncovered & joined.has_tokens)
    priced = priced.drop("provider_ref", "model_ref", "cell_known", "t_from", "t_to", "s_from", "s_to", "nearest_id")
    banded = priced.left_join(tiers, priced.price_id == tiers.tier_price_id)
    banded = banded.filter(
        ((banded.ppc > banded.ppc_from) & (banded.ppc <= banded.ppc_to)) | banded.tier_price_id.isnull()
    )
    return banded.drop("tier_price_id", "ppc_from", "ppc_to")


def costs(t: ir.Table) -> ir.Table:
    """Cost components, ``cost`` and ``cost_basis`` of every row (``costing.price_rows``)."""
    count = {c: t[c].fill_null(0.0) for c in TOKEN_COLUMNS}
    priced = {u.column: t[u.price_key].notnull() for u in TOKEN_UNITS}
    # Most specific kinds first, so each parent can take out its priced parts.
    leaves: dict[str, ir.FloatingValue] = {}
    for unit in sorted(TOKEN_UNITS, key=lambda u: -len(u.ancestors)):
        leaf = count[unit.column]
        for other in TOKEN_UNITS:
            if unit.column in other.ancestors:
                leaf = leaf - ibis.ifelse(priced[other.column], leaves[other.column], 0.0)
        leaves[unit.column] = leaf
    t = t.mutate(**{f"_leaf_{c}": leaves[c] for c in TOKEN_COLUMNS})

    def billed(column: str, key: str) -> ir.FloatingValue:
        return ibis.ifelse(t[key].notnull(), t[f"_leaf_{column}"] * t[key].fill_null(0.0), 0.0) / 1e6

    output_price = t.output_mtok.fill_null(0.0)
    # Reasoning billed at the output rate is shown as its own slice of the output bill.
    at_output = ibis.ifelse(t.output_reasoning_mtok.notnull(), 0.0, t.reasoning_tokens.fill_null(0.0))
    n_calls = t.calls.fill_null(t.attempts.cast("float64"))
    components = {
        "cost_input": billed("input_tokens", "input_mtok"),
        "cost_cache_read": billed("cache_read_tokens", "cache_read_mtok"),
        "cost_cache_write": billed("cache_write_tokens", "cache_write_mtok")
        + billed("cache_write_1h_tokens", "cache_write_1h_mtok"),
        "cost_output": billed("output_tokens", "output_mtok") - at_output * output_price / 1e6,
        "cost_reasoning": billed("reasoning_tokens", "output_reasoning_mtok") + at_output * output_price / 1e6,
        "cost_requests": n_calls * t[REQUEST_PRICE_KEY].fill_null(0.0) / 1e3,
    }
    use_tokens = t.has_tokens & (t.price_id >= 0) & t.input_mtok.notnull() & t.output_mtok.notnull()
    t = t.mutate(_use_tokens=use_tokens, _use_observed=~use_tokens & t.cost_usd.notnull())
    null = ibis.null("float64")
    t = t.mutate(**{name: ibis.ifelse(t._use_tokens, value, null) for name, value in components.items()})
    total = t[COST_COMPONENTS[0]]
    for name in COST_COMPONENTS[1:]:
        total = total + t[name]
    return t.mutate(
        cost=ibis.cases((t._use_tokens, total), (t._use_observed, t.cost_usd), else_=null),
        cost_basis=ibis.cases((t._use_tokens, PRICED), (t._use_observed, OBSERVED), else_=UNPRICED),
    ).drop(*[f"_leaf_{c}" for c in TOKEN_COLUMNS], "_use_tokens", "_use_observed")


def terms(t: ir.Table) -> ir.Table:
    """Per row, what the sums add up (``tokenomics.sums.measure``, ``repricing.repricing_terms``)."""
    priced = t.cost_basis == PRICED
    valid = t.price_id >= 0
    share_saved = ibis.ifelse(
        priced & (t.input_mtok > 0) & t.cache_read_mtok.notnull(), 1 - t.cache_read_mtok / t.input_mtok, 0.0
    ).fill_null(0.0)
    extra = ibis.ifelse(
        priced & (t.output_reasoning_mtok > t.output_mtok) & t.reasoning_tokens.isnull(),
        t.output_tokens.fill_null(0.0) * (t.output_reasoning_mtok - t.output_mtok) / 1e6,
        0.0,
    ).fill_null(0.0)
    attempts = t.attempts.cast("float64")
    bill: dict[str, ir.Value] = {}
    for unit in TOKEN_UNITS:
        key = unit.price_key
        has = valid & t[key].notnull()
        price = t[key].fill_null(0.0)
        tokens = t[unit.column].fill_null(0.0)
        bill[f"bill_{key}_wp"] = ibis.ifelse(has, tokens * price, 0.0)
        bill[f"bill_{key}_w"] = ibis.ifelse(has, tokens, 0.0)
        bill[f"bill_{key}_ap"] = ibis.ifelse(has, attempts * price, 0.0)
        bill[f"bill_{key}_a"] = ibis.ifelse(has, attempts, 0.0)
    has_request = valid & t[REQUEST_PRICE_KEY].notnull()
    call_weight = t.calls.fill_null(attempts)
    bill[f"bill_{REQUEST_PRICE_KEY}_wp"] = ibis.ifelse(has_request, call_weight * t[REQUEST_PRICE_KEY], 0.0)
    bill[f"bill_{REQUEST_PRICE_KEY}_w"] = ibis.ifelse(has_request, call_weight, 0.0)
    return t.mutate(
        saving=t.cost_input.fill_null(0.0) * share_saved,
        extra=extra,
        cache_reported=(t.cache_read_tokens.fill_null(0.0) > 0).cast("int64"),
        outside=t.outside_history.cast("int64"),
        **bill,
    )


FINE_KEYS = ("label", "task_id", "model", "provider", "price_id", "cost_basis")
"""The one grouping of the rows: both kinds of sums are rollups of it (one pass over the rows)."""


def fine_sums(t: ir.Table) -> ir.Table:
    """Per (label, task, model, provider, price, basis): every sum the comparison needs."""
    one = ibis.literal(1, "int64")
    zero = ibis.literal(0, "int64")

    def count(condition: ir.BooleanValue) -> ir.IntegerValue:
        return ibis.ifelse(condition, one, zero).sum()

    aggs: dict[str, ir.Value] = {
        "rows": t.count(),
        "attempts": t.attempts.sum(),
        "successes": t.successes.sum(),
        "cost_missing": count(t.cost.isnull()),
        "cost_usd_missing": count(t.cost_usd.isnull()),
        "calls_missing": count(t.calls.isnull()),
        "task_missing": count(t.task_id.isnull()),
        "latency_missing": count(t.latency_s.isnull()),
        "cache_reported": t.cache_reported.sum(),
        "outside": t.outside.sum(),
        "cost": t.cost.fill_null(0.0).sum(),
        "cost_usd": t.cost_usd.fill_null(0.0).sum(),
        "latency_s": t.latency_s.fill_null(0.0).sum(),
        "saving": t.saving.sum(),
        "extra": t.extra.sum(),
        **{name: t[name].sum() for name in BILL_TERMS},
        **{name: t[name].sum() for name in NULLABLE_SUMS},
        "first_row": t._row.min(),
        "last_row": t._row.max(),
    }
    return t.group_by(list(FINE_KEYS)).aggregate(**aggs)


def pair_sums(fine: ir.Table) -> ir.Table:
    """``tokenomics.sums.Sums.pairs`` from the fine sums."""
    aggs: dict[str, ir.Value] = {name: fine[name].sum() for name in PAIR_SUMS}
    aggs["first_row"] = fine.first_row.min()
    aggs["last_row"] = fine.last_row.max()
    return fine.group_by(list(PAIR_KEYS)).aggregate(**aggs)


def task_sums(fine: ir.Table) -> ir.Table:
    """``tokenomics.sums.Sums.tasks`` from the fine sums: one row per (label, task) with a task id."""
    f = fine.filter(fine.task_id.notnull())
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
        **{name: f[name].fill_null(0.0).sum() for name in COST_COMPONENTS},
        "cost_unsplit": ibis.ifelse(f.cost_basis == PRICED, 0.0, f.cost).sum(),
        "first_row": f.first_row.min(),
    }
    sums = f.group_by(["label", "task_id"]).aggregate(**aggs)
    # A task with an unknown cost has an unknown unsplit cost (NaN sums stay NaN).
    sums = sums.mutate(cost_unsplit=ibis.ifelse(sums.cost_missing > 0, null, sums.cost_unsplit))
    return sums.select("label", "task_id", *TASK_SUMS, "first_row")
