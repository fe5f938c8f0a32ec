"""Self-hosting an open-weight model against paying an API, per solved task (the primer's formulas).

    hourly cost of a replica   H = gpus x gpu_hourly + other_hourly
    USD per million tokens       = H / (T x 3600 x u) x 1e6
    capacity of a replica        = T x 3600 x u x HOURS_PER_MONTH / tokens_per_attempt x p   (solved tasks/month)
    monthly cost at volume V     = fixed_monthly + ceil(V / capacity) x H x HOURS_PER_MONTH

with T the replica's aggregate throughput (input and output tokens per second at the chosen
batch size), u the utilisation the replicas are planned to run at, and p the model's success
rate. Replicas come whole, so the monthly self-host bill is a step function of the volume; an
API bill is a line, ``V x cost per solved task``. The break-even volume is where they meet.

Worked example (a public TCO calculator's, tools.gera.services/inference-endpoint-cost-calculator):
one GPU at $2/h serving 2,000 tokens/s costs 2 / (2,000 x 3,600) x 1e6 = $0.28 per million
tokens when busy all the time, and five times that, $1.39, at 20% utilisation.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from tokenomics.errors import InputError

HOURS_PER_MONTH = 730.0
"""8,760 hours a year / 12: GPUs are billed around the clock, busy or idle."""

_STRICT = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class Hosting(BaseModel):
    """What running one replica of the model costs and delivers; every field is the user's assumption."""

    model_config = _STRICT
    gpu: str = "GPU"
    """GPU kind, for the labels only (e.g. 'H100 SXM 80GB')."""
    gpus: Annotated[int, Field(ge=1)] = 1
    """GPUs per replica (one copy of the model serving requests)."""
    gpu_hourly: Annotated[float, Field(ge=0)]
    """USD per GPU-hour: on-demand, reserved, or owned hardware amortised (see ``owned_gpu_hourly``)."""
    other_hourly: Annotated[float, Field(ge=0)] = 0.0
    """Other USD per replica-hour (power and hosting if not in the GPU price, the CPU host, network)."""
    throughput: Annotated[float, Field(gt=0)]
    """Aggregate tokens per second of one replica, input and output together, at the chosen batch size."""
    utilisation: Annotated[float, Field(gt=0, le=1)]
    """Share of the paid hours the replicas spend serving at that throughput, in (0, 1]."""
    fixed_monthly: Annotated[float, Field(ge=0)] = 0.0
    """USD per month whatever the volume: staff time, monitoring, storage."""


class Workload(BaseModel):
    """What the model spends and achieves per attempt, measured on the user's tasks."""

    model_config = _STRICT
    tokens_per_attempt: Annotated[float, Field(gt=0)]
    """Input plus output tokens of one attempt (reasoning is part of output)."""
    success_rate: Annotated[float, Field(gt=0, le=1)]
    """Share of attempts that solve their task; 0 leaves no cost per solved task to compute."""


class GpuPreset(BaseModel):
    """One row of ``data/gpu_presets.csv``: a starting point the user edits, never a measurement of their system."""

    model_config = _STRICT
    preset: Annotated[str, Field(min_length=1)]
    gpu: str
    gpus: Annotated[int, Field(ge=1)]
    gpu_memory_gb: Annotated[float, Field(gt=0, le=10_000)] | None = None
    """Memory of one GPU as sold (80 GB on an H100 is 80 GiB); empty where the preset names no GPU."""
    gpu_hourly: Annotated[float, Field(ge=0)]
    other_hourly: Annotated[float, Field(ge=0)]
    throughput: Annotated[float, Field(gt=0)]
    utilisation: Annotated[float, Field(gt=0, le=1)]
    price_source: Annotated[str, Field(min_length=1)]
    price_as_of: Annotated[str, Field(min_length=1)]
    throughput_source: Annotated[str, Field(min_length=1)]
    """A source, or the words 'illustrative placeholder (no source)'."""
    throughput_as_of: str = ""
    note: str = ""
    memory_source: str = ""
    """Where the GPU memory figure comes from (required with one)."""

    @model_validator(mode="after")
    def _memory_has_a_source(self) -> GpuPreset:
        if self.gpu_memory_gb is not None and not self.memory_source:
            raise ValueError("gpu_memory_gb needs memory_source")
        return self


M = TypeVar("M", bound=BaseModel)


