"""The what-if scenario: the knobs a buyer turns, validated where a scenario file or URL enters.

A scenario transforms measured inputs before the cost-per-success computation
(``tokenomics.scenario_apply``). Every field has a neutral default, so ``Scenario()`` reproduces
the measured comparison. Money entered in a scenario (verifier cost, failure cost, hourly rate)
is in USD; ``currency`` only converts what is shown.

Every knob is bounded (``MAX_MULTIPLIER``, ``MAX_USD``...): a scenario can make a figure large,
never infinite or hundreds of digits long. Reading the JSON (size, duplicate keys, non-finite
numbers) is ``inputs.scenario_file``'s job; validation of what it decoded happens here.

>>> Scenario.model_validate({"price_multiplier": 1.3, "max_attempts": 2}).max_attempts
2
>>> try:
...     scenario_from_data({"max_attempts": 0}, "s.json")
... except InputError as exc:
...     print(exc.column, "|", exc.message, "|", exc.found)
max_attempts | input should be greater than or equal to 1 | 0
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from tokenomics.errors import InputError

MAX_MULTIPLIER = 100.0
"""Largest multiplier or tier factor: a price 100x today's is already no longer a what-if."""
MAX_USD = 1e6
"""Largest money amount per attempt or per task (verifier, failure cost, hourly rate)."""
MAX_MINUTES = 1e5
"""Largest time spent on a failed task (about 70 days)."""
MAX_TASKS_PER_MONTH = 1e10
MAX_EXCHANGE_RATE = 1e4
MAX_SOURCE_CHARS = 120
FIRST_YEAR, LAST_YEAR = 2020, 2100

Multiplier = Annotated[float, Field(ge=0, le=MAX_MULTIPLIER, allow_inf_nan=False)]
Money = Annotated[float, Field(ge=0, le=MAX_USD, allow_inf_nan=False)]
Haircut = Annotated[float, Field(ge=0, lt=1, allow_inf_nan=False)]
Tier = Literal["standard", "batch", "flex", "priority"]
Currency = Literal["USD", "CNY", "EUR"]
TokenKind = Literal["input", "cache_read", "cache_write", "output", "reasoning"]

# Scenario token kinds and the cost component each scales (tokenomics.units.COST_COMPONENTS).
KIND_COMPONENTS: dict[TokenKind, str] = {
    "input": "cost_input",
    "cache_read": "cost_cache_read",
    "cache_write": "cost_cache_write",
    "output": "cost_output",
    "reasoning": "cost_reasoning",
}

TIERS: tuple[str, ...] = ("standard", "batch", "flex", "priority")
# Price factor of each service tier against the standard price, as providers publish them.
# Read from genai-prices 0.2.3 ``price_variants`` (``when={'processing': 'batch'}`` or
# ``{'service_tier': ...}``): the most common variant/standard ratio of input and output prices
# over each provider's models (tests/test_scenario_tiers.py re-derives them from the bundled data).
PUBLISHED_TIER_FACTORS: dict[str, dict[str, float]] = {
    "anthropic": {"batch": 0.5},
    "google": {"batch": 0.5, "flex": 0.5, "priority": 1.8},
    "groq": {"batch": 0.5},
    "mistral": {"batch": 0.5},
    "openai": {"batch": 0.5, "flex": 0.5, "priority": 2.0},
    "x-ai": {"batch": 0.8},
}
TIER_FACTORS_SOURCE = "genai-prices 0.2.3 price_variants (batch / service_tier), most common ratio per provider"
# Where a provider publishes no factor for a tier, the price is left unchanged until the user edits it.
UNPUBLISHED_TIER_FACTOR = 1.0

# Model-name fragments of labs in the "CN" origin group of the AIME 2024 vs 2025 table.
CN_PATTERN = re.compile(
    r"deepseek|qwen|qwq|kimi|moonshot|minimax|glm|zhipu|(?:^|[/\s])yi-|ernie|doubao|hunyuan|baichuan"
)


