"""Apply a scenario to a priced comparison: cost per solved task under the user's what-ifs.

The expensive work (pricing every row with ``costing.price_rows`` and summing by model and by
task) happens once in ``prepare``; ``evaluate`` then only scales small (models x kinds) and
(models x tasks) arrays, so a knob change costs milliseconds. Costs are linear in every price,
so a scenario scales the cost components the engine already split out:

    cost of an attempt  c = sum_k component_k x price factor_k x token factor_k
    success rate        p = S / N x (1 - h)                      (fresh-data haircut)
    retries (k tries)   P_solved = 1 - (1 - p)^k,  E[A] = P_solved / p
    cost per task       E[A] x (c + verifier cost);  cost per solved task = cost per task / P_solved
    with failures       cost per task + (1 - P_solved) x F

With per-task samples the retry curve comes from the tasks themselves (pass@k, Chen et al.
2021) instead of one aggregate p, and a cascade of models is computed task by task.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from tokenomics.compare import pareto_frontier
from tokenomics.costing import PRICED, price_rows
from tokenomics.errors import InputError
from tokenomics.scenario import KIND_COMPONENTS, Scenario
from tokenomics.timing import seconds_per_success
from tokenomics.units import COST_COMPONENTS

# Factor columns: the six cost components, then the unsplit (observed) cost a run reported as a total.
UNSPLIT = len(COST_COMPONENTS)
N_FACTORS = UNSPLIT + 1
OUTPUT_FACTOR = COST_COMPONENTS.index("cost_output")
REASONING_FACTOR = COST_COMPONENTS.index("cost_reasoning")
CASCADE_ARROW = " → "

SCENARIO_COLUMNS = [
    "model",
    "provider",
    "attempts",
    "successes",
    "success_rate",
    "haircut",
    "p_fresh",
    "max_attempts",
    "p_solved",
    "expected_attempts",
    "cost_per_attempt",
    "cost_per_task",
    "cost_per_success",
    "p_solved_no_gain",
    "p_solved_if_independent",
    "cost_per_success_no_gain",
    "cost_per_success_if_independent",
    "failure_cost",
    "cost_per_task_with_failures",
    "seconds_per_attempt",
    "seconds_per_success",
    "tasks_per_month",
    "monthly_spend",
    "monthly_failure_cost",
    "monthly_total",
    "monthly_solved",
    "price_factor",
    "service_tier",
    "currency",
    "method",
    "rank",
    "on_frontier",
    "price_source",
]
MONEY_COLUMNS = [
    "cost_per_attempt",
    "cost_per_task",
    "cost_per_success",
    "cost_per_success_no_gain",
    "cost_per_success_if_independent",
    "failure_cost",
    "cost_per_task_with_failures",
    "monthly_spend",
    "monthly_failure_cost",
    "monthly_total",
]


@dataclass(frozen=True)
class WhatIfBase:
    """Per-model and per-task cost components of a comparison, ready for any scenario."""

    models: pd.DataFrame
    """One row per label, in the summary's order: model, provider, model_id, attempts, successes, price_source."""
    cost: np.ndarray
    """(models, N_FACTORS) total USD by component, the last column the unsplit observed cost; NaN rows: unpriced."""
    task_ids: np.ndarray
    """(tasks,) every task id seen."""
    task_cost: np.ndarray
    """(models, tasks, N_FACTORS) USD by component per task."""
    task_attempts: np.ndarray
    """(models, tasks) attempts; 0 where the model did not attempt the task."""
    task_successes: np.ndarray
    """(models, tasks) successes."""
    per_task: np.ndarray
    """(models,) True where every row of the model has a task id."""

    def index_of(self, label: str) -> int:
        return int(np.flatnonzero(self.models["model"].to_numpy() == label)[0])

    def subset(self, labels: list[str]) -> WhatIfBase:
        """The same data for a few models (a tornado needs only the winner)."""
        rows = np.array([self.index_of(label) for label in labels], dtype=int)
        return WhatIfBase(
            self.models.iloc[rows].reset_index(drop=True),
            self.cost[rows],
            self.task_ids,
            self.task_cost[rows],
            self.task_attempts[rows],
            self.task_successes[rows],
            self.per_task[rows],
        )


