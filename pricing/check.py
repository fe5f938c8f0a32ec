"""Where price layers disagree, and how old the prices in use are.

Two libraries pricing one model differently is information a buyer needs: the figure used, the
other one, where each comes from and when it was recorded. ``disagreements`` lists every model
whose layers differ by more than ``THRESHOLD`` on input or output at a given day; ``staleness``
says how long ago each price in use was last changed or checked.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import numpy as np
import pandas as pd

from pricing.book import PriceSources, _covers, day_instant
from pricing.layers import LAYERS, Candidate, candidates_for
from pricing.litellm_map import LITELLM_TO_GENAI_PRICES
from pricing.providers import Identity, resolve

THRESHOLD = 0.05
"""Relative difference on input or output price above which two layers disagree."""
STALE_DAYS = 180
"""A price in use last changed or checked longer ago than this is flagged as stale."""

LAYER_COLUMNS = ["provider", "model", "layer", "input_mtok", "output_mtok", "cache_read_mtok", "source", "as_of"]


def _price_on(candidates: list[Candidate], layer: str, day: date) -> Candidate | None:
    instants = np.array([day_instant(day)])
    for c in candidates:
        if c.layer == layer and _covers(c, instants, np.zeros(1), np.zeros(1, dtype=bool))[0]:
            return c
    return None


def candidates_of(sources: PriceSources, provider: str, model: str) -> tuple[list[Candidate], Identity]:
    """Every layer's candidate prices of one model reference (no custom sheet), and how it resolved."""
    ident = resolve(sources.snapshot, sources.litellm, provider, model)
    candidates = candidates_for(
        ident,
        custom=(),
        corrections=list(enumerate(sources.corrections)),
        version=sources.genai_label(),
        history=sources.history,
        litellm=sources.litellm,
    )
    return candidates, ident


def model_prices(sources: PriceSources, provider: str, model: str) -> tuple[pd.DataFrame, str]:
    """One model's prices by layer and period (the Prices page and ``prices show``), and the provider note."""
    candidates, ident = candidates_of(sources, provider, model)
    frame = pd.DataFrame(
        [
            {
                "layer": c.layer,
                "provider": c.record["provider_id"],
                "model": c.record["model_id"],
                "period": c.record["price_as_of"] + (" (retired: no price)" if c.retired else ""),
                "daily window": c.record["price_period"],
                "input_mtok": c.record.get("input_mtok"),
                "cache_read_mtok": c.record.get("cache_read_mtok"),
                "output_mtok": c.record.get("output_mtok"),
                "checked_on": c.record["checked_on"],
                "source": c.record["price_source"],
            }
            for c in candidates
        ]
    )
    return frame, ident.note


def layer_prices(sources: PriceSources, models: Iterable[tuple[str, str]], day: date) -> pd.DataFrame:
    """Every layer's price on ``day`` for each (provider, model) reference, one row per layer."""
    records = []
    for provider, model in models:
        candidates, _ = candidates_of(sources, provider, model)
        for layer in LAYERS[1:]:
            c = _price_on(candidates, layer, day)
            if c is None:
                continue
            records.append(
                {
                    "provider": provider,
                    "model": model,
                    "layer": layer,
                    "input_mtok": c.record.get("input_mtok", np.nan),
                    "output_mtok": c.record.get("output_mtok", np.nan),
                    "cache_read_mtok": c.record.get("cache_read_mtok", np.nan),
                    "source": c.record["price_source"],
                    "as_of": c.record["checked_on"] or c.record["price_as_of"],
                }
            )
    return pd.DataFrame.from_records(records, columns=LAYER_COLUMNS)


def retired_on(sources: PriceSources, models: Iterable[tuple[str, str]], day: date) -> list[tuple[str, str, str]]:
    """(provider, model, since) of each reference whose name its provider had retired by ``day``:
    no layer prices it then, whatever the libraries below the retirement still list."""
    out = []
    for provider, model in models:
        candidates, _ = candidates_of(sources, provider, model)
        found = _price_on(candidates, "correction", day)
        if found is not None and found.retired:
            out.append((provider, model, str(found.record["price_from"])))
    return out


