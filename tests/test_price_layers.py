"""Price layers: precedence, dated corrections, history, LiteLLM, provider choice, disagreements.

Prices are USD per million tokens. The real bundled data is used where the point is what a
user sees (DeepSeek's 2025 prices, first-party Qwen, GLM's markets); small synthetic layers
where the point is a rule (precedence).
"""

from __future__ import annotations

from datetime import date, datetime

import numpy as np
import pandas as pd
import pytest
from strategies import measurement_rows, price_table

from pricing.book import PriceSources, attach_prices, default_sources
from pricing.check import disagreements, layer_prices, oldest_in_use, staleness
from pricing.comparison import compare_measurements
from pricing.corrections import Correction, parse_corrections
from pricing.custom import CustomPrice
from pricing.history import GenaiHistory, ModelHistory
from pricing.litellm_map import bundled as bundled_litellm
from pricing.providers import resolve
from pricing.snapshot import bundled
from reports.views import unpriced_models
from tokenomics.compare import CompareOptions, summarise
from tokenomics.costing import price_rows
from tokenomics.errors import InputError

TODAY = date(2026, 11, 25)


@pytest.fixture(scope="module")
def sources() -> PriceSources:
    return default_sources()


def rows(*records: dict) -> pd.DataFrame:
    return measurement_rows(records).drop(columns=["price_id"])


def picked(priced, i: int = 0) -> pd.Series:
    return priced.table.loc[priced.rows["price_id"].iloc[i]]


# --- DeepSeek's 2025 prices, from the corrections layer ------------------------------------------

AIDER_V32 = {
    # Aider polyglot runs of 2025-10-03 (data/aider_polyglot.csv), published $0.8756 and $1.3045.
    "DeepSeek-V3.2-Exp (Chat)": ("deepseek/deepseek-chat", 2_266_868, 573_477, 0.8756),
    "DeepSeek-V3.2-Exp (Reasoner)": ("deepseek/deepseek-reasoner", 2_191_446, 1_645_129, 1.3045),
}


@pytest.mark.parametrize("label", sorted(AIDER_V32))
def test_deepseek_v32_exp_runs_reproduce_their_published_cost_with_no_user_sheet(sources, label):
    """At $0.28 in / $0.42 out (DeepSeek's price from 2025-09-29):
    chat 2.266868 x 0.28 + 0.573477 x 0.42 = 0.63472 + 0.24086 = $0.87558;
    reasoner 2.191446 x 0.28 + 1.645129 x 0.42 = 0.61360 + 0.69095 = $1.30456."""
    model, tokens_in, tokens_out, published = AIDER_V32[label]
    priced = attach_prices(
        rows({"model": model, "input_tokens": tokens_in, "output_tokens": tokens_out, "timestamp": "2025-10-03"}),
        sources,
        today=TODAY,
    )
    cost = price_rows(priced.rows, priced.table)["cost"].iloc[0]
    assert cost == pytest.approx(published, rel=0.01)
    entry = picked(priced)
    assert entry["price_layer"] == "correction"
    assert (entry["price_from"], entry["price_to"]) == ("2025-09-29", "2026-04-24")
    assert "api-docs.deepseek.com" in entry["price_source"]


@pytest.mark.parametrize(
    ("timestamp", "expected_in", "expected_out"),
    [
        pytest.param("2025-10-03T20:00:00Z", 0.28, 0.42, id="evening-after-2025-09-05-no-off-peak"),
        pytest.param("2025-09-10T22:00:00Z", 0.56, 1.68, id="evening-between-the-two-changes"),
        pytest.param("2025-06-01T20:00:00Z", 0.135, 0.55, id="evening-before-2025-09-05-off-peak"),
        pytest.param("2025-06-01T10:00:00Z", 0.27, 1.10, id="morning-before-2025-09-05-standard"),
        pytest.param("2025-09-05T15:59:00Z", 0.27, 1.10, id="just-before-the-change-instant"),
        pytest.param("2025-09-05T16:00:00Z", 0.56, 1.68, id="at-the-change-instant"),
    ],
)
def test_deepseek_chat_time_of_day_follows_its_history(sources, timestamp, expected_in, expected_out):
    """DeepSeek ended its 16:30-00:30 UTC off-peak discount at 2025-09-05 16:00 UTC (midnight
    Beijing), charging $0.56/$1.68 until the 2025-09-29 cut to $0.28/$0.42."""
    priced = attach_prices(
        rows({"model": "deepseek/deepseek-chat", "timestamp": timestamp, "time_known": True}), sources, today=TODAY
    )
    entry = picked(priced)
    assert (entry["input_mtok"], entry["output_mtok"]) == pytest.approx((expected_in, expected_out))


