"""Which knob matters (tornado) and where the winner changes (crossovers), for a scenario.

Crossovers are solved analytically: every cost in ``scenario_apply.evaluate`` is linear in each
price factor (success does not depend on price), so two evaluations give each model's ranking
metric as ``a + b x factor`` and the factor where two models tie is ``(target - a) / b``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from tokenomics.format import money, pct
from tokenomics.scenario import Scenario
from tokenomics.scenario_apply import (
    CASCADE_ARROW,
    N_FACTORS,
    OUTPUT_FACTOR,
    WhatIfBase,
    evaluate,
    metric,
    ranking_metric,
    ranking_name,
)

SWING = 0.2
"""Tornado: prices and token counts are moved 20% down and up."""


def winner(table: pd.DataFrame, scenario: Scenario) -> str | None:
    """The single model (not a cascade) ranked first; None when no model has a finite metric."""
    single = table[~table["model"].str.contains(CASCADE_ARROW, regex=False)]
    return leader(single, scenario)


def leader(table: pd.DataFrame, scenario: Scenario) -> str | None:
    """The row ranked first, a cascade included: the one the headline names and the tornado analyses."""
    metric = ranking_metric(table, scenario)
    finite = metric[np.isfinite(metric.to_numpy(dtype=float))]
    return None if finite.empty else str(table.loc[finite.idxmin(), "model"])


def assumption(methods: list[str], scenario: Scenario) -> str:
    """The assumption an answer rests on, in words, where one carries it ("" where none does).

    ``methods`` are the ``method`` cells the answer comes from: a model's, or a cascade's and its models'.

    >>> k2, formula = Scenario(max_attempts=2), "independence formula (aggregate p)"
    >>> assumption([formula], k2), assumption(["pass@k from per-task samples (20 tasks)"], k2)
    ('assuming retries are independent', '')
    >>> assumption(["cascade, formula (models assumed to fail independently)", formula], k2)
    'assuming retries are independent and the models fail independently of each other'
    >>> beyond = "k = 6 exceeds the 5 samples per task: pass@k from the samples up to 5, then no gain from retrying"
    >>> assumption([beyond], Scenario(max_attempts=6))
    'assuming retries past the samples per task gain nothing'
    """
    parts = []
    if scenario.max_attempts > 1 and any("independence formula" in m or "independent tries" in m for m in methods):
        parts.append("retries are independent")
    if any("then no gain from retrying" in m for m in methods):
        parts.append("retries past the samples per task gain nothing")
    if any("assumed to fail independently" in m for m in methods):
        parts.append("the models fail independently of each other")
    return "assuming " + " and ".join(parts) if parts else ""


def solved_share(p: float) -> str:
    """A share of tasks solved; a retry curve close to 1 never reads as a certain 100%.

    >>> solved_share(0.6667), solved_share(0.99999), solved_share(1.0)
    ('66.7%', 'over 99.9%', '100.0%')
    """
    return "over 99.9%" if 0.999 < p < 1 else pct(p)


def _knobs(scenario: Scenario, models: list[str], provider: str) -> list[tuple[str, Scenario, Scenario]]:
    """(name, low scenario, high scenario) for each knob, around the current scenario.

    ``models`` is the model analysed, or a cascade's models (its haircut knob moves them all).
    """
    s = scenario
    model = models[0]
    down, up = 1 - SWING, 1 + SWING

    def kinds(field: str, kind: str, factor: float) -> Scenario:
        current = getattr(s, field)
        return s.model_copy(update={field: {**current, kind: current.get(kind, 1.0) * factor}})

    h = s.model_haircuts.get(model, s.haircut)
    k = s.max_attempts
    knobs = [
        (
            "all prices ±20%",
            s.model_copy(update={"price_multiplier": s.price_multiplier * down}),
            s.model_copy(update={"price_multiplier": s.price_multiplier * up}),
        ),
        (
            "output price ±20%",
            kinds("kind_price_multipliers", "output", down),
            kinds("kind_price_multipliers", "output", up),
        ),
        (
            "input price ±20%",
            kinds("kind_price_multipliers", "input", down),
            kinds("kind_price_multipliers", "input", up),
        ),
        ("output tokens ±20%", kinds("token_multipliers", "output", down), kinds("token_multipliers", "output", up)),
        (
            "reasoning tokens ±20%",
            kinds("token_multipliers", "reasoning", down),
            kinds("token_multipliers", "reasoning", up),
        ),
        ("input tokens ±20%", kinds("token_multipliers", "input", down), kinds("token_multipliers", "input", up)),
        (
            f"haircut {max(h - 0.1, 0):.0%} / {min(h + 0.1, 0.95):.0%}",
            s.model_copy(update={"model_haircuts": {**s.model_haircuts, **dict.fromkeys(models, max(h - 0.1, 0.0))}}),
            s.model_copy(update={"model_haircuts": {**s.model_haircuts, **dict.fromkeys(models, min(h + 0.1, 0.95))}}),
        ),
        (
            f"attempts k {max(k - 1, 1)} / {k + 1}",
            s.model_copy(update={"max_attempts": max(k - 1, 1)}),
            s.model_copy(update={"max_attempts": k + 1}),
        ),
        (
            f"{provider or 'its provider'}: standard / batch tier",
            s.model_copy(update={"provider_tiers": {**s.provider_tiers, provider: "standard"}}),
            s.model_copy(update={"provider_tiers": {**s.provider_tiers, provider: "batch"}}),
        ),
    ]
    if s.verifier_cost > 0:
        knobs.append(
            (
                "verifier cost ±50%",
                s.model_copy(update={"verifier_cost": s.verifier_cost * 0.5}),
                s.model_copy(update={"verifier_cost": s.verifier_cost * 1.5}),
            )
        )
    if s.failure_usd > 0:
        knobs.append(
            (
                "failure cost ±50%",
                s.model_copy(update={"failure_cost": s.failure_cost * 0.5, "hourly_rate": s.hourly_rate * 0.5}),
                s.model_copy(update={"failure_cost": s.failure_cost * 1.5, "hourly_rate": s.hourly_rate * 1.5}),
            )
        )
    return knobs


def tornado(base: WhatIfBase, scenario: Scenario, model: str) -> pd.DataFrame:
    """How far each knob moves one model's (or the cascade's) ranking metric, largest swing first.

    Columns: ``knob``, ``low``, ``high`` (the metric with the knob down / up), ``base`` and
    ``swing`` = |high - low|. Knobs that do not move the model are left out. ``model`` may be
    the cascade's row (``"A → B"``): then its models are evaluated together, task by task.
    """
    members = list(scenario.cascade) if CASCADE_ARROW in model else [model]
    # Models are costed independently, so only the analysed ones are evaluated (20 evaluations stay cheap).
    base = base.subset(members)
    scenario = scenario.model_copy(
        update={
            "cascade": scenario.cascade if len(members) > 1 else [],
            "model_haircuts": {m: h for m, h in scenario.model_haircuts.items() if m in members},
            "model_price_multipliers": {m: f for m, f in scenario.model_price_multipliers.items() if m in members},
        }
    )

    def value(s: Scenario) -> float:
        if len(members) == 1:
            return float(metric(base, s)[0])
        table = evaluate(base, s)
        return float(ranking_metric(table, s).iloc[-1])  # the cascade's row comes last

    current = value(scenario)
    provider = str(base.models.at[0, "provider"])
    records = []
    for name, low, high in _knobs(scenario, members, provider):
        lo, hi = value(low), value(high)
        records.append({"knob": name, "low": lo, "high": hi, "base": current, "swing": abs(hi - lo)})
    out = pd.DataFrame.from_records(records, columns=["knob", "low", "high", "base", "swing"])
    out = out[out["swing"] > 1e-12 * max(abs(current), 1e-12)]
    return out.sort_values("swing", ascending=False, ignore_index=True)


def crossovers(base: WhatIfBase, scenario: Scenario, table: pd.DataFrame, top: int = 3) -> pd.DataFrame:
    """For the winner A and each challenger B: how far prices must move before B is cheaper.

    ``a_output_rise``: rise of A's output price (0.37 = +37%); ``a_price_rise``: rise of all of
    A's prices; ``b_price_fall``: fall of all of B's prices (NaN: cannot happen, e.g. B's
    failure cost alone exceeds A's metric). ``sentence`` says it in words. Closest challengers first.
    """
    a = winner(table, scenario)
    if a is None:
        return pd.DataFrame(columns=["challenger", "a_output_rise", "a_price_rise", "b_price_fall", "sentence"])
    ia = base.index_of(a)
    n = len(base.models)
    current = metric(base, scenario)
    # One evaluation with A's output price doubled and every other model free of charge: A's row
    # gives the output slope, the others their price-independent part. A second doubles all of A.
    adjust = np.zeros((n, N_FACTORS))
    adjust[ia] = 1.0
    adjust[ia, OUTPUT_FACTOR] = 2.0
    probe = metric(base, scenario, adjust)
    doubled = np.ones((n, N_FACTORS))
    doubled[ia] = 2.0
    a_all = metric(base, scenario, doubled)[ia]

    with np.errstate(divide="ignore", invalid="ignore"):
        gap = current - current[ia]
        output_slope = probe[ia] - current[ia]
        a_output_rise = np.where(output_slope > 0, gap / output_slope, np.nan)
        a_price_rise = np.where(a_all > current[ia], gap / (a_all - current[ia]), np.nan)
        b_fixed, b_price = probe, current - probe
        factor = (current[ia] - b_fixed) / b_price
        b_price_fall = np.where((b_price > 0) & (factor > 0), 1 - factor, np.nan)

    others = np.isfinite(current) & (np.arange(n) != ia)
    frame = pd.DataFrame(
        {
            "challenger": base.models["model"].to_numpy(),
            "a_output_rise": a_output_rise,
            "a_price_rise": a_price_rise,
            "b_price_fall": b_price_fall,
            "gap": gap,
        }
    )[others]
    frame = frame.sort_values(["a_price_rise", "gap"], ignore_index=True).head(top)
    what = ranking_name(scenario)
    frame["sentence"] = [
        _sentence(a, *values, what)
        for values in zip(
            frame["challenger"], frame["a_output_rise"], frame["a_price_rise"], frame["b_price_fall"], strict=True
        )
    ]
    out: pd.DataFrame = frame.drop(columns="gap")
    return out


def _pct(x: float) -> str:
    return f"{x:,.0%}"


def _sentence(a: str, b: str, output_rise: float, price_rise: float, b_fall: float, what: str) -> str:
    parts = []
    if np.isfinite(output_rise):
        parts.append(f"{a}'s output price rises more than {_pct(output_rise)}")
    if np.isfinite(price_rise):
        parts.append(f"all of {a}'s prices rise more than {_pct(price_rise)}")
    if np.isfinite(b_fall):
        parts.append(f"{b}'s prices fall more than {b_fall:.0%}")
    if not parts:
        return f"{b} does not become cheaper than {a} ({what}) through price changes alone."
    return f"{b} becomes cheaper than {a} ({what}) when " + ", or when ".join(parts) + "."


def headline(table: pd.DataFrame, scenario: Scenario) -> str:
    """One sentence: the cheapest option under the scenario, its figure, P(solved), the assumption it
    rests on (independent retries...) and the monthly spend."""
    values = ranking_metric(table, scenario).to_numpy(dtype=float)
    if not np.isfinite(values).any():
        return "No model has a finite cost under this scenario."
    best = int(np.nanargmin(np.where(np.isfinite(values), values, np.nan)))
    row = table.iloc[best]
    what = "the cascade " if CASCADE_ARROW in str(row["model"]) else ""
    text = (
        f"Under this scenario {what}{row['model']} is cheapest: "
        f"{money(float(values[best]), scenario.currency)} {ranking_name(scenario)}, "
        f"{solved_share(float(row['p_solved']))} of tasks solved"
    )
    members = table[table["model"].isin(scenario.cascade)] if what else table.iloc[[best]]
    assumed = assumption([str(row["method"]), *members["method"].astype(str)], scenario)
    if assumed:
        text += f" ({assumed})"
    if scenario.tasks_per_month > 0:
        text += (
            f"; {scenario.tasks_per_month:,.0f} tasks a month cost "
            f"{money(row['monthly_total'], scenario.currency)} a month"
        )
    return text + "."
