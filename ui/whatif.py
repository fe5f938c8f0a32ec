"""What-if page glue: cached data, and the scenario <-> widgets <-> URL mapping.

The whole scenario lives in the URL as one ``scenario`` query parameter (compact JSON of the
knobs that differ from the defaults) plus ``data``, so a link reproduces the view. Widgets are
filled from the URL (or a loaded JSON file) once, then the URL follows the widgets.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date

import pandas as pd
import streamlit as st

from inputs.bundled import read_haircut_table
from inputs.datasets import dataset_path
from inputs.exchange_rates import load_rates
from inputs.scenario_file import parse_scenario
from measurements.load import read_measurements
from pricing.comparison import Comparison
from tokenomics.errors import InputError
from tokenomics.fx import rate_on
from tokenomics.scenario import TIERS, Scenario, TokenKind, haircut_presets, published_tier_factor
from tokenomics.scenario_apply import WhatIfBase
from ui.data import ROOT, custom_sheets, load_bundled, run_comparison, snapshot_key

DATA_SETS = {
    "aider": "Aider polyglot leaderboard (bundled, aggregated runs)",
    "lrm": "LRM Token Economy (bundled, 5 samples per prompt: pass@k up to 5)",
    "example": "Synthetic per-attempt example (3 models x 20 tasks x 3 attempts)",
    "upload": "My upload",
}
EXAMPLE_FILE = ROOT / "examples" / "attempts.csv"
CURRENCIES = ("USD", "CNY", "EUR")
TOKEN_SLIDERS: dict[TokenKind, str] = {
    "input": "wi_tok_input",
    "cache_read": "wi_tok_cache",
    "output": "wi_tok_output",
    "reasoning": "wi_tok_reasoning",
}
PRICE_INPUTS: dict[TokenKind, str] = {"input": "wi_price_input", "output": "wi_price_output"}
OWN_RATE = "own"
"""The reference-rate choice for a rate the user types (with its day)."""


@dataclass
class Prepared:
    comparison: Comparison
    base: WhatIfBase
    presets: pd.DataFrame


@st.cache_data(show_spinner=False)
def load_example():
    return read_measurements(EXAMPLE_FILE)


@st.cache_data(show_spinner=False)
def load_lrm():
    return read_measurements(dataset_path("lrm-token-economy"))


@st.cache_data(show_spinner=False)
def haircut_table() -> pd.DataFrame:
    return read_haircut_table()


@st.cache_data(show_spinner=False)
def reference_rates() -> pd.DataFrame:
    """The bundled ECB reference rates (``data/exchange_rates.csv``), newest day last."""
    return load_rates()


def rate_days() -> list[str]:
    """The days with a bundled reference rate, newest first (the reference-rate choices)."""
    return [d.isoformat() for d in reversed(reference_rates()["rate_date"].tolist())]


def reference_rate(currency: str, day: str) -> tuple[float, date, str]:
    """(units per USD rounded to 6 decimals, the day, the publisher) of a bundled reference day."""
    rate = rate_on(reference_rates(), currency, date.fromisoformat(day))
    return round(rate.per_usd, 6), rate.rate_date, rate.source


def rate_label(currency: str, choice: str) -> str:
    """How a reference-rate choice reads in its selectbox."""
    if choice == OWN_RATE or currency == "USD":
        return "my own rate (type it below, with its day)"
    per_usd, day, source = reference_rate(currency, choice)
    return f"{source}, {day}: 1 USD = {per_usd:.4f} {currency}"


def fill_rate() -> None:
    """Put the chosen reference day's rate in the rate and day inputs (they stay editable)."""
    ss = st.session_state
    currency = ss["wi_currency"]
    if currency == "USD":
        return
    if ss.get("wi_fx_ref") not in rate_days():
        ss["wi_fx_ref"] = OWN_RATE if ss.get("wi_fx_ref") == OWN_RATE else rate_days()[0]
    if ss["wi_fx_ref"] != OWN_RATE:
        ss["wi_fx"], ss["wi_fx_date"], _ = reference_rate(currency, ss["wi_fx_ref"])


def rate_source(currency: str, choice: str, rate: float | None, day: date | None) -> str | None:
    """The publisher where the inputs still hold the chosen reference rate; None for the user's own rate
    (the figures then say "rate as entered"), so a shared link without a source comes back unchanged."""
    if choice == OWN_RATE or rate is None or day is None:
        return None
    per_usd, ref_day, source = reference_rate(currency, choice)
    return source if abs(rate - per_usd) < 5e-7 and day == ref_day else None


def prepared(data: str) -> Prepared:
    """A bundled data set's comparison and its what-if arrays: computed once, then shared."""
    measured = {"example": load_example, "lrm": load_lrm}.get(data, load_bundled)()
    return prepared_frame(measured.frame, data)


def prepared_frame(frame: pd.DataFrame, key: str) -> Prepared:
    """The comparison of ``frame`` and its what-if arrays, cached under ``key`` and the price data in use.

    A resource cache hands back the same object on every rerun: a knob change neither re-reads
    nor re-prices anything.
    """
    custom = custom_sheets()
    custom_key = hashlib.sha1("\n".join(c.model_dump_json() for c in custom).encode()).hexdigest()
    return _prepare(f"{key}|{snapshot_key()}|{custom_key}", frame, custom)


@st.cache_resource(show_spinner="Pricing and preparing the what-if data...", max_entries=8)
def _prepare(key: str, _frame: pd.DataFrame, _custom: list) -> Prepared:
    comparison = run_comparison(_frame, _custom, None, None, False)
    presets = haircut_presets(comparison.summary[["model", "model_id"]], haircut_table())
    return Prepared(comparison, comparison.base(), presets)