def test_a_date_only_row_on_a_change_day_gets_the_price_of_most_of_that_day(sources):
    """2025-09-05: the old price held until 16:00 UTC (16 hours), so a date-only row pays $0.27."""
    priced = attach_prices(rows({"model": "deepseek/deepseek-chat", "timestamp": "2025-09-05"}), sources, today=TODAY)
    assert picked(priced)["input_mtok"] == pytest.approx(0.27)


# --- first-party Qwen and other models only LiteLLM knows ----------------------------------------


def test_a_dashscope_qwen_model_is_priced_from_litellm(sources):
    """dashscope/qwen-plus in LiteLLM 1.110.2: $0.40 in / $1.20 out."""
    priced = attach_prices(
        rows({"model": "dashscope/qwen-plus", "input_tokens": 1_000_000, "output_tokens": 1_000_000}),
        sources,
        today=TODAY,
    )
    assert priced.unpriced == {}
    entry = picked(priced)
    assert (entry["input_mtok"], entry["output_mtok"]) == pytest.approx((0.40, 1.20))
    assert entry["price_layer"] == "litellm"
    assert entry["price_source"].startswith("LiteLLM 1.110.2 price map of 2026-11-20: dashscope/qwen-plus")
    assert price_rows(priced.rows, priced.table)["cost"].iloc[0] == pytest.approx(1.60)


def test_a_bare_qwen_id_goes_to_alibaba_first_party(sources):
    ident = resolve(sources.snapshot, sources.litellm, "", "qwen-plus")
    assert ident.litellm_key == "dashscope/qwen-plus"


def test_litellm_tiered_pricing_becomes_cliff_tiers():
    """dashscope/qwen3-max: $1.2/$6 to 32k prompt tokens, $2.4/$12 to 128k, $3/$15 above."""
    record = bundled_litellm().prices["dashscope/qwen3-max"]
    assert (record["input_mtok"], record["output_mtok"]) == pytest.approx((1.2, 6.0))
    flat = [v for t in record["tiers"] for v in (t["start"], t["input_mtok"], t["output_mtok"])]
    assert flat == pytest.approx([32_000, 2.4, 12.0, 128_000, 3.0, 15.0])


# --- precedence: custom > correction > genai-prices > litellm --------------------------------------


def correction(**values) -> Correction:
    base = {
        "provider": "openai",
        "model": "o3-pro",
        "effective_from": "2025-01-01",
        "input_mtok": 11.0,
        "output_mtok": 44.0,
        "source": "https://example.test/prices",
        "checked_on": "2026-11-25",
    }
    return Correction.model_validate({**base, **values})


def test_precedence_of_the_layers_with_literal_prices():
    """o3-pro on 2026-01-10, one million input tokens: a custom sheet at $5 wins; without it the
    correction at $11; without that genai-prices' $20; a model only LiteLLM knows, LiteLLM's price."""
    snapshot = bundled()
    litellm = bundled_litellm()
    row = rows({"provider": "openai", "model": "o3-pro", "input_tokens": 1_000_000, "timestamp": "2026-01-10"})
    sheet = CustomPrice(
        provider="openai", model="o3-pro", input_mtok=5.0, output_mtok=20.0, source="contract", checked_on=TODAY
    )
    layered = PriceSources(snapshot, [correction()], None, litellm)
    assert picked(attach_prices(row, layered, [sheet], today=TODAY))["input_mtok"] == 5.0
    assert picked(attach_prices(row, layered, today=TODAY))["input_mtok"] == 11.0
    assert picked(attach_prices(row, PriceSources(snapshot, [], None, litellm), today=TODAY))["input_mtok"] == 20.0
    only_litellm = rows({"model": "dashscope/qwen-max", "input_tokens": 1_000_000, "timestamp": "2026-11-21"})
    assert picked(attach_prices(only_litellm, layered, today=TODAY))["input_mtok"] == pytest.approx(1.6)