def _components(rows: pd.DataFrame, table: pd.DataFrame) -> pd.DataFrame:
    """Each row's cost split into the components and the unsplit rest, by the one cost engine."""
    costed = price_rows(rows, table)
    split = costed[list(COST_COMPONENTS)].fillna(0.0)
    split["cost_unsplit"] = np.where(costed["cost_basis"] == PRICED, 0.0, costed["cost"])
    return split


def prepare(summary: pd.DataFrame, rows: pd.DataFrame, table: pd.DataFrame) -> WhatIfBase:
    """Sum the priced rows by model and by (model, task): done once per data set, not per knob."""
    parts = _components(rows, table)
    labels = summary["model"].astype(str).to_numpy()
    code = pd.Categorical(rows["label"].astype(str), categories=labels).codes
    n_models = len(labels)
    values = parts.to_numpy(dtype=float)
    # A model's cost is unknown as soon as one of its rows is (summarise's rule): NaN sums stay NaN.
    cost = np.zeros((n_models, N_FACTORS))
    np.add.at(cost, code, values)

    has_task = rows["task_id"].notna().to_numpy() if "task_id" in rows.columns else np.zeros(len(rows), dtype=bool)
    per_task = np.bincount(code[~has_task], minlength=n_models) == 0
    per_task &= np.bincount(code[has_task], minlength=n_models) > 0
    if has_task.any():
        task_codes, task_ids = pd.factorize(rows["task_id"].where(has_task))
    else:
        task_codes, task_ids = np.full(len(rows), -1, dtype=np.intp), pd.Index([])
    n_tasks = len(task_ids)
    task_cost = np.zeros((n_models, n_tasks, N_FACTORS))
    task_attempts = np.zeros((n_models, n_tasks))
    task_successes = np.zeros((n_models, n_tasks))
    if n_tasks:
        keep = has_task
        m, t = code[keep], task_codes[keep]
        np.add.at(task_cost, (m, t), values[keep])
        np.add.at(task_attempts, (m, t), rows["attempts"].to_numpy(dtype=float)[keep])
        np.add.at(task_successes, (m, t), rows["successes"].to_numpy(dtype=float)[keep])

    models = summary[["model", "provider", "model_id", "attempts", "successes", "price_source"]].copy()
    models["total_cost"] = summary["total_cost"].to_numpy()
    # Measured wall time per attempt, where the runs have latency_s (see tokenomics.timing).
    models["seconds_per_attempt"] = (
        summary["seconds_per_attempt"].to_numpy(dtype=float) if "seconds_per_attempt" in summary else np.nan
    )
    cost[models["total_cost"].isna().to_numpy()] = np.nan
    return WhatIfBase(
        models.reset_index(drop=True), cost, np.asarray(task_ids), task_cost, task_attempts, task_successes, per_task
    )


def _per_model(keys: np.ndarray, values: dict[str, float], default: float) -> np.ndarray:
    """``values[key]`` for each model's key, ``default`` where absent.

    Loops over the scenario's few entries (or the few distinct keys), never over the models.
    """
    out = np.full(len(keys), default, dtype=float)
    for key, value in values.items():
        out[keys == key] = value
    return out


def price_factors(base: WhatIfBase, scenario: Scenario) -> np.ndarray:
    """(models, N_FACTORS) factor on each cost component: price multipliers x tier x token multipliers.

    The unsplit (observed) cost has no token split, so only whole-bill factors reach it.
    """
    provider = base.models["provider"].to_numpy(dtype=str)
    label = base.models["model"].to_numpy(dtype=str)
    tiers = {p: scenario.tier_factor(p) for p in np.unique(provider)}
    whole = (
        scenario.price_multiplier
        * _per_model(provider, scenario.provider_price_multipliers, 1.0)
        * _per_model(label, scenario.model_price_multipliers, 1.0)
        * _per_model(provider, tiers, 1.0)
    )
    kind = np.ones(N_FACTORS)
    for name, component in KIND_COMPONENTS.items():
        i = COST_COMPONENTS.index(component)
        kind[i] = scenario.kind_price_multipliers.get(name, 1.0) * scenario.token_multipliers.get(name, 1.0)
    factors: np.ndarray = whole[:, None] * kind[None, :]
    return factors