def catalog_models(sources: PriceSources) -> list[tuple[str, str]]:
    """genai-prices models that LiteLLM also prices, as references the resolver reads back to both."""
    if sources.litellm is None:
        return []
    by_genai: dict[str, list[str]] = {}
    for litellm_name, genai_id in LITELLM_TO_GENAI_PRICES.items():
        by_genai.setdefault(genai_id, []).append(litellm_name)
    refs = []
    for provider in sources.snapshot.providers:
        for model in provider.models:
            for litellm_name in by_genai.get(provider.id, []):
                if (litellm_name, model.id.lower()) in sources.litellm.by_provider_model:
                    refs.append((provider.id, model.id))
                    break
    return refs


def disagreements(prices: pd.DataFrame, threshold: float = THRESHOLD) -> pd.DataFrame:
    """Pairs of layers whose input or output prices for one model differ by more than ``threshold``.

    The first layer of each pair is the one that wins by precedence (the price in use, unless
    the user's own sheet overrides both).

    >>> prices = pd.DataFrame({"provider": ["deepseek"] * 2, "model": ["deepseek-chat"] * 2,
    ...     "layer": ["genai-prices", "litellm"], "input_mtok": [0.27, 0.28], "output_mtok": [1.10, 0.42],
    ...     "cache_read_mtok": [0.07, 0.028], "source": ["a", "b"], "as_of": ["2025-07-12", "2026-11-20"]})
    >>> disagreements(prices)[["layer", "other_layer", "output_mtok", "other_output_mtok"]].values.tolist()
    [['genai-prices', 'litellm', 1.1, 0.42]]
    """
    out = []
    for (provider, model), group in prices.groupby(["provider", "model"], sort=False):
        rows = group.to_dict("records")
        first = rows[0]
        for other in rows[1:]:
            gaps = [
                abs(other[k] / first[k] - 1) if first[k] > 0 else (0.0 if other[k] == 0 else np.inf)
                for k in ("input_mtok", "output_mtok")
                if not (np.isnan(first[k]) or np.isnan(other[k]))
            ]
            if gaps and max(gaps) > threshold:
                out.append(
                    {
                        "provider": provider,
                        "model": model,
                        "layer": first["layer"],
                        "input_mtok": first["input_mtok"],
                        "output_mtok": first["output_mtok"],
                        "source": first["source"],
                        "as_of": first["as_of"],
                        "other_layer": other["layer"],
                        "other_input_mtok": other["input_mtok"],
                        "other_output_mtok": other["output_mtok"],
                        "other_source": other["source"],
                        "other_as_of": other["as_of"],
                        "largest_gap": max(gaps),
                    }
                )
    columns = [
        "provider",
        "model",
        "layer",
        "input_mtok",
        "output_mtok",
        "source",
        "as_of",
        "other_layer",
        "other_input_mtok",
        "other_output_mtok",
        "other_source",
        "other_as_of",
        "largest_gap",
    ]
    return pd.DataFrame.from_records(out, columns=columns)


def staleness(in_use: pd.DataFrame, today: date, threshold_days: int = STALE_DAYS) -> pd.DataFrame:
    """The prices-in-use sheet with ``age_days`` (since last changed or checked) and ``stale``.

    >>> sheet = pd.DataFrame({"models": ["a", "b"], "checked_on": ["2025-07-12", ""]})
    >>> staleness(sheet, date(2026, 11, 25))[["age_days", "stale"]].values.tolist()
    [[501.0, True], [nan, False]]
    """
    out = in_use.copy()
    checked = pd.to_datetime(out["checked_on"].replace("", None), errors="coerce")
    out["age_days"] = (pd.Timestamp(today) - checked).dt.days.astype(float)
    out["stale"] = out["age_days"] > threshold_days
    return out


def oldest_in_use(in_use: pd.DataFrame, today: date) -> tuple[str, str, int] | None:
    """(models, date, age in days) of the oldest dated price in use, or None when none is dated."""
    aged = staleness(in_use, today)
    aged = aged[aged["age_days"].notna()]
    if aged.empty:
        return None
    row = aged.iloc[int(np.argmax(aged["age_days"].to_numpy()))]
    return str(row["models"]), str(row["checked_on"]), int(row["age_days"])