def test_a_correction_applies_only_inside_its_period():
    """The correction covers 2025-01-01 to 2025-07-01: a row of 2025-08-01 falls through to genai-prices."""
    layered = PriceSources(bundled(), [correction(effective_to="2025-07-01")])
    priced = attach_prices(
        rows(
            {"provider": "openai", "model": "o3-pro", "timestamp": "2025-03-01"},
            {"provider": "openai", "model": "o3-pro", "timestamp": "2025-08-01"},
        ),
        layered,
        today=TODAY,
    )
    assert [picked(priced, i)["input_mtok"] for i in (0, 1)] == [11.0, 20.0]
    assert [picked(priced, i)["price_layer"] for i in (0, 1)] == ["correction", "genai-prices"]


# --- no price before its history ----------------------------------------------------------------


def test_a_row_before_a_model_s_recorded_history_is_labelled():
    """genai-prices recorded o3-pro from 2025-06-22 (history). A row of 2025-01-10 with tokens and no
    observed cost gets that earliest price with a note; with an observed cost it keeps its own cost."""
    history = GenaiHistory({("openai", "o3-pro"): ModelHistory(date(2025, 6, 22), date(2025, 6, 22))})
    layered = PriceSources(bundled(), [], history)
    priced = attach_prices(
        rows(
            {"provider": "openai", "model": "o3-pro", "input_tokens": 1_000_000, "timestamp": "2025-01-10"},
            {
                "provider": "openai",
                "model": "o3-pro",
                "input_tokens": 1_000_000,
                "timestamp": "2025-01-10",
                "cost_usd": 9.0,
            },
            {"provider": "openai", "model": "o3-pro", "input_tokens": 1_000_000, "timestamp": "2025-07-01"},
        ),
        layered,
        today=TODAY,
    )
    assert priced.rows["outside_history"].tolist() == [True, True, False]
    first = picked(priced, 0)
    assert first["input_mtok"] == 20.0
    assert first["price_note"] == "earliest recorded price (recorded from 2025-06-22); the row is dated before it"
    assert first["price_from"] == "2025-06-22"
    assert priced.rows["price_id"].iloc[1] == -1  # its own observed cost is used
    cost = price_rows(priced.rows, priced.table)
    assert cost["cost_basis"].tolist() == ["priced", "observed", "priced"]
    assert picked(priced, 2)["price_note"] == ""


# --- repricing flags and which cost ranks -----------------------------------------------------------


def test_repricing_flag_and_the_published_cost_switch():
    """Model A: 1M input at $1 = $1.00 repriced, published $2.00 (ratio 0.5): flagged; B agrees."""
    frame = measurement_rows(
        [
            {"model": "A", "attempts": 10, "successes": 5, "input_tokens": 1_000_000, "cost_usd": 2.0},
            {"model": "B", "attempts": 10, "successes": 5, "input_tokens": 1_000_000, "cost_usd": 1.04},
        ]
    )
    table = price_table([{"input_mtok": 1.0, "output_mtok": 1.0}])
    repriced = summarise(frame, table).set_index("model")
    assert repriced.loc["A", "repricing_flag"] == "repriced below the published cost: token counts look incomplete"
    assert repriced.loc["B", "repricing_flag"] == ""
    assert repriced.loc["A", "repriced_vs_published"] == pytest.approx(0.5)
    assert repriced.loc["A", "total_cost"] == pytest.approx(1.0)
    published = summarise(frame, table, CompareOptions(prefer_published=True)).set_index("model")
    assert published.loc["A", "total_cost"] == pytest.approx(2.0)
    assert published.loc["A", "cost_basis"] == "observed"
    assert published.loc["A", "price_source"] == "published cost_usd (the repriced cost disagrees)"
    assert published.loc["B", "total_cost"] == pytest.approx(1.0)  # agrees: the repriced cost stays


# --- bill-weighted per-token discount ---------------------------------------------------------------


