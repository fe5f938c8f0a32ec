"""What a reader sees of a result table: which columns, in which order, under which header, in
which format. Pages, the HTML report and the spreadsheet all take their tables from here, so a
figure reads the same wherever it is shown.

The first columns are the ones a buyer reads first: the model, whether it solves the task
(success) and what a solved task costs, side by side, so a narrow screen still shows them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from tokenomics.format import interval, money, pct


@dataclass(frozen=True)
class Column:
    label: str
    kind: str = "text"
    """A kind of ``reports.format.KINDS`` (or text)."""
    help: str = ""


ORIGIN = {
    "vendor": Column("vendor", help="The lab that made the model (data/model_origins.csv)."),
    "origin": Column("origin", help="Where the lab is based: CN or Western (data/model_origins.csv)."),
    "open_weights": Column("open weights", help="Weights published to run yourself (data/model_origins.csv)."),
}

COMPARE = {
    "model": Column("model"),
    "success_rate": Column("success", "pct", "Measured share of attempts that solved their task."),
    "cost_per_success": Column("per solved task", "money", "All attempts' cost / successes (USD)."),
    "cps_range": Column("per solved task, 95%", "text", "Interval of the cost per solved task."),
    "success_range": Column("success, 95%", "text", "Wilson interval of the success rate."),
    "dataset": Column("dataset", help="The benchmark or log the figures come from; never pooled."),
    **ORIGIN,
    "provider": Column("provider"),
    "discount_per_token": Column("x cheaper per token", "ratio", "Against the reference, on this workload's mix."),
    "discount_per_success": Column("x cheaper per solved task", "ratio", "Against the reference."),
    "attempts": Column("attempts", "count"),
    "successes": Column("solved", "count"),
    "cost_per_attempt": Column("per attempt", "money"),
    "cost_of_pass": Column("cost-of-pass", "money", "Mean over tasks of cost per attempt / that task's rate."),
    "cost_per_success_with_time": Column("per solved task incl. waiting", "money"),
    "input_tokens_per_attempt": Column("input tokens/attempt", "tokens"),
    "cache_read_tokens_per_attempt": Column("cached tokens/attempt", "tokens"),
    "output_tokens_per_attempt": Column("output tokens/attempt", "tokens"),
    "reasoning_tokens_per_attempt": Column("reasoning tokens/attempt", "tokens"),
    "seconds_per_attempt": Column("time/attempt", "seconds"),
    "seconds_per_success": Column("time/solved task", "seconds", "Latency per attempt / success rate."),
    "time_basis": Column("time from"),
    "time_cost_per_success": Column("waiting per solved task", "money"),
    "on_frontier": Column("Pareto", "bool", "No other model is both better and cheaper."),
    "repricing_flag": Column("check", help="Why the repriced cost disagrees with the published one."),
    "failed_check": Column("implausible", "bool", "Failed the plausibility check: never ranked cheapest."),
    "cost_basis": Column("cost from", help="priced: tokens x prices; observed: the published cost."),
    "observed_cost": Column("published total", "money"),
    "repriced_cost": Column("repriced total", "money"),
    "total_cost": Column("total used", "money"),
    "price_layer": Column("price layer"),
    "price_source": Column("price source"),
    "price_as_of": Column("price as of"),
    "checked_on": Column("price checked on"),
    "cps_interval": Column("interval method"),
}

WHATIF = {
    "rank": Column("rank", "count"),
    "model": Column("model"),
    "p_solved": Column("P(solved)", "pct", "Share of tasks solved within k attempts under the scenario."),
    "cost_per_success": Column("per solved task", "money", "Cost per task / P(solved)."),
    "cost_per_task_with_failures": Column("per task incl. failures", "money", "Cost per task + unsolved share x F."),
    "p_solved_no_gain": Column("P(solved), no gain past the samples", "pct", "k above the samples per task."),
    "p_solved_if_independent": Column("P(solved), independent tries", "pct", "k above the samples per task."),
    "cost_per_success_no_gain": Column("per solved task, no gain past the samples", "money"),
    "cost_per_success_if_independent": Column("per solved task, independent tries", "money"),
    **ORIGIN,
    "provider": Column("provider"),
    "success_rate": Column("measured success", "pct"),
    "haircut": Column("haircut", "pct"),
    "p_fresh": Column("p after haircut", "pct"),
    "expected_attempts": Column("E[attempts]", "decimal"),
    "cost_per_attempt": Column("per attempt", "money"),
    "cost_per_task": Column("per task", "money"),
    "seconds_per_attempt": Column("time/attempt", "seconds"),
    "seconds_per_success": Column("time/solved task", "seconds", "Time per attempt x E[A] / P(solved)."),
    "monthly_spend": Column("monthly spend", "money"),
    "monthly_failure_cost": Column("monthly failure cost", "money"),
    "monthly_total": Column("monthly total", "money"),
    "monthly_solved": Column("solved a month", "count"),
    "attempts": Column("measured attempts", "count"),
    "successes": Column("measured successes", "count"),
    "price_factor": Column("price factor", "decimal"),
    "service_tier": Column("tier"),
    "method": Column("retries computed by"),
    "on_frontier": Column("Pareto", "bool"),
    "price_source": Column("price source"),
}


BOUNDS = ["p_solved_no_gain", "p_solved_if_independent", "cost_per_success_no_gain", "cost_per_success_if_independent"]


def kinds(spec: dict[str, Column]) -> dict[str, str]:
    return {c: col.kind for c, col in spec.items() if col.kind not in ("text", "bool")}


def headers(spec: dict[str, Column]) -> dict[str, str]:
    return {c: col.label for c, col in spec.items()}


def compare_frame(summary: pd.DataFrame) -> pd.DataFrame:
    """The comparison in reading order, cheapest per solved task first, intervals as ``a-b`` text."""
    out = summary.assign(
        cps_range=[interval(lo, hi) for lo, hi in zip(summary["cps_low"], summary["cps_high"], strict=True)],
        success_range=[
            interval(lo, hi, pct) for lo, hi in zip(summary["success_low"], summary["success_high"], strict=True)
        ],
    )
    columns = [c for c in COMPARE if c in out.columns]
    return out.sort_values(["cost_per_success", "model"], na_position="last")[columns].reset_index(drop=True)


def whatif_frame(table: pd.DataFrame, monthly: bool, failures: bool = True) -> pd.DataFrame:
    """The scenario's table in reading order, best rank first; monthly columns only with a volume,
    failure columns only with a failure cost."""
    skip = set() if monthly else {"monthly_spend", "monthly_failure_cost", "monthly_total", "monthly_solved"}
    if not failures:
        skip |= {"cost_per_task_with_failures", "monthly_failure_cost"}
    # The two bounds exist only where k exceeds the samples per task.
    skip |= {c for c in BOUNDS if c in table.columns and table[c].isna().all()}
    columns = [c for c in WHATIF if c in table.columns and c not in skip]
    ordered = table.sort_values(["rank", "model"], na_position="last")
    return ordered[columns].reset_index(drop=True)


def shortlist(
    frame: pd.DataFrame, rate: str, cost: str, currency: str = "USD", n: int = 8, rate_label: str = "success"
) -> pd.DataFrame:
    """The first ``n`` rows as three short text columns (model, success, per solved task): the
    table a phone shows and a forwarded report opens with. Rows without a finite cost are left out.
    """
    finite = frame[np.isfinite(frame[cost].to_numpy(dtype=float))].head(n)
    return pd.DataFrame(
        {
            "model": finite["model"].astype(str).to_numpy(),
            rate_label: [pct(v) for v in finite[rate]],
            "per solved task": [money(v, currency) for v in finite[cost]],
        }
    )


def _references(summary: pd.DataFrame) -> list[list[str]]:
    """Per model, the names its reasons may be keyed by: ``provider/model`` (as the price layers name a
    reference when the data has a provider), then the model id alone."""
    ids = summary["model_id"].fillna("").astype(str) if "model_id" in summary.columns else summary["model"].astype(str)
    providers = (
        summary["provider"].fillna("").astype(str) if "provider" in summary.columns else pd.Series("", ids.index)
    )
    return [[f"{p}/{i}", i] if p else [i] for p, i in zip(providers, ids, strict=True)]


def _why(names: list[str], no_price: dict[str, str]) -> str | None:
    return next((no_price[n] for n in names if n in no_price), None)


def unpriced_models(summary: pd.DataFrame, no_price: dict[str, str]) -> pd.DataFrame:
    """The unpriced models (what the page's "Unpriced" figure counts), one row each, with why.

    ``no_price`` is the comparison's model reference -> why no layer prices it (or its rows after
    the provider retired its name).
    """
    unpriced = summary["cost_basis"].eq("unpriced").to_numpy()
    rows = summary[unpriced]
    names = [n for n, keep in zip(_references(summary), unpriced, strict=True) if keep]
    out = pd.DataFrame(
        {
            "model": rows["model"].to_numpy(),
            "model id": [n[-1] for n in names],
            "why": [_why(n, no_price) or "the run reports neither token counts nor a cost" for n in names],
            "attempts": rows["attempts"].to_numpy(),
            "successes": rows["successes"].to_numpy(),
            "price_source": rows["price_source"].to_numpy(),
        }
    )
    return out.sort_values("model", ignore_index=True)


def ranked_without_price(summary: pd.DataFrame, no_price: dict[str, str]) -> list[str]:
    """Models with rows no price layer prices that are ranked anyway, by the cost their run published."""
    known = [_why(n, no_price) is not None for n in _references(summary)]
    keep = pd.Series(known, index=summary.index) & summary["cost_basis"].ne("unpriced")
    return summary.loc[keep, "model"].astype(str).tolist()


def unpriced_advice(summary: pd.DataFrame) -> str:
    """What to do about models without a price, in words that fit the data in hand."""
    has_tokens = summary.reindex(columns=["input_tokens_per_attempt", "output_tokens_per_attempt"]).notna().any().any()
    unpriced = summary["cost_basis"].eq("unpriced")
    if not has_tokens:
        return (
            "These runs report what they cost, not their tokens: they are ranked by that cost and need no price. "
            "A price would only split a cost by token kind, which a file without token counts cannot do; "
            + (
                "the runs listed as unpriced report no cost either: add their cost_usd to the file."
                if unpriced.any()
                else "nothing is missing."
            )
        )
    return (
        "An unpriced model is never shown as $0. Where a run has token counts, fill its prices in 'Prices in use' "
        "below (USD per million tokens) or upload a price sheet on the Prices page; a run with neither tokens nor "
        "a cost needs them in the file. A model ranked by its published cost needs no price."
    )