def _validated(model: type[M], values: dict[str, Any]) -> M:
    try:
        return model.model_validate(values)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"]) or model.__name__
        found = first.get("input") if first["type"] != "missing" else None
        raise InputError(f"{field}: {first['msg'].lower()}", found=found) from None


def hosting(**values: Any) -> Hosting:
    """A validated ``Hosting``; a bad field raises ``InputError`` naming it.

    >>> hosting(gpu_hourly=2.0, throughput=0.0, utilisation=0.5)
    Traceback (most recent call last):
    ...
    tokenomics.errors.InputError: throughput: input should be greater than 0 (found 0.0)
    """
    return _validated(Hosting, values)


def workload(**values: Any) -> Workload:
    """A validated ``Workload``; a bad field raises ``InputError`` naming it."""
    return _validated(Workload, values)


def owned_gpu_hourly(purchase_usd: float, months: float, watts: float, usd_per_kwh: float) -> float:
    """USD per hour of an owned GPU: its price spread over its service life, plus its power.

    A $25,000 GPU written off over 36 months and drawing 700 W at $0.15/kWh:
    25,000 / (36 x 730) + 0.7 x 0.15 = 0.951 + 0.105 = $1.06 per hour.

    >>> round(owned_gpu_hourly(25_000, 36, 700, 0.15), 3)
    1.056
    """
    return purchase_usd / (months * HOURS_PER_MONTH) + watts / 1000 * usd_per_kwh


def usd_per_mtok(
    hourly: np.ndarray | float, throughput: np.ndarray | float, utilisation: np.ndarray | float
) -> np.ndarray:
    """USD per million tokens: ``H / (T x 3600 x u) x 1e6``, broadcast over arrays.

    >>> usd_per_mtok(2.0, 2_000, np.array([1.0, 0.2])).round(2).tolist()
    [0.28, 1.39]
    """
    price: np.ndarray = (
        np.asarray(hourly, dtype=float) / (np.asarray(throughput) * 3600 * np.asarray(utilisation)) * 1e6
    )
    return price


def replicas_needed(volume: np.ndarray | float, capacity: float) -> np.ndarray:
    """Whole replicas to serve ``volume`` solved tasks a month: ``ceil(V / capacity)``.

    >>> replicas_needed(np.array([0, 1, 1000, 1001]), 1000.0).tolist()
    [0, 1, 1, 2]
    """
    v = np.asarray(volume, dtype=float)
    # Any work at all needs a replica, even where the quotient underflows to 0.
    return np.where(v > 0, np.maximum(1.0, np.ceil(v / capacity)), 0.0).astype(np.int64)


def monthly_cost(
    volume: np.ndarray | float, capacity: float, replica_monthly: float, fixed_monthly: float
) -> np.ndarray:
    """Self-host USD per month at ``volume`` solved tasks: fixed costs plus whole replicas.

    >>> monthly_cost(np.array([0, 500, 1000, 1500]), 1000.0, 1460.0, 500.0).tolist()
    [500.0, 1960.0, 1960.0, 3420.0]
    """
    return fixed_monthly + replicas_needed(volume, capacity) * replica_monthly


def break_even(
    api_cps: np.ndarray, capacity: float, replica_monthly: float, fixed_monthly: float
) -> tuple[np.ndarray, np.ndarray]:
    """Monthly solved tasks at which self-hosting first costs no more than an API, and from which it
    never costs more again; ``inf`` where it never does, NaN where the API's cost is not finite.

    With R = one replica's monthly cost, F the fixed costs and c the API's cost per solved task,
    the k-th replica's step wins somewhere iff ``k (c x capacity - R) >= F``: the first such
    k is ``k1 = max(1, ceil(F / (c x capacity - R)))`` and the step wins from ``(F + k1 R) / c``.
    A step wins all through iff ``F + k R <= c (k - 1) capacity``; just past a step's end
    the next replica can make self-hosting dearer again for a while (a sawtooth), so the
    volume from which it stays cheaper can lie above the first break-even.

    API at $0.50 per solved task, replicas of 1,000 solved tasks a month at $300, fixed $600:
    k1 = ceil(600 / 200) = 3, first break-even (600 + 900) / 0.5 = 3,000 tasks. Past 4,000 the
    5th replica costs $2,100 against the API's $2,000 until (600 + 1,500) / 0.5 = 4,200 tasks;
    from the 6th step on (600 + 300 k <= 500 (k - 1) for k >= 5.5) self-hosting stays cheaper.

    >>> first, always = break_even(np.array([0.5, 0.25, np.inf]), 1000.0, 300.0, 600.0)
    >>> first.tolist(), always.tolist()
    ([3000.0, inf, nan], [4200.0, inf, nan])
    """
    c = np.asarray(api_cps, dtype=float)
    comparable = np.isfinite(c) & (c > 0)
    c = np.where(comparable, c, 1.0)
    margin = c * capacity - replica_monthly
    wins = comparable & (margin > 0)
    margin = np.where(wins, margin, 1.0)
    first_step = np.maximum(1.0, np.ceil(fixed_monthly / margin))
    # Every step from this one on is cheaper all through; the one before may win in its upper part.
    all_through = np.ceil((fixed_monthly + c * capacity) / margin)
    last_loser = np.maximum(first_step, all_through - 1)
    first = (fixed_monthly + first_step * replica_monthly) / c
    always = (fixed_monthly + last_loser * replica_monthly) / c
    never = np.where(comparable, np.inf, np.nan)
    return np.where(wins, first, never), np.where(wins, always, never)