def test_bill_weighted_discount_with_time_of_day_rows():
    """A paid $0.27/$1.10 on 9 rows (peak) and $0.135/$0.55 on 1 (off-peak), each 1,000 in / 100 out.
    Bill-weighted A: input (9 x 1000 x 0.27 + 1000 x 0.135) / 10,000 = 0.2565; output
    (9 x 100 x 1.10 + 100 x 0.55) / 1,000 = 1.045. B ($2/$8) is the baseline, its mix 1,000 in /
    100 out: at B's prices 2,000 + 800 = 2,800; at A's 256.5 + 104.5 = 361; discount 2,800 / 361 =
    7.7562 (the last row's off-peak price alone would have said 2,800 / 190 = 14.74)."""
    a = [{"model": "A", "input_tokens": 1000, "output_tokens": 100, "price_id": 0, "successes": 1}] * 9
    a += [{"model": "A", "input_tokens": 1000, "output_tokens": 100, "price_id": 1, "successes": 1}]
    b = [{"model": "B", "input_tokens": 1000, "output_tokens": 100, "price_id": 2, "successes": 1}]
    table = price_table(
        [
            {"input_mtok": 0.27, "output_mtok": 1.10},
            {"input_mtok": 0.135, "output_mtok": 0.55},
            {"input_mtok": 2.0, "output_mtok": 8.0},
        ]
    )
    s = summarise(measurement_rows(a + b), table, CompareOptions(baseline="B")).set_index("model")
    assert s.loc["A", "discount_per_token"] == pytest.approx(2800 / 361, rel=1e-12)
    assert round(s.loc["A", "discount_per_token"], 4) == 7.7562


# --- provider resolution -------------------------------------------------------------------------


def test_bare_glm_resolves_to_the_international_first_party_and_says_so(sources):
    """genai-prices alone picks zhipuai (China market, $0.276 in); Z.ai's international price is $0.60."""
    priced = attach_prices(rows({"model": "glm-4.7", "input_tokens": 1_000_000}), sources, today=TODAY)
    entry = picked(priced)
    assert entry["provider_id"] == "zai"
    assert entry["input_mtok"] == pytest.approx(0.60)
    assert "zhipuai also lists it" in priced.notes["glm-4.7"]
    chosen = attach_prices(rows({"provider": "zhipuai", "model": "glm-4.7"}), sources, today=TODAY)
    assert picked(chosen)["input_mtok"] == pytest.approx(0.276)
    assert chosen.notes == {}


@pytest.mark.parametrize(
    ("reference", "genai", "litellm"),
    [
        ("fireworks_ai/accounts/fireworks/models/qwq-32b", None, "fireworks_ai/accounts/fireworks/models/qwq-32b"),
        ("together_ai/deepseek-ai/DeepSeek-V3", None, "together_ai/deepseek-ai/deepseek-v3"),
        ("bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0", "aws", "anthropic.claude-3-5-sonnet-20240620-v1:0"),
        ("vertex_ai/gemini-2.5-pro", "google", None),
        ("dashscope/qwen-plus", None, "dashscope/qwen-plus"),
        ("moonshot/kimi-k2-0711-preview", "moonshotai", None),
        ("gemini/gemini-2.5-pro", "google", "gemini/gemini-2.5-pro"),
    ],
)
def test_litellm_prefixes_resolve(sources, reference, genai, litellm):
    ident = resolve(sources.snapshot, sources.litellm, "", reference)
    assert (ident.genai[0].id if ident.genai else None) == genai
    assert ident.litellm_key == litellm


# --- disagreements and staleness -------------------------------------------------------------------


def test_a_disagreement_between_a_correction_and_genai_prices_is_flagged(sources):
    """deepseek-chat on 2026-07-01 (an alias of deepseek-v4-flash): our correction says $0.14/$0.28,
    genai-prices still its January-2025 $0.27/$1.10."""
    found = disagreements(layer_prices(sources, [("", "deepseek/deepseek-chat")], date(2026, 7, 1)))
    assert len(found) == 1
    row = found.iloc[0]
    assert (row["layer"], row["other_layer"]) == ("correction", "genai-prices")
    assert (row["output_mtok"], row["other_output_mtok"]) == pytest.approx((0.28, 1.10))
    assert row["largest_gap"] == pytest.approx(1.10 / 0.28 - 1)


def test_a_retired_name_has_no_price_to_disagree_about(sources):
    """From 2026-07-24 15:59 UTC DeepSeek serves no model as deepseek-chat: the retired row wins,
    and the libraries' prices below it (genai-prices $0.27/$1.10, LiteLLM $0.28/$0.42) price nothing."""
    prices = layer_prices(sources, [("", "deepseek/deepseek-chat")], TODAY)
    assert prices["layer"].tolist() == ["correction", "genai-prices", "litellm"]
    assert prices.loc[0, ["input_mtok", "output_mtok"]].isna().all()
    assert disagreements(prices).empty


