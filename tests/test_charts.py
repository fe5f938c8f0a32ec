"""Chart builders: what a reader of the figure would check, without a browser."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from reports.charts import cost_breakdown_figure, pareto_figure


def summary() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "model": ["cheap", "strong", "dominated", "never", "unpriced"],
            "success_rate": [0.4, 0.8, 0.3, 0.0, 0.5],
            "success_low": [0.3, 0.7, 0.2, 0.0, 0.4],
            "success_high": [0.5, 0.9, 0.4, 0.1, 0.6],
            "cost_per_success": [0.01, 0.10, 0.20, np.inf, np.nan],
            "cps_low": [0.008, 0.09, 0.15, 0.5, np.nan],
            "cps_high": [np.inf, 0.12, 0.30, np.inf, np.nan],
            "on_frontier": [True, True, False, False, False],
            "successes": [40, 80, 30, 0, 50],
            "cost_basis": ["priced", "priced", "observed", "priced", "unpriced"],
            "cost_input": [0.1, 2.0, np.nan, 0.1, np.nan],
            "cost_cache_read": [0.0, 0.0, np.nan, 0.0, np.nan],
            "cost_cache_write": [0.0, 0.0, np.nan, 0.0, np.nan],
            "cost_output": [0.1, 4.0, np.nan, 0.1, np.nan],
            "cost_reasoning": [0.2, 2.0, np.nan, 0.0, np.nan],
            "cost_requests": [0.0, 0.0, np.nan, 0.0, np.nan],
        }
    )


def test_pareto_marks_frontier_and_leaves_out_unbounded_and_unpriced() -> None:
    fig = pareto_figure(summary())
    assert fig.layout.xaxis.type == "log"
    by_name = {t.name: t for t in fig.data}
    assert list(by_name["Pareto frontier"].text) == ["cheap", "strong"]
    assert list(by_name["other models"].x) == [0.20]
    # The frontier is drawn as a staircase through the frontier points, cheapest first.
    staircase = by_name["frontier (staircase)"]
    assert staircase.line.shape == "hv"
    assert list(staircase.x) == [0.01, 0.10]


def test_unbounded_interval_reaches_past_every_point() -> None:
    fig = pareto_figure(summary())
    cheap = next(t for t in fig.data if t.name == "Pareto frontier")
    # cheap's upper bound is inf: drawn to 3 x the largest finite bound (0.30), i.e. 0.90.
    assert cheap.error_x.array[0] == pytest.approx(0.89)


def test_breakdown_share_leaves_out_unsplit_runs() -> None:
    fig = cost_breakdown_figure(summary(), share=True)
    assert fig.layout.barnorm == "percent"
    models = set(fig.data[0].y)
    assert models == {"cheap", "strong"}
    names = [t.name for t in fig.data]
    assert names == ["input (uncached)", "output (visible)", "reasoning"]


def test_breakdown_usd_shows_observed_total_in_grey() -> None:
    fig = cost_breakdown_figure(summary(), share=False)
    observed = next(t for t in fig.data if t.name == "observed total (not split)")
    values = dict(zip(observed.y, observed.x, strict=True))
    assert values["dominated"] == 0.20
    # strong: input 2.0 / 80 successes = $0.025 per solved task.
    first = fig.data[0]
    assert dict(zip(first.y, first.x, strict=True))["strong"] == 0.025