class Scenario(BaseModel):
    """What-if knobs; each default leaves the measured comparison unchanged."""

    model_config = ConfigDict(extra="forbid")

    price_multiplier: Multiplier = 1.0
    """Every price times this (a price war: 0.7; a price rise: 1.3)."""
    kind_price_multipliers: dict[TokenKind, Multiplier] = {}
    """Price of one token kind times this, for every model (e.g. ``{"output": 1.2}``)."""
    provider_price_multipliers: dict[str, Multiplier] = {}
    """Provider id (as genai-prices spells it) -> multiplier on all that provider's prices."""
    model_price_multipliers: dict[str, Multiplier] = {}
    """Model label -> multiplier on its prices (a discount deal: 0.8)."""
    token_multipliers: dict[TokenKind, Multiplier] = {}
    """Tokens of one kind per attempt times this (a shorter prompt, a longer reasoning budget)."""
    haircut: Haircut = 0.0
    """Fresh-data haircut h for every model not in ``model_haircuts``: ``p_fresh = p (1 - h)``."""
    model_haircuts: dict[str, Haircut] = {}
    """Model label -> its own haircut (overrides the presets)."""
    haircut_presets: bool = False
    """Give every model not in ``model_haircuts`` its AIME 2024 vs 2025 preset (``data/haircuts.csv``)."""
    max_attempts: int = Field(1, ge=1, le=50)
    """Retries with a verifier: up to k attempts per task, stopping at the first success."""
    verifier_cost: Money = 0.0
    """USD per attempt for running the verifier (a test suite, a judge call)."""
    cascade: list[str] = []
    """Model labels tried in order on a verified failure (A then B then C); empty: no cascade."""
    failure_minutes: Annotated[float, Field(ge=0, le=MAX_MINUTES, allow_inf_nan=False)] = 0.0
    """Minutes a person spends on an unsolved task (with ``hourly_rate`` gives the failure cost)."""
    hourly_rate: Money = 0.0
    """USD per hour of that person."""
    failure_cost: Money = 0.0
    """A flat USD cost per unsolved task, added to minutes x hourly rate."""
    service_tier: Tier = "standard"
    """Tier for every provider not in ``provider_tiers``."""
    provider_tiers: dict[str, Tier] = {}
    """Provider id -> service tier."""
    tier_factors: dict[str, dict[Tier, Multiplier]] = {}
    """Provider id -> tier -> price factor, overriding the published factors."""
    currency: Currency = "USD"
    """Currency of the money shown."""
    exchange_rate: Annotated[float, Field(gt=0, le=MAX_EXCHANGE_RATE, allow_inf_nan=False)] | None = None
    """Units of ``currency`` per USD (required for CNY and EUR)."""
    rate_date: date | None = None
    """The day the exchange rate was read (required for CNY and EUR)."""
    rate_source: Annotated[str, Field(min_length=1, max_length=MAX_SOURCE_CHARS)] | None = None
    """Where the exchange rate comes from (a reference rate's publisher, or "entered by hand")."""
    tasks_per_month: Annotated[float, Field(ge=0, le=MAX_TASKS_PER_MONTH, allow_inf_nan=False)] = 0.0
    """Monthly volume: tasks attempted per month (0: no monthly figures)."""

    @model_validator(mode="after")
    def _rate_for_foreign_currency(self) -> Scenario:
        if self.currency != "USD" and (self.exchange_rate is None or self.rate_date is None):
            raise ValueError(f"currency {self.currency} needs exchange_rate (per USD) and rate_date")
        if len(self.cascade) == 1:
            raise ValueError("cascade needs at least two models (A then B)")
        if self.rate_date is not None and not FIRST_YEAR <= self.rate_date.year <= LAST_YEAR:
            raise ValueError(f"rate_date must lie between {FIRST_YEAR} and {LAST_YEAR}")
        return self

    @property
    def failure_usd(self) -> float:
        """Failure cost F per unsolved task: flat + minutes x hourly rate / 60.

        >>> Scenario(failure_minutes=10, hourly_rate=90, failure_cost=1).failure_usd
        16.0
        """
        return self.failure_cost + self.failure_minutes * self.hourly_rate / 60

    @property
    def rate(self) -> float:
        """Currency units per USD (1 for USD)."""
        return 1.0 if self.currency == "USD" or self.exchange_rate is None else self.exchange_rate

    @property
    def rate_note(self) -> str:
        """The conversion in force, as every converted figure states it ("" for USD).

        >>> Scenario(currency="CNY", exchange_rate=6.7206, rate_date=date(2026, 8, 21),
        ...     rate_source="ECB euro reference rate").rate_note
        'amounts in CNY at 1 USD = 6.7206 CNY (ECB euro reference rate, 2026-08-21)'
        """
        if self.currency == "USD" or self.rate_date is None:
            return ""
        source = self.rate_source or "rate as entered"
        return f"amounts in {self.currency} at 1 USD = {self.rate:.4f} {self.currency} ({source}, {self.rate_date})"

    def tier_factor(self, provider: str) -> float:
        """Price factor of the provider's chosen service tier (1 for standard).

        >>> Scenario(service_tier="batch").tier_factor("openai")
        0.5
        >>> Scenario(provider_tiers={"openai": "priority"}, tier_factors={"openai": {"priority": 1.75}}).tier_factor(
        ...     "openai")
        1.75
        """
        return self.tier_factor_for(provider, self.provider_tiers.get(provider, self.service_tier))

    def tier_factor_for(self, provider: str, tier: str) -> float:
        """The factor of one tier for one provider: edited, else published, else 1."""
        if tier == "standard":
            return 1.0
        edited = self.tier_factors.get(provider, {})
        return edited[tier] if tier in edited else published_tier_factor(provider, tier)

    def to_json(self) -> str:
        """Compact JSON of the knobs that differ from the defaults (what a URL or a file carries)."""
        return self.model_dump_json(exclude_defaults=True)