def test_staleness_and_the_oldest_price_in_use(sources):
    frame = rows(
        {"model": "deepseek/deepseek-chat", "input_tokens": 1, "timestamp": "2026-07-20"},
        {"model": "mistral/mistral-large-latest", "input_tokens": 1, "timestamp": "2026-11-20"},
        {"model": "dashscope/qwen-plus", "input_tokens": 1, "timestamp": "2026-11-21"},
    )
    comparison = compare_measurements(frame, sources, today=TODAY)
    aged = staleness(comparison.prices_in_use, TODAY).set_index("model")
    # genai-prices last changed or checked mistral-large-latest on 2025-07-04: 509 days before 2026-11-25.
    assert aged.loc["mistral-large", ["layer", "checked_on", "age_days"]].tolist() == [
        "genai-prices",
        "2025-07-04",
        509,
    ]
    assert bool(aged.loc["mistral-large", "stale"]) is True
    assert aged.loc["deepseek-chat", ["layer", "age_days"]].tolist() == ["correction", 0]
    assert aged.loc["qwen-plus", "layer"] == "litellm"
    assert not aged.loc["qwen-plus", "stale"]
    assert oldest_in_use(comparison.prices_in_use, TODAY) == ("mistral/mistral-large-latest", "2025-07-04", 509)


# --- retired names -------------------------------------------------------------------------------


def test_rows_after_a_retirement_are_unpriced_with_the_reason(sources):
    """deepseek-chat and deepseek-reasoner were aliases of deepseek-v4-flash ($0.14 in, $0.0028
    cache hit, $0.28 out) until DeepSeek retired both names on 2026-07-24 15:59 UTC."""
    frame = rows(
        {
            "model": "deepseek/deepseek-chat",
            "task_id": "a",
            "input_tokens": 1e6,
            "output_tokens": 1e6,
            "timestamp": "2026-07-24T15:58:59Z",
            "time_known": True,
        },
        {
            "model": "deepseek/deepseek-chat",
            "task_id": "b",
            "input_tokens": 1e6,
            "output_tokens": 1e6,
            "timestamp": "2026-07-24T15:59:00Z",
            "time_known": True,
        },
        {
            "model": "deepseek/deepseek-reasoner",
            "task_id": "a",
            "input_tokens": 2e6,
            "cache_read_tokens": 1e6,
            "output_tokens": 1e6,
            "timestamp": "2026-05-10T12:00:00Z",
        },
        {
            "model": "deepseek/deepseek-reasoner",
            "task_id": "b",
            "input_tokens": 1e6,
            "output_tokens": 1e6,
            "cost_usd": 0.5,
            "timestamp": "2026-08-01T12:00:00Z",
        },
    )
    priced = attach_prices(frame, sources, today=TODAY)
    assert (picked(priced, 0)["input_mtok"], picked(priced, 0)["output_mtok"]) == pytest.approx((0.14, 0.28))
    assert np.isnan(picked(priced, 1)["input_mtok"]) and np.isnan(picked(priced, 1)["output_mtok"])
    assert picked(priced, 2)[["input_mtok", "cache_read_mtok", "output_mtok"]].tolist() == pytest.approx(
        [0.14, 0.0028, 0.28]
    )
    assert set(priced.unpriced) == {"deepseek/deepseek-chat", "deepseek/deepseek-reasoner"}
    assert priced.unpriced["deepseek/deepseek-chat"].startswith(
        "retired by the provider from 2026-07-24T15:59Z: no price for a row dated then"
    )
    bills = price_rows(priced.rows, priced.table)
    # Never $0: the retired row without a cost is unpriced; the one with its own cost keeps it.
    assert bills["cost_basis"].tolist() == ["priced", "unpriced", "priced", "observed"]
    assert bills["cost"].iloc[0] == pytest.approx(0.14 + 0.28)
    assert bills["cost"].iloc[2] == pytest.approx(0.14 + 0.0028 + 0.28)
    assert bills["cost"].iloc[3] == pytest.approx(0.5)


# --- the corrections file --------------------------------------------------------------------------

HEADER = "provider,model,effective_from,effective_to,utc_from,utc_to,input_mtok,output_mtok,source,checked_on\n"


def test_the_bundled_corrections_file_is_valid_and_sourced():
    from pricing.corrections import load_corrections

    loaded = load_corrections()
    assert len(loaded) >= 20
    assert all(c.source.startswith("http") for c in loaded)


def test_a_correction_without_a_source_is_refused_with_file_line_and_field():
    data = (HEADER + "deepseek,deepseek-chat,2025-09-29,,,,0.28,0.42,,2026-11-25\n").encode()
    with pytest.raises(InputError) as error:
        parse_corrections(data, "corrections.csv")
    assert str(error.value) == "corrections.csv, line 2, column 'source': Field required"


