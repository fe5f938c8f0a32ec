"""Chart builders: what a reader of the figure would check, without a browser."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from reports.charts import cost_breakdown_figure, pareto_figure
from reports.labels import _box, place_labels


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


def labels_of(fig) -> list[str]:
    return [a.text for a in fig.layout.annotations]


def test_pareto_marks_frontier_and_leaves_out_unbounded_and_unpriced() -> None:
    fig = pareto_figure(summary())
    assert fig.layout.xaxis.type == "log"
    by_name = {t.name: t for t in fig.data}
    assert list(by_name["Pareto frontier"].x) == [0.01, 0.10]
    assert list(by_name["other models"].x) == [0.20]
    # The frontier is labelled; the other models are named on hover only.
    assert labels_of(fig) == ["cheap", "strong"]
    assert "<b>dominated</b>" in by_name["other models"].hovertext[0]
    assert "cost per solved task $0.200 ($0.150-$0.300)" in by_name["other models"].hovertext[0]
    # The frontier is drawn as a staircase through the frontier points, cheapest first.
    staircase = by_name["frontier (staircase)"]
    assert staircase.line.shape == "hv"
    assert list(staircase.x) == [0.01, 0.10]


def test_the_users_picks_are_labelled_too() -> None:
    fig = pareto_figure(summary(), highlight=["dominated"])
    assert labels_of(fig) == ["cheap", "strong", "dominated"]
    assert [t.name for t in fig.data if t.mode == "markers"] == ["Pareto frontier", "your picks"]


def test_a_dollar_log_axis_reads_as_money() -> None:
    axis = pareto_figure(summary()).layout.xaxis
    assert list(axis.ticktext) == ["$0.005", "$0.01", "$0.02", "$0.05", "$0.1", "$0.2"]
    assert all("µ" not in t and "m" not in t for t in axis.ticktext)


def test_unbounded_interval_reaches_the_edge_of_the_chart() -> None:
    fig = pareto_figure(summary())
    cheap = next(t for t in fig.data if t.name == "Pareto frontier")
    # The axis runs to the dearest point x 1.6 (0.20 x 1.6 = 0.32); cheap's unbounded upper end goes there.
    assert 10 ** fig.layout.xaxis.range[1] == pytest.approx(0.32)
    assert cheap.error_x.array[0] == pytest.approx(0.31)


def test_nothing_to_draw_is_none_not_empty_axes() -> None:
    unpriced = summary().iloc[[3, 4]]
    assert pareto_figure(unpriced) is None
    assert cost_breakdown_figure(unpriced) is None
    # Runs costed from a published total have no split by token kind: no share chart.
    assert cost_breakdown_figure(summary().iloc[[2]], share=True) is None


def test_crowded_labels_do_not_overlap() -> None:
    # Eight models within a factor of 1.3 in cost and 6 points of success: every label finds its own place.
    x = np.linspace(300.0, 380.0, 8)
    y = np.linspace(200.0, 230.0, 8)
    texts = [f"model-{i} (high)" for i in range(8)]
    offsets = place_labels(x, y, np.ones(8, dtype=bool), texts, 640, 420)
    boxes = [_box(x[i] + dx, y[i] + dy, texts[i]) for i, (dx, dy) in enumerate(offsets)]
    assert not any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1 :])
    assert all(b.inside(640, 420) for b in boxes)


def test_breakdown_share_leaves_out_unsplit_runs() -> None:
    fig = cost_breakdown_figure(summary(), share=True)
    assert fig.layout.barnorm == "percent"
    models = set(fig.data[0].y)
    assert models == {"cheap", "strong"}
    names = [t.name for t in fig.data]
    assert names == ["input (uncached)", "output (visible)", "reasoning"]


def test_breakdown_usd_shows_observed_total_in_grey() -> None:
    fig = cost_breakdown_figure(summary(), share=False)
    observed = next(t for t in fig.data if t.name == "published total (not split)")
    values = dict(zip(observed.y, observed.x, strict=True))
    assert values["dominated"] == 0.20
    # strong: input 2.0 / 80 successes = $0.025 per solved task.
    first = fig.data[0]
    assert dict(zip(first.y, first.x, strict=True))["strong"] == 0.025
    assert dict(zip(first.y, first.customdata, strict=True))["strong"] == "$0.0250"