def published_tier_factor(provider: str, tier: str) -> float:
    """The provider's published factor for a tier, or the editable default 1.0 where none is published.

    >>> published_tier_factor("x-ai", "batch"), published_tier_factor("deepseek", "batch")
    (0.8, 1.0)
    """
    if tier == "standard":
        return 1.0
    return PUBLISHED_TIER_FACTORS.get(provider, {}).get(tier, UNPUBLISHED_TIER_FACTOR)


def tier_factor_table(providers: list[str], scenario: Scenario) -> pd.DataFrame:
    """Provider x tier factors in force, with where each comes from (published, edited or default)."""
    records = []
    for provider in providers:
        for tier in TIERS[1:]:
            edited = scenario.tier_factors.get(provider, {})
            published = PUBLISHED_TIER_FACTORS.get(provider, {})
            if tier in edited:
                factor, source = edited[tier], "edited"
            elif tier in published:
                factor, source = published[tier], TIER_FACTORS_SOURCE
            else:
                factor, source = UNPUBLISHED_TIER_FACTOR, "not published: editable default 1.0"
            records.append({"provider": provider, "tier": tier, "factor": factor, "source": source})
    return pd.DataFrame.from_records(records, columns=["provider", "tier", "factor", "source"])


def scenario_from_data(data: object, name: str) -> Scenario:
    """A scenario from decoded JSON; any problem is an ``InputError`` naming the key."""
    if not isinstance(data, dict):
        raise InputError("a scenario is a JSON object", file=name, found=type(data).__name__)
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        key = ".".join(str(p) for p in err["loc"]) or "(scenario)"
        found = err.get("input") if err["type"] != "extra_forbidden" else None
        message = (
            "unknown key" if err["type"] == "extra_forbidden" else err["msg"].removeprefix("Value error, ").lower()
        )
        raise InputError(
            message,
            file=name,
            column=key,
            column_word="key",
            found=found,
            expected="a valid scenario (see docs/whatif.md)",
        ) from None


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def origin_group(names: pd.Series) -> np.ndarray:
    """``CN`` or ``Western`` from a model's label/id, as the AIME table groups labs.

    >>> origin_group(pd.Series(["DeepSeek R1", "openrouter/moonshotai/kimi-k2", "gpt-4.1"])).tolist()
    ['CN', 'CN', 'Western']
    """
    return np.where(names.str.lower().str.contains(CN_PATTERN), "CN", "Western")