def haircuts(base: WhatIfBase, scenario: Scenario) -> np.ndarray:
    """(models,) haircut per model: its own where set, else the scenario's global one."""
    return _per_model(base.models["model"].to_numpy(dtype=str), scenario.model_haircuts, scenario.haircut)


def fail_curve(attempts: np.ndarray, successes: np.ndarray, haircut: np.ndarray, k: int) -> np.ndarray:
    """``q[..., j]`` = probability that the first j tries on a task all fail, for j = 0..k.

    Without a haircut, draws without replacement from the task's own n samples with s successes
    (the pass@k estimator of Chen et al. 2021: ``P_solved(k) = 1 - C(n-s, k) / C(n, k)``); past
    ``n`` tries the samples say nothing more, so the curve stays where it is. With a haircut h
    the task's rate is shrunk, ``p_t (1 - h)``, and tries are independent.

    Worked example: 3 samples, 1 success: ``q = [1, 2/3, 2/3 x 1/2, 0]``, so pass@2 = 2/3.

    >>> fail_curve(np.array([3.0]), np.array([1.0]), np.array([0.0]), 3).round(4).tolist()
    [[1.0, 0.6667, 0.3333, 0.0]]
    >>> fail_curve(np.array([4.0]), np.array([2.0]), np.array([0.5]), 2).tolist()
    [[1.0, 0.75, 0.5625]]
    """
    n = np.asarray(attempts, dtype=float)
    s = np.asarray(successes, dtype=float)
    h = np.broadcast_to(np.asarray(haircut, dtype=float), n.shape)
    q = np.ones((*n.shape, k + 1))
    with np.errstate(divide="ignore", invalid="ignore"):
        fresh = np.where(n > 0, 1 - s / n * (1 - h), 1.0)
        for j in range(k):
            drawn = np.where(j < n, np.clip(n - s - j, 0, None) / (n - j), 1.0)
            q[..., j + 1] = q[..., j] * np.where(h > 0, fresh, drawn)
    return q