def scenario_from_url() -> tuple[Scenario, str | None]:
    """The scenario a link carries, or the default with the problem to show."""
    text = st.query_params.get("scenario")
    if not text:
        return Scenario(), None
    try:
        return parse_scenario(text, "the link's scenario"), None
    except InputError as exc:
        return Scenario(), str(exc)


def widget_state(s: Scenario) -> dict[str, object]:
    """Widget key -> value showing the scenario."""
    state: dict[str, object] = {
        "wi_price": s.price_multiplier,
        "wi_haircut": s.haircut,
        "wi_presets": s.haircut_presets,
        "wi_k": s.max_attempts,
        "wi_verifier": s.verifier_cost,
        "wi_cascade": list(s.cascade),
        "wi_fail_minutes": s.failure_minutes,
        "wi_hourly": s.hourly_rate,
        "wi_fail_flat": s.failure_cost,
        "wi_tier": s.service_tier,
        "wi_currency": s.currency,
        "wi_fx": s.exchange_rate,
        "wi_fx_date": s.rate_date,
        "wi_fx_ref": _reference_choice(s),
        "wi_volume": s.tasks_per_month,
    }
    for kind, key in TOKEN_SLIDERS.items():
        state[key] = s.token_multipliers.get(kind, 1.0)
    for kind, key in PRICE_INPUTS.items():
        state[key] = s.kind_price_multipliers.get(kind, 1.0)
    return state


def _reference_choice(s: Scenario) -> str:
    """The reference day a scenario's rate came from, or the user's own rate."""
    if s.currency == "USD" or s.rate_date is None or s.rate_source is None:
        return rate_days()[0] if s.currency == "USD" else OWN_RATE
    day = s.rate_date.isoformat()
    return day if day in rate_days() else OWN_RATE


def provider_sheet(providers: list[str], s: Scenario) -> pd.DataFrame:
    """Editable per-provider knobs: price multiplier, tier, and the tier factors in force."""
    return pd.DataFrame(
        {
            "provider": providers,
            "price_x": [s.provider_price_multipliers.get(p, 1.0) for p in providers],
            "tier": [s.provider_tiers.get(p, "(global)") for p in providers],
            **{f"{t}_factor": [s.tier_factor_for(p, t) for p in providers] for t in TIERS[1:]},
        }
    )


def model_sheet(models: list[str], s: Scenario) -> pd.DataFrame:
    """Editable per-model knobs: price multiplier and own haircut (empty: global or preset)."""
    return pd.DataFrame(
        {
            "model": models,
            "price_x": [s.model_price_multipliers.get(m, 1.0) for m in models],
            "haircut": [s.model_haircuts.get(m) for m in models],
        }
    )


def scenario_from_widgets(providers: pd.DataFrame, models: pd.DataFrame) -> Scenario:
    """The scenario the widgets and the two editable sheets show (raises InputError on a bad value).

    Money is converted only with a rate and the day it was read: without both it stays in USD
    (the page says so).
    """
    ss = st.session_state
    currency = ss["wi_currency"]
    if currency != "USD" and (ss.get("wi_fx") is None or ss.get("wi_fx_date") is None):
        currency = "USD"
    tier_factors = {}
    for row in providers.itertuples(index=False):
        edited = {
            t: float(getattr(row, f"{t}_factor"))
            for t in TIERS[1:]
            if float(getattr(row, f"{t}_factor")) != published_tier_factor(str(row.provider), t)
        }
        if edited:
            tier_factors[row.provider] = edited
    data = {
        "price_multiplier": ss["wi_price"],
        "kind_price_multipliers": {k: ss[key] for k, key in PRICE_INPUTS.items() if ss[key] != 1.0},
        "provider_price_multipliers": {
            p: float(x) for p, x in zip(providers["provider"], providers["price_x"], strict=True) if x != 1.0
        },
        "model_price_multipliers": {
            m: float(x) for m, x in zip(models["model"], models["price_x"], strict=True) if x != 1.0
        },
        "token_multipliers": {k: ss[key] for k, key in TOKEN_SLIDERS.items() if ss[key] != 1.0},
        "haircut": ss["wi_haircut"],
        "haircut_presets": ss["wi_presets"],
        "model_haircuts": {m: float(h) for m, h in zip(models["model"], models["haircut"], strict=True) if pd.notna(h)},
        "max_attempts": ss["wi_k"],
        "verifier_cost": ss["wi_verifier"],
        "cascade": list(ss["wi_cascade"]) if len(ss["wi_cascade"]) >= 2 else [],
        "failure_minutes": ss["wi_fail_minutes"],
        "hourly_rate": ss["wi_hourly"],
        "failure_cost": ss["wi_fail_flat"],
        "service_tier": ss["wi_tier"],
        "provider_tiers": {p: t for p, t in zip(providers["provider"], providers["tier"], strict=True) if t in TIERS},
        "tier_factors": tier_factors,
        "currency": currency,
        "exchange_rate": ss["wi_fx"] if currency != "USD" else None,
        "rate_date": ss["wi_fx_date"] if currency != "USD" else None,
        "rate_source": (
            rate_source(currency, ss.get("wi_fx_ref", OWN_RATE), ss["wi_fx"], ss["wi_fx_date"])
            if currency != "USD"
            else None
        ),
        "tasks_per_month": ss["wi_volume"],
    }
    return parse_scenario(json.dumps(data, default=str), "the page's scenario")