def haircut_presets(models: pd.DataFrame, table: pd.DataFrame) -> pd.DataFrame:
    """The fresh-data haircut preset of each model, with its source.

    ``models`` has ``model`` (label) and ``model_id``; ``table`` is ``data/haircuts.csv``
    (``model``, ``origin``, ``haircut``, ...). A model matches a row by its label or id with
    punctuation, case and a trailing ``(...)`` ignored; otherwise it gets its origin group's
    mean haircut (CN 21.0%, Western 10.4%). A score that rose (negative fall) gives haircut 0.

    >>> table = pd.DataFrame({"model": ["o3", "Kimi K2", "GPT-4.1"], "origin": ["Western", "CN", "Western"],
    ...     "haircut": [0.022, 0.177, 0.206]})
    >>> models = pd.DataFrame({"model": ["o3 (high)", "DeepSeek R1"], "model_id": ["o3", "r1"]})
    >>> presets = haircut_presets(models, table)
    >>> presets[["haircut", "basis"]].values.tolist()
    [[0.022, 'AIME 2024 vs 2025: o3'], [0.177, 'AIME 2024 vs 2025: CN group mean (1 models)']]
    """
    by_name = dict(zip(table["model"].map(_norm), table.index, strict=True))
    label = models["model"].astype(str)
    keys = pd.DataFrame(
        {
            "label": label.map(_norm),
            "bare": label.str.replace(r"\s*\(.*\)\s*$", "", regex=True).map(_norm),
            "id": models["model_id"].astype(str).str.split("/").str[-1].map(_norm),
        }
    )
    hit = keys["label"].map(by_name).fillna(keys["bare"].map(by_name)).fillna(keys["id"].map(by_name))
    groups = table.groupby("origin")["haircut"].agg(["mean", "size"])
    origin = origin_group(label + " " + models["model_id"].astype(str))
    group_mean = groups["mean"].reindex(origin).to_numpy()
    matched = hit.notna().to_numpy()
    row = table.reindex(hit.fillna(-1).astype(int).to_numpy())
    haircut = np.where(matched, row["haircut"].to_numpy(dtype=float), group_mean)
    group_basis = "AIME 2024 vs 2025: " + groups.index + " group mean (" + groups["size"].astype(str) + " models)"
    basis = np.where(
        matched,
        ("AIME 2024 vs 2025: " + row["model"].fillna("")).to_numpy(dtype=object),
        group_basis.reindex(origin).to_numpy(dtype=object),
    )
    return pd.DataFrame(
        {"model": label.to_numpy(), "origin": origin, "haircut": np.clip(haircut, 0.0, 0.99), "basis": basis}
    )


def with_presets(scenario: Scenario, presets: pd.DataFrame) -> Scenario:
    """The scenario with the preset haircuts filled in where ``haircut_presets`` asks for them.

    ``presets`` is ``haircut_presets(...)`` output; a model's own ``model_haircuts`` entry wins.

    >>> presets = pd.DataFrame({"model": ["a", "b"], "haircut": [0.2, 0.1]})
    >>> with_presets(Scenario(haircut_presets=True, model_haircuts={"b": 0.0}), presets).model_haircuts
    {'a': 0.2, 'b': 0.0}
    """
    if not scenario.haircut_presets:
        return scenario
    filled = dict(zip(presets["model"], presets["haircut"].astype(float), strict=True))
    return scenario.model_copy(update={"model_haircuts": {**filled, **scenario.model_haircuts}})