def _retry_stats(q: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """P(solved within k) and expected tries from a fail curve: ``1 - q_k`` and ``sum_{j<k} q_j``."""
    return 1 - q[..., k], q[..., :k].sum(axis=-1)


def samples_per_task(base: WhatIfBase) -> np.ndarray:
    """(models,) the fewest samples any attempted task of a model has; 1 for aggregated runs.

    >>> base = WhatIfBase(pd.DataFrame(), np.zeros((2, 1)), np.array(["a", "b"]), np.zeros((2, 2, 1)),
    ...     np.array([[5, 3], [0, 0]]), np.zeros((2, 2)), np.array([True, False]))
    >>> samples_per_task(base).tolist()
    [3, 1]
    """
    attempts = np.where(base.task_attempts > 0, base.task_attempts, np.inf)
    fewest = attempts.min(axis=1) if attempts.shape[1] else np.full(len(attempts), np.inf)
    return np.where(base.per_task & np.isfinite(fewest), fewest, 1).astype(int)


def no_gain(p: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The pessimistic bound for retries: a task is always solved or never (no gain from retrying).

    ``P_solved = p``; ``E[A] = p + (1 - p) k`` (a hopeless task is tried k times).
    Worked example: p = 0.5, k = 3: P_solved = 0.5, E[A] = 2.

    >>> [a.tolist() for a in no_gain(np.array([0.5]), 3)]
    [[0.5], [2.0]]
    """
    p = np.asarray(p, dtype=float)
    return p, p + (1 - p) * k


def retries(p: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Independent tries with success rate p, at most k, stop at the first success.

    ``P_solved = 1 - (1-p)^k``, ``E[A] = (1 - (1-p)^k) / p`` (k when p = 0).
    Worked example: p = 0.5, k = 2: P_solved = 0.75, E[A] = 1.5.

    >>> [a.tolist() for a in retries(np.array([0.5, 0.0]), 2)]
    [[0.75, 0.0], [1.5, 2.0]]
    """
    p = np.asarray(p, dtype=float)
    solved = 1 - (1 - p) ** k
    with np.errstate(divide="ignore", invalid="ignore"):
        tries = np.where(p > 0, solved / p, float(k))
    return solved, tries


@dataclass(frozen=True)
class _Singles:
    """Each model on its own under a scenario (arrays over models, USD)."""

    factors: np.ndarray
    haircut: np.ndarray
    cost_per_attempt: np.ndarray
    p_fresh: np.ndarray
    p_solved: np.ndarray
    expected_attempts: np.ndarray
    cost_per_task: np.ndarray
    sampled: np.ndarray
    tasks: np.ndarray


def _singles(base: WhatIfBase, scenario: Scenario, adjust: np.ndarray | None) -> _Singles:
    factors = price_factors(base, scenario)
    if adjust is not None:
        factors = factors * adjust
    h = haircuts(base, scenario)
    k = scenario.max_attempts
    attempts = base.models["attempts"].to_numpy(dtype=float)
    successes = base.models["successes"].to_numpy(dtype=float)
    c = (base.cost * factors).sum(axis=1) / attempts
    p = successes / attempts * (1 - h)
    solved, tries = retries(p, k)
    cost_per_task = tries * (c + scenario.verifier_cost)
    n_seen = np.zeros(len(p))
    # Per-task samples: the retry curve of each task, then the mean over the model's tasks, each
    # weighted by its number of samples, so that k = 1 gives back the measured (pooled) figures.
    sampled = base.per_task & (k > 1)
    if sampled.any():
        task_c, q, _ = _task_arrays(base, factors, h, k, sampled)
        t_solved, t_tries = _retry_stats(q, k)
        weight = base.task_attempts[sampled]
        total = weight.sum(axis=1)
        n_seen[sampled] = (weight > 0).sum(axis=1)
        solved[sampled] = (t_solved * weight).sum(axis=1) / total
        tries[sampled] = (t_tries * weight).sum(axis=1) / total
        cost_per_task[sampled] = (t_tries * (task_c + scenario.verifier_cost) * weight).sum(axis=1) / total
    return _Singles(factors, h, c, p, solved, tries, cost_per_task, sampled, n_seen)


def metric(base: WhatIfBase, scenario: Scenario, adjust: np.ndarray | None = None) -> np.ndarray:
    """The ranking metric of every single model (no cascade row), in the scenario's currency.

    The lean path for tornado and crossovers: the same numbers as ``evaluate`` without the table.
    """
    one = _singles(base, scenario, adjust)
    f = scenario.failure_usd
    with np.errstate(divide="ignore", invalid="ignore"):
        if f > 0:
            value = one.cost_per_task + (1 - one.p_solved) * f
        else:
            value = np.where(
                one.p_solved > 0,
                one.cost_per_task / one.p_solved,
                np.where(np.isnan(one.cost_per_task), np.nan, np.inf),
            )
    return value * scenario.rate


def evaluate(base: WhatIfBase, scenario: Scenario, adjust: np.ndarray | None = None) -> pd.DataFrame:
    """One row per model (and one for the cascade, if any) under the scenario.

    ``adjust`` is an extra (models, N_FACTORS) price factor (used to find crossovers).
    Money columns are in the scenario's currency; ``method`` says how retries/cascade were computed.
    """
    check_labels(base, scenario)
    one = _singles(base, scenario, adjust)
    k = scenario.max_attempts
    method = np.full(len(one.p_fresh), "one attempt per task" if k == 1 else "independence formula (aggregate p)")
    method = method.astype(object)
    if one.sampled.any():
        tasks = pd.Series(one.tasks[one.sampled].astype(int).astype(str))
        method[one.sampled] = np.where(
            one.haircut[one.sampled] > 0,
            "per-task rates over " + tasks + " tasks, haircut, independent tries",
            "pass@k from per-task samples (" + tasks + " tasks)",
        )
    # Retries beyond what the data can say: k above the samples per task (1 for aggregated runs). Two
    # figures under two assumptions instead of one: no gain from retrying past the samples (per task), and
    # independent tries at the model's aggregate rate (optimistic for aggregated runs; with per-task samples
    # it can come out lower, when every task was solved at least once).
    samples = samples_per_task(base)
    beyond = (k > samples) & (k > 1)
    exact = one.sampled & (one.haircut == 0)
    method[beyond & exact] = [
        f"k = {k} exceeds the {n} samples per task: pass@k from the samples up to {n}, then no gain from "
        "retrying; if tries were independent at the aggregate rate: p_solved_if_independent"
        for n in samples[beyond & exact]
    ]
    method[beyond & ~one.sampled] = (
        "independence formula (aggregate p): the optimistic bound, one sample per task; "
        "no gain from retrying: p_solved_no_gain"
    )
    bound = {}
    for name, (solved, tries) in (("no_gain", no_gain(one.p_fresh, k)), ("if_independent", retries(one.p_fresh, k))):
        if name == "no_gain":
            solved = np.where(exact, one.p_solved, solved)
            tries = np.where(exact, one.expected_attempts, tries)
        cost = tries * (one.cost_per_attempt + scenario.verifier_cost)
        with np.errstate(divide="ignore", invalid="ignore"):
            cps = np.where(solved > 0, cost / solved, np.where(np.isnan(cost), np.nan, np.inf))
        bound[f"p_solved_{name}"] = np.where(beyond, solved, np.nan)
        bound[f"cost_per_success_{name}"] = np.where(beyond, cps, np.nan)
    attempts = base.models["attempts"].to_numpy()
    successes = base.models["successes"].to_numpy()
    out = pd.DataFrame(
        {
            "model": base.models["model"].to_numpy(),
            "provider": base.models["provider"].to_numpy(),
            "attempts": attempts,
            "successes": successes,
            "success_rate": successes / attempts,
            "haircut": one.haircut,
            "p_fresh": one.p_fresh,
            "p_solved": one.p_solved,
            "expected_attempts": one.expected_attempts,
            "cost_per_attempt": one.cost_per_attempt,
            "cost_per_task": one.cost_per_task,
            "seconds_per_attempt": base.models.get("seconds_per_attempt", np.nan),
            "price_factor": one.factors[:, UNSPLIT],
            "service_tier": base.models["provider"]
            .map(scenario.provider_tiers)
            .astype(object)
            .fillna(scenario.service_tier)
            .to_numpy(),
            "method": method,
            "price_source": base.models["price_source"].to_numpy(),
            **bound,
        }
    )
    if scenario.cascade:
        cascade = _cascade_row(base, scenario, one)
        out = pd.concat([out, cascade], ignore_index=True)
    return _finish(out, scenario)


def check_labels(base: WhatIfBase, scenario: Scenario, file: str | None = None) -> None:
    """Every model a scenario names must be in the comparison: a typo must not pass silently."""
    known = set(base.models["model"])
    for key in ("cascade", "model_price_multipliers", "model_haircuts"):
        missing = [m for m in getattr(scenario, key) if m not in known]
        if missing:
            raise InputError(
                "names a model that is not in the comparison",
                file=file,
                column=key,
                found=missing[0],
                expected="one of: " + ", ".join(sorted(known)[:10]) + (" ..." if len(known) > 10 else ""),
            )


def _task_arrays(
    base: WhatIfBase, factors: np.ndarray, h: np.ndarray, k: int, rows: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per-task cost of one try, fail curve and attempted-mask for the selected models."""
    n = base.task_attempts[rows]
    seen = n > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        task_c = np.where(seen, (base.task_cost[rows] * factors[rows][:, None, :]).sum(axis=2) / n, 0.0)
    q = fail_curve(n, base.task_successes[rows], h[rows][:, None], k)
    return task_c, q, seen


def _cascade_row(base: WhatIfBase, scenario: Scenario, one: _Singles) -> pd.DataFrame:
    """Try A (up to k times), on a verified failure B, then C...: exact per task where possible.

    Exact when every model of the cascade has per-task data on the same task set: per task,
    ``P_solved = 1 - prod_s fail_s`` and cost ``sum_s (prod_{s'<s} fail_s') E[A_s] (c_s + v)``,
    so tasks hard for A and B alike are not counted as independent chances. Otherwise the same
    sums with each model's own retry figures as shown in its row (pass@k where it has samples),
    which assumes the models fail independently of each other.
    """
    factors, h = one.factors, one.haircut
    idx = np.array([base.index_of(label) for label in scenario.cascade])
    k, v = scenario.max_attempts, scenario.verifier_cost
    seen = base.task_attempts[idx] > 0
    exact = bool(base.per_task[idx].all()) and seen.size > 0 and bool((seen == seen[:1]).all()) and seen[0].any()
    if exact:
        task_c, q, _ = _task_arrays(base, factors, h, k, idx)
        fail, tries = q[..., k], q[..., :k].sum(axis=-1)
        cost_s = tries * (task_c + v)
        # Tasks weighted as for model A alone (by A's samples), so the two rows compare like with like.
        weight = base.task_attempts[idx[0]]
        method = f"cascade, exact from {int(seen[0].sum())} shared tasks"
    else:
        # Each model's own row (so a cascade can never look worse than its first model alone).
        fail, tries = (1 - one.p_solved[idx])[:, None], one.expected_attempts[idx][:, None]
        cost_s = one.cost_per_task[idx][:, None]
        weight = np.ones(1)
        method = "cascade, formula (models assumed to fail independently)"
    reach = np.cumprod(np.vstack([np.ones_like(fail[:1]), fail[:-1]]), axis=0)
    solved = float(np.average(1 - fail.prod(axis=0), weights=weight))
    cost = float(np.average((reach * cost_s).sum(axis=0), weights=weight))
    first = base.models.iloc[idx[0]]
    return pd.DataFrame(
        {
            "model": [CASCADE_ARROW.join(scenario.cascade)],
            "provider": [" / ".join(base.models["provider"].iloc[idx].astype(str))],
            "attempts": [first["attempts"]],
            "successes": [first["successes"]],
            "success_rate": [np.nan],
            "haircut": [np.nan],
            "p_fresh": [np.nan],
            "p_solved": [solved],
            "expected_attempts": [float(np.average((reach * tries).sum(axis=0), weights=weight))],
            "cost_per_attempt": [np.nan],
            "cost_per_task": [cost],
            "seconds_per_attempt": [np.nan],
            "price_factor": [np.nan],
            "service_tier": [""],
            "method": [method],
            "price_source": ["; ".join(base.models["price_source"].iloc[idx].astype(str))],
        }
    )


def _finish(out: pd.DataFrame, scenario: Scenario) -> pd.DataFrame:
    """Cost per success, failures, monthly figures, currency, rank and frontier."""
    f = scenario.failure_usd
    solved = out["p_solved"].to_numpy(dtype=float)
    cost = out["cost_per_task"].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["cost_per_success"] = np.where(solved > 0, cost / solved, np.where(np.isnan(cost), np.nan, np.inf))
    out["failure_cost"] = f
    out["cost_per_task_with_failures"] = cost + (1 - solved) * f
    # Waiting per solved task with retries (primer): time per attempt x E[A] / P_solved.
    out["seconds_per_success"] = seconds_per_success(
        out["seconds_per_attempt"].to_numpy(dtype=float) * out["expected_attempts"].to_numpy(dtype=float), solved
    )
    out["max_attempts"] = scenario.max_attempts
    volume = scenario.tasks_per_month
    out["tasks_per_month"] = volume
    out["monthly_spend"] = volume * cost
    out["monthly_failure_cost"] = volume * (1 - solved) * f
    out["monthly_total"] = out["monthly_spend"] + out["monthly_failure_cost"]
    out["monthly_solved"] = volume * solved
    out[MONEY_COLUMNS] = out[MONEY_COLUMNS] * scenario.rate
    out["currency"] = scenario.currency
    metric = ranking_metric(out, scenario)
    out["rank"] = metric.rank(method="min", na_option="keep").astype("Int64")
    out["on_frontier"] = pareto_frontier(solved, out["cost_per_success"].to_numpy(dtype=float))
    return out[SCENARIO_COLUMNS]


def ranking_metric(table: pd.DataFrame, scenario: Scenario) -> pd.Series:
    """What models are ranked by: cost per solved task, or with a failure cost, cost per task including it."""
    return table["cost_per_task_with_failures" if scenario.failure_usd > 0 else "cost_per_success"]


def ranking_name(scenario: Scenario) -> str:
    return "cost per task incl. failure cost" if scenario.failure_usd > 0 else "cost per solved task"
