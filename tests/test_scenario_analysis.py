"""Tornado and crossovers on the hand-built three models of ``test_scenario``.

With C's prices x 1.1: cost per solved task A $4, B $3, C $3.30; B wins. B's $1.5 attempt is
$0.5 input + $1 output, so per solved task (p = 0.5) $1 input + $2 output.
"""

from __future__ import annotations

import pytest
from test_scenario import make_base

from reports.whatif_charts import pareto_whatif_figure, tornado_figure
from tokenomics.scenario import Scenario
from tokenomics.scenario_analysis import crossovers, headline, leader, tornado, winner
from tokenomics.scenario_apply import evaluate

SCENARIO = Scenario(model_price_multipliers={"C": 1.1})


@pytest.fixture(scope="module")
def base():
    return make_base()


def test_winner_and_headline(base):
    table = evaluate(base, SCENARIO)
    assert winner(table, SCENARIO) == "B"
    assert (
        headline(table, SCENARIO)
        == "Under this scenario B is cheapest: $3.00 cost per solved task, 50.0% of tasks solved."
    )


def test_tornado_by_hand(base):
    """All prices ±20%: 2.4 / 3.6 (swing 1.2). Output price or tokens ±20%: 3 ∓ 0.4 (0.8).
    k 1 / 2: 3 / 2.25 (pass@2, see test_scenario; 0.75). Input price or tokens: 3 ∓ 0.2 (0.4).
    Haircut 0% / 10%: 3 / (1.5 / 0.45) = 3.3333 (0.3333). Reasoning: none. Batch: deepseek
    publishes no factor, so no move."""
    bars = tornado(base, SCENARIO, "B")
    assert bars["knob"].tolist() == [
        "all prices ±20%",
        "output price ±20%",
        "output tokens ±20%",
        "attempts k 1 / 2",
        "input price ±20%",
        "input tokens ±20%",
        "haircut 0% / 10%",
    ]
    assert bars["swing"].round(4).tolist() == [1.2, 0.8, 0.8, 0.75, 0.4, 0.4, 0.3333]
    assert bars.loc[0, ["low", "high", "base"]].round(6).tolist() == [2.4, 3.6, 3.0]


def test_crossovers_in_words(base):
    """C: gap 0.3; B's output part is $2, all of B $3, C's price part $3.30:
    0.3 / 2 = 15%, 0.3 / 3 = 10%, 1 - 3 / 3.3 = 9.1%.
    A: gap 1: 1 / 2 = 50%, 1 / 3 = 33%, 1 - 3 / 4 = 25%."""
    table = evaluate(base, SCENARIO)
    cross = crossovers(base, SCENARIO, table).set_index("challenger")
    assert cross.index.tolist() == ["C", "A"]
    assert cross.loc["A", ["a_output_rise", "a_price_rise", "b_price_fall"]].round(4).tolist() == [0.5, 0.3333, 0.25]
    assert cross.loc["A", "sentence"] == (
        "A becomes cheaper than B (cost per solved task) when B's output price rises more than 50%, "
        "or when all of B's prices rise more than 33%, or when A's prices fall more than 25%."
    )
    assert cross.loc["C", "a_output_rise"] == pytest.approx(0.15)


def test_charts_show_the_frontier_and_one_bar_pair_per_knob(base):
    table = evaluate(
        base, SCENARIO.model_copy(update={"currency": "EUR", "exchange_rate": 0.5, "rate_date": "2026-11-20"})
    )
    note = "amounts in EUR at 1 USD = 0.5000 EUR (ECB euro reference rate, 2026-11-20)"
    pareto = pareto_whatif_figure(table, "EUR", rate_note=note)
    # B ($1.50 in EUR, 50%) dominates A and C: one frontier point, no staircase line.
    assert [t.name for t in pareto.data] == ["other models", "Pareto frontier"]
    assert [a.text for a in pareto.layout.annotations] == ["B"]
    assert pareto.layout.xaxis.title.text == "cost per solved task (EUR, log scale)"
    assert pareto.data[1].hovertext[0] == f"<b>B</b><br>P(solved) 50.0%<br>cost per solved task €1.50<br><i>{note}</i>"
    assert all(t.startswith("€") for t in pareto.layout.xaxis.ticktext)
    bars = tornado(base, SCENARIO, "B")
    figure = tornado_figure(bars, "B", "cost per solved task")
    assert [t.name for t in figure.data] == ["knob down", "knob up"]
    assert list(figure.data[0].y) == bars["knob"].tolist()[::-1]


def test_the_headline_names_the_independence_it_rests_on():
    """k = 2 on aggregates only: P(solved) = 1 - 0.5^2 = 0.75 rests on independent tries; with per-task
    samples (pass@k) it does not, and the headline says nothing."""
    k2 = Scenario(max_attempts=2, model_price_multipliers={"C": 1.1})
    aggregates = make_base(per_task=False)
    assert headline(evaluate(aggregates, k2), k2) == (
        "Under this scenario B is cheapest: $3.00 cost per solved task, 75.0% of tasks solved "
        "(assuming retries are independent)."
    )
    assert "assuming" not in headline(evaluate(make_base(), k2), k2)


def test_when_a_cascade_leads_the_headline_and_the_tornado_follow_it():
    """Aggregates, k = 2, a failure costs $10; ranked by cost per task incl. failures.
    B: P = 0.75, E[A] = 1.5, cost 1.5 x 1.5 = 2.25, + 0.25 x 10 = $4.75.
    B → C (formula): P = 1 - 0.25 x 0.25 = 0.9375, cost 2.25 + 0.25 x 2.25 = 2.8125, + 0.0625 x 10 = $3.4375."""
    s = Scenario(max_attempts=2, failure_cost=10, cascade=["B", "C"])
    aggregates = make_base(per_task=False)
    table = evaluate(aggregates, s)
    assert leader(table, s) == "B → C" and winner(table, s) == "B"
    assert headline(table, s) == (
        "Under this scenario the cascade B → C is cheapest: $3.44 cost per task incl. failure cost, 93.8% of tasks "
        "solved (assuming retries are independent and the models fail independently of each other)."
    )
    bars = tornado(aggregates, s, "B → C")
    assert bars["base"].round(4).unique().tolist() == [3.4375]
    # The failure cost is the cascade's biggest lever: ±50% moves 0.0625 x 10 x 0.5 = ±0.3125.
    row = bars.set_index("knob").loc["failure cost ±50%"]
    assert (round(row["low"], 4), round(row["high"], 4)) == (3.125, 3.75)