@dataclass(frozen=True)
class SelfHostPlan:
    """One open-weight model served on one replica design, priced per solved task."""

    hosting: Hosting
    workload: Workload

    @property
    def hourly_cost(self) -> float:
        """USD per replica-hour, busy or idle."""
        return self.hosting.gpus * self.hosting.gpu_hourly + self.hosting.other_hourly

    @property
    def replica_monthly(self) -> float:
        return self.hourly_cost * HOURS_PER_MONTH

    @property
    def usd_per_mtok(self) -> float:
        return float(usd_per_mtok(self.hourly_cost, self.hosting.throughput, self.hosting.utilisation))

    @property
    def cost_per_attempt(self) -> float:
        """GPU cost of one attempt with the replicas busy at the planned utilisation."""
        return self.workload.tokens_per_attempt * self.usd_per_mtok / 1e6

    @property
    def busy_cost_per_success(self) -> float:
        """GPU cost per solved task at the planned utilisation, before fixed costs and rounding up replicas."""
        return self.cost_per_attempt / self.workload.success_rate

    @property
    def capacity(self) -> float:
        """Solved tasks a month one replica delivers at the planned utilisation."""
        tokens = self.hosting.throughput * 3600 * self.hosting.utilisation * HOURS_PER_MONTH
        return tokens / self.workload.tokens_per_attempt * self.workload.success_rate

    def replicas(self, volume: np.ndarray | float) -> np.ndarray:
        return replicas_needed(volume, self.capacity)

    def monthly_cost(self, volume: np.ndarray | float) -> np.ndarray:
        return monthly_cost(volume, self.capacity, self.replica_monthly, self.hosting.fixed_monthly)

    def cost_per_success(self, volume: np.ndarray | float) -> np.ndarray:
        """All-in USD per solved task at ``volume`` a month: fixed costs and idle replica time included."""
        v = np.asarray(volume, dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(v > 0, self.monthly_cost(v) / v, np.inf)

    def break_even(self, api_cps: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(first, always) break-even volumes against APIs with these costs per solved task."""
        return break_even(api_cps, self.capacity, self.replica_monthly, self.hosting.fixed_monthly)


TOKENS_PER_ATTEMPT = ("input_tokens_per_attempt", "output_tokens_per_attempt")
"""Summary columns whose sum is what a replica processes per attempt (cached input is still prefilled)."""


def tokens_per_attempt(summary: pd.DataFrame) -> pd.Series:
    """Input plus output tokens per attempt of each model; NaN where neither was reported."""
    parts = summary.reindex(columns=list(TOKENS_PER_ATTEMPT))
    return parts.sum(axis=1, min_count=1)


def workload_of(summary: pd.DataFrame, model: str) -> Workload:
    """The measured workload of ``model`` (a label of a comparison summary)."""
    rows = summary[summary["model"] == model]
    if rows.empty:
        raise InputError(
            f"model {model!r} is not in the measurements",
            expected="one of: " + ", ".join(sorted(summary["model"])[:20]),
        )
    tokens = float(tokens_per_attempt(rows).iloc[0])
    if not np.isfinite(tokens):
        raise InputError(
            f"model {model!r} has no token counts: its cost on your own GPUs cannot be estimated",
            expected="measurements with input_tokens and output_tokens",
        )
    if rows["successes"].iloc[0] == 0:
        raise InputError(f"model {model!r} never succeeded: it has no cost per solved task to compare")
    return workload(tokens_per_attempt=tokens, success_rate=float(rows["success_rate"].iloc[0]))


OPTION_COLUMNS = [
    "option",
    "kind",
    "success_rate",
    "usd_per_mtok",
    "cost_per_attempt",
    "cost_per_success",
    "replicas",
    "monthly_cost",
    "break_even_tasks_per_month",
    "cheaper_from_tasks_per_month",
    "price_source",
]


def options_table(plan: SelfHostPlan, label: str, apis: pd.DataFrame, volume: float) -> pd.DataFrame:
    """Self-hosting ``label`` and each API option side by side at ``volume`` solved tasks a month.

    ``apis`` holds comparison-summary rows (``model``, ``success_rate``, ``cost_per_attempt``,
    ``cost_per_success``, tokens per attempt, ``price_source``). An API's ``usd_per_mtok`` is
    its bill per million tokens of its own mix. ``break_even_tasks_per_month`` is the volume at
    which self-hosting first costs no more than that option, ``cheaper_from_tasks_per_month``
    the volume from which it never costs more (``inf``: never).
    """
    first, always = plan.break_even(apis["cost_per_success"].to_numpy(dtype=float))
    with np.errstate(divide="ignore", invalid="ignore"):
        api_mtok = apis["cost_per_attempt"].to_numpy(dtype=float) / tokens_per_attempt(apis).to_numpy() * 1e6
    own = {
        "option": f"self-host {label} ({plan.hosting.gpus} x {plan.hosting.gpu} per replica)",
        "kind": "self-host",
        "success_rate": plan.workload.success_rate,
        "usd_per_mtok": plan.usd_per_mtok,
        "cost_per_attempt": plan.cost_per_attempt,
        "cost_per_success": float(plan.cost_per_success(volume)),
        "replicas": int(plan.replicas(volume)),
        "monthly_cost": float(plan.monthly_cost(volume)),
        "break_even_tasks_per_month": np.nan,
        "cheaper_from_tasks_per_month": np.nan,
        "price_source": "your assumptions",
    }
    api_rows = pd.DataFrame(
        {
            "option": apis["model"].to_numpy(),
            "kind": "API",
            "success_rate": apis["success_rate"].to_numpy(dtype=float),
            "usd_per_mtok": api_mtok,
            "cost_per_attempt": apis["cost_per_attempt"].to_numpy(dtype=float),
            "cost_per_success": apis["cost_per_success"].to_numpy(dtype=float),
            "replicas": pd.NA,
            "monthly_cost": apis["cost_per_success"].to_numpy(dtype=float) * volume,
            "break_even_tasks_per_month": first,
            "cheaper_from_tasks_per_month": always,
            "price_source": apis["price_source"].to_numpy(),
        }
    )
    table = pd.concat([pd.DataFrame([own]), api_rows], ignore_index=True)
    table["replicas"] = table["replicas"].astype("Int64")
    return table[OPTION_COLUMNS]


def _tasks(volume: float) -> str:
    return f"{volume:,.0f} solved tasks a month"


def verdict(label: str, option: str, first: float, always: float) -> str:
    """The break-even against one API option in words.

    >>> print(verdict("DeepSeek", "gpt-5", 3000.0, 4200.0))  # doctest: +NORMALIZE_WHITESPACE
    Self-hosting DeepSeek costs no more than gpt-5 from 3,000 solved tasks a month, and less at every
    volume above 4,200 solved tasks a month (in between, adding a replica makes it dearer for a while).
    >>> print(verdict("DeepSeek", "DeepSeek API", float("inf"), float("inf")))  # doctest: +NORMALIZE_WHITESPACE
    Self-hosting DeepSeek never beats DeepSeek API: even a replica busy at the planned utilisation
    costs more than the API for the tasks it solves.
    """
    if np.isnan(first):
        return f"{option} has no finite cost per solved task: no break-even to compute."
    if np.isinf(first):
        return (
            f"Self-hosting {label} never beats {option}: even a replica busy at the planned utilisation "
            "costs more than the API for the tasks it solves."
        )
    text = f"Self-hosting {label} costs no more than {option} from {_tasks(first)}"
    if always > first:
        return (
            text + f", and less at every volume above {_tasks(always)} "
            "(in between, adding a replica makes it dearer for a while)."
        )
    return text + ", and at every volume above it."