def test_overlapping_periods_are_refused_naming_both_lines():
    data = (
        HEADER
        + "deepseek,deepseek-chat,2025-09-29,2025-12-01,,,0.28,0.42,https://api-docs.deepseek.com/x,2026-11-25\n"
        + "deepseek,deepseek-chat,2025-11-01,,,,0.30,0.50,https://api-docs.deepseek.com/y,2026-11-25\n"
    ).encode()
    with pytest.raises(InputError) as error:
        parse_corrections(data, "corrections.csv")
    assert str(error.value) == (
        "corrections.csv, line 3, column 'effective_from': deepseek/deepseek-chat: its period overlaps the one on "
        "line 2; expected periods (and daily windows) of one model that do not overlap"
    )


def test_a_window_may_sit_over_an_all_day_price_but_two_windows_may_not_overlap():
    window = "deepseek,deepseek-v4-flash,2026-08-16T16:00Z,2026-09-10,{},{},{},{},https://api-docs.deepseek.com/x,2026-11-25\n"
    ok = HEADER + window.format("", "", 0.22, 0.66) + window.format("01:00", "04:00", 0.44, 1.32)
    parsed = parse_corrections(ok.encode(), "c.csv")
    assert [c.effective_from for _, c in parsed] == [datetime(2026, 8, 16, 16, 0)] * 2
    clash = ok + window.format("03:00", "05:00", 0.5, 1.5)
    with pytest.raises(InputError, match="line 4, column 'effective_from'"):
        parse_corrections(clash.encode(), "c.csv")


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ("2025-09-29,2025-09-01,,,0.28,0.42", "effective_to must be after effective_from"),
        ("2025-09-29,,16:30,,0.28,0.42", "utc_from and utc_to go together (both or neither)"),
        ("2025-09-29,,,,-1,0.42", "Input should be greater than or equal to 0"),
        ("2025-09-29,,,,inf,0.42", "Input should be a finite number"),
        ("2025-09-05T16:00,,,,0.28,0.42", "an instant needs its UTC offset (e.g. 2025-09-05T16:00Z)"),
        ("2025-09-29,,,,,0.42", "input_mtok and output_mtok are required (empty only on a retired row)"),
    ],
)
def test_bad_correction_values_are_refused(values, message):
    data = (HEADER + f"deepseek,deepseek-chat,{values},https://api-docs.deepseek.com/x,2026-11-25\n").encode()
    with pytest.raises(InputError, match="line 2") as error:
        parse_corrections(data, "c.csv")
    assert message in str(error.value)
    assert np.char.count(str(error.value), "\n") == 0


def test_the_unpriced_list_gives_a_retired_name_its_reason(sources):
    # The data names the provider in its own column: the reason is keyed by provider/model.
    frame = rows(
        {"model": "deepseek-chat", "provider": "deepseek", "input_tokens": 1e6, "timestamp": "2026-08-01T12:00:00Z"},
        {"model": "internal-model", "provider": "acme", "input_tokens": 1e6, "timestamp": "2026-08-01T12:00:00Z"},
    )
    comparison = compare_measurements(frame, sources, today=TODAY)
    listing = unpriced_models(comparison.summary, comparison.unpriced).set_index("model")
    assert listing.loc["deepseek-chat", "why"].startswith("retired by the provider from 2026-07-24T15:59Z")
    # Before, a reason keyed by provider/model was missed and the generic one shown.
    assert listing.loc["internal-model", "why"] == "Unable to find provider provider_id='acme'"


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ("2026-07-24T15:59Z,,,,true,0.14,", "a retired row has no prices: the name has none from effective_from"),
        ("2026-07-24T15:59Z,,16:30,00:30,true,,", "a retirement is for all day: leave utc_from and utc_to empty"),
    ],
)
def test_a_retired_row_has_no_price_and_no_window(values, message):
    header = (
        "provider,model,effective_from,effective_to,utc_from,utc_to,retired,input_mtok,output_mtok,source,checked_on\n"
    )
    data = (header + f"deepseek,deepseek-chat,{values},https://api-docs.deepseek.com/x,2026-11-26\n").encode()
    with pytest.raises(InputError) as error:
        parse_corrections(data, "c.csv")
    assert str(error.value) == f"c.csv, line 2: {message}"
