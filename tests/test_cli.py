"""The command line, in-process (``cli.main.main``) and as a real ``python -m tokenomics``."""

from __future__ import annotations

import csv
import io
import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

from cli.main import main

ROOT = Path(__file__).resolve().parent.parent
BAD = Path(__file__).resolve().parent / "bad_files"

FIRST_COLUMNS = [
    "model",
    "provider",
    "attempts",
    "successes",
    "success_rate",
    "success_low",
    "success_high",
    "cost_per_attempt",
    "total_cost",
    "cost_per_success",
    "cps_low",
    "cps_high",
    "price_source",
]

# One model that never succeeded (observed cost only), one priced from tokens by genai-prices
# (gpt-4o-mini: $0.15 in / $0.60 out per million), one nobody can price.
MIXED = """\
model,date,attempts,successes,input_tokens,output_tokens,cost_usd
zero-model,2025-10-03,10,0,,,1.5
gpt-4o-mini,2025-10-03,10,4,1000000,100000,
mystery-model-xyz,2025-10-03,10,5,,,
"""

DEEPSEEK_PRICES = """\
provider,model,input_mtok,cache_read_mtok,cache_write_mtok,output_mtok,source,checked_on
deepseek,deepseek-chat,0.28,0.028,,0.42,https://api-docs.deepseek.com/quick_start/pricing,2025-10-01
"""


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["compare", *args])
    out, err = capsys.readouterr()
    return code, out, err


def rows_of_csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def by_model(rows: list[dict]) -> dict[str, dict]:
    return {r["model"]: r for r in rows}


@pytest.fixture
def mixed(tmp_path: Path) -> Path:
    path = tmp_path / "mixed.csv"
    path.write_text(MIXED, encoding="utf-8")
    return path


@pytest.fixture
def per_attempt(tmp_path: Path) -> Path:
    lines = ["model,task_id,success,input_tokens,output_tokens,timestamp"]
    for task in range(1, 6):
        lines.append(f"gpt-4o-mini,t{task},true,1000,200,2025-10-03T10:00:00Z")
        lines.append(f"gpt-4o-mini,t{task},false,1000,200,2025-10-03T10:01:00Z")
    path = tmp_path / "attempts.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_prices_older_than_the_threshold_are_named_on_stderr(capsys):
    """o3-pro's price in use was last changed or checked on 2025-06-22 (genai-prices)."""
    code, _, err = run(capsys, "--format", "csv")
    assert code == 0
    warning = next(line for line in err.splitlines() if line.startswith("warning:"))
    assert "more than 180 days ago" in warning
    assert "o3-pro (high) (2025-06-22, " in warning
    code, _, err = run(capsys, "--format", "csv", "--stale-days", "100000")
    assert code == 0
    assert "warning:" not in err


def test_stale_prices_counts_days_from_today():
    from datetime import date

    import pandas as pd

    from cli.commands.compare import stale_prices

    sheet = pd.DataFrame({"models": ["a", "b", "c"], "checked_on": ["2025-01-01", "2025-06-01", ""]})
    assert stale_prices(sheet, 180, date(2025, 7, 1)) == [
        "1 price(s) in use were last changed or checked more than 180 days ago: a (2025-01-01, 181 days). "
        "Check them at their source; a price sheet (--prices) overrides them."
    ]
    assert stale_prices(sheet, 181, date(2025, 7, 1)) == []


# --- the bundled Aider leaderboard ----------------------------------------------------


def test_default_table_on_bundled_data(capsys):
    code, out, err = run(capsys)
    assert code == 0
    lines = out.rstrip("\n").split("\n")
    assert len(lines) == 1 + 69
    header = lines[0]
    for title in ("model", "solved", "success (95% CI)", "cost/attempt", "cost/success (95% CI)", "price", "check"):
        assert title in header
    o3_pro = next(line for line in lines if "o3-pro (high)" in line)
    assert "191/225" in o3_pro
    assert "84.9%" in o3_pro
    assert "$0.766" in o3_pro  # 146.32488 / 191, three significant digits (tokenomics.format.money)
    assert "genai-prices" in o3_pro  # the layer that priced it; the full source is in CSV/JSON
    unpriced = next(line for line in lines if "Gemini 2.0 Pro exp-02-05" in line)
    assert "80/225" in unpriced
    assert "unpriced" in unpriced
    assert "$0.0000" not in unpriced
    # Unpriced models are reported on stderr as notes, old prices as a warning; nothing is an error.
    assert all(line.startswith(("note: ", "warning: ")) for line in err.splitlines())
    assert "note: no list price for gemini/gemini-2.0-pro-exp-02-05" in err


def test_csv_columns_and_rates(capsys):
    code, out, _ = run(capsys, "--format", "csv")
    assert code == 0
    header = out.split("\n", 1)[0].split(",")
    assert header[: len(FIRST_COLUMNS)] == FIRST_COLUMNS
    rows = rows_of_csv(out)
    assert len(rows) == 69
    for row in rows:
        rate, low, high = (float(row[c]) for c in ("success_rate", "success_low", "success_high"))
        assert 0.0 <= low <= rate <= high <= 1.0
        assert int(row["successes"]) <= int(row["attempts"])
    o3_pro = by_model(rows)["o3-pro (high)"]
    assert o3_pro["provider"] == "openai"
    assert (o3_pro["attempts"], o3_pro["successes"]) == ("225", "191")
    assert round(float(o3_pro["total_cost"]), 2) == 146.32
    assert round(float(o3_pro["cost_per_success"]), 4) == 0.7661
    assert float(o3_pro["cps_low"]) < float(o3_pro["cost_per_success"]) < float(o3_pro["cps_high"])


def test_json_parses_with_the_same_columns(capsys):
    code, out, _ = run(capsys, "--format", "json")
    assert code == 0
    records = json.loads(out)
    assert isinstance(records, list)
    assert len(records) == 69
    assert list(records[0])[: len(FIRST_COLUMNS)] == FIRST_COLUMNS
    o3_pro = next(r for r in records if r["model"] == "o3-pro (high)")
    assert o3_pro["successes"] == 191
    assert round(o3_pro["total_cost"], 2) == 146.32
    unpriced = next(r for r in records if r["model"] == "Gemini 2.0 Pro exp-02-05")
    assert unpriced["total_cost"] is None
    assert unpriced["cost_per_success"] is None
    assert unpriced["price_source"] == "unpriced"


def test_custom_price_reproduces_aider_published_deepseek_cost(capsys, tmp_path: Path):
    prices = tmp_path / "prices.csv"
    prices.write_text(DEEPSEEK_PRICES, encoding="utf-8")
    code, out, _ = run(capsys, "--as-of", "2025-10-03", "--prices", str(prices), "--format", "csv")
    assert code == 0
    row = by_model(rows_of_csv(out))["DeepSeek-V3.2-Exp (Chat)"]
    # 2,266,868 x $0.28/M + 573,477 x $0.42/M = $0.87558; Aider published $0.8756.
    assert round(float(row["total_cost"]), 2) == 0.88
    assert abs(float(row["total_cost"]) - 0.8756) < 0.005
    assert round(float(row["total_cost"]), 4) == 0.8756
    assert row["price_source"] == "custom: https://api-docs.deepseek.com/quick_start/pricing"
    assert row["cost_basis"] == "priced"


# --- inf, unpriced, bootstrap -------------------------------------------------------------


def test_zero_success_is_inf_and_unpriced_is_empty_in_csv(capsys, mixed: Path):
    code, out, _ = run(capsys, "--measurements", str(mixed), "--format", "csv")
    assert code == 0
    rows = by_model(rows_of_csv(out))
    # Ranked by cost per solved task: finite first, unbounded (inf) next, unknown (unpriced) last.
    assert list(rows) == ["gpt-4o-mini", "zero-model", "mystery-model-xyz"]

    zero = rows["zero-model"]
    assert zero["successes"] == "0"
    assert zero["total_cost"] == "1.5"
    assert zero["cost_per_success"] == "inf"
    assert zero["cps_high"] == "inf"
    assert math.isfinite(float(zero["cps_low"]))
    assert zero["price_source"] == "observed cost_usd"

    priced = rows["gpt-4o-mini"]
    assert round(float(priced["total_cost"]), 6) == 0.21  # 1M x 0.15/M + 0.1M x 0.60/M
    assert round(float(priced["cost_per_success"]), 6) == 0.0525
    assert priced["provider"] == "openai"

    unpriced = rows["mystery-model-xyz"]
    for col in ("cost_per_attempt", "total_cost", "cost_per_success", "cps_low", "cps_high"):
        assert unpriced[col] == "", col
    assert unpriced["price_source"] == "unpriced"


def test_zero_success_is_the_string_inf_and_unpriced_is_null_in_json(capsys, mixed: Path):
    code, out, err = run(capsys, "--measurements", str(mixed), "--format", "json")
    assert code == 0
    records = {r["model"]: r for r in json.loads(out)}
    assert records["zero-model"]["cost_per_success"] == "inf"
    assert records["zero-model"]["cps_high"] == "inf"
    assert records["zero-model"]["total_cost"] == 1.5
    for col in ("cost_per_attempt", "total_cost", "cost_per_success", "cps_low", "cps_high"):
        assert records["mystery-model-xyz"][col] is None, col
    assert "note: no list price for mystery-model-xyz" in err


def test_table_shows_unbounded_and_unpriced_words(capsys, mixed: Path):
    code, out, _ = run(capsys, "--measurements", str(mixed))
    assert code == 0
    lines = out.splitlines()
    assert "unbounded" in next(line for line in lines if line.lstrip().startswith("zero-model"))
    assert "unpriced" in next(line for line in lines if line.lstrip().startswith("mystery-model-xyz"))


def test_file_of_models_genai_prices_does_not_know(capsys, tmp_path: Path):
    """In-house models: one with an observed cost, one with none; nothing for genai-prices to price."""
    path = tmp_path / "in_house.csv"
    path.write_text("model,attempts,successes,cost_usd\nin-house-a,10,5,1.0\nin-house-b,10,5,\n", encoding="utf-8")
    code, out, _ = run(capsys, "--measurements", str(path), "--format", "csv")
    assert code == 0
    rows = by_model(rows_of_csv(out))
    assert float(rows["in-house-a"]["cost_per_success"]) == 0.2
    assert rows["in-house-a"]["price_source"] == "observed cost_usd"
    assert rows["in-house-b"]["cost_per_success"] == ""
    assert rows["in-house-b"]["price_source"] == "unpriced"


def test_per_attempt_file_with_tasks_gets_a_task_bootstrap(capsys, per_attempt: Path):
    code, out, _ = run(capsys, "--measurements", str(per_attempt), "--format", "json")
    assert code == 0
    (record,) = json.loads(out)
    assert record["model"] == "gpt-4o-mini"
    assert (record["attempts"], record["successes"]) == (10, 5)
    assert record["cps_interval"] == "bootstrap over 5 tasks"
    # Every task costs the same and is solved once: the bootstrap cannot move the ratio.
    # 2 x (1000 x 0.15 + 200 x 0.60) / 1e6 = $0.00054 per solved task.
    assert round(record["cost_per_success"], 8) == 0.00054
    assert round(record["cps_low"], 8) == round(record["cps_high"], 8) == 0.00054


def test_known_baseline_is_used(capsys, mixed: Path):
    code, out, _ = run(capsys, "--measurements", str(mixed), "--format", "csv", "--baseline", "zero-model")
    assert code == 0
    assert {r["baseline"] for r in rows_of_csv(out)} == {"zero-model"}


# --- bad input: exit 2, one line ---------------------------------------------------------


def test_bad_measurements_exit_2_with_one_line(capsys):
    bad = BAD / "negative_tokens.csv"
    code, out, err = run(capsys, "--measurements", str(bad))
    assert code == 2
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"error: {bad}, line 3, column 'input_tokens': negative value")


def test_unknown_baseline_exits_2_naming_it(capsys, mixed: Path):
    code, out, err = run(capsys, "--measurements", str(mixed), "--baseline", "no-such-model")
    assert code == 2
    assert out == ""
    errors = [line for line in err.splitlines() if not line.startswith("note: ")]
    assert len(errors) == 1
    assert "'no-such-model'" in errors[0]
    assert "baseline" in errors[0]
    assert "gpt-4o-mini, mystery-model-xyz, zero-model" in errors[0]


def test_bad_price_sheet_exits_2_naming_line_and_field(capsys, tmp_path: Path):
    prices = tmp_path / "prices.csv"
    prices.write_text(DEEPSEEK_PRICES.replace("0.28", "-0.28"), encoding="utf-8")
    code, out, err = run(capsys, "--prices", str(prices))
    assert code == 2
    assert out == ""
    errors = [line for line in err.splitlines() if not line.startswith("note: ")]
    assert len(errors) == 1
    assert errors[0].startswith(f"error: {prices}, line 2, column 'input_mtok'")


def test_bad_date_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as info:
        main(["compare", "--as-of", "03/10/2025"])
    assert info.value.code == 2
    assert "not a date: '03/10/2025'" in capsys.readouterr().err


# --- a real process -------------------------------------------------------------------------


def python_m(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-W", "error", "-m", "tokenomics", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_subprocess_compare_csv():
    proc = python_m("compare", "--format", "csv")
    assert proc.returncode == 0, proc.stderr
    rows = rows_of_csv(proc.stdout)
    assert len(rows) == 69
    assert list(rows[0])[: len(FIRST_COLUMNS)] == FIRST_COLUMNS
    assert round(float(by_model(rows)["o3-pro (high)"]["total_cost"]), 2) == 146.32


def test_subprocess_bad_input_exits_2():
    bad = BAD / "success_maybe.csv"
    proc = python_m("compare", "--measurements", str(bad))
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr.splitlines() == [
        f"error: {bad}, line 3, column 'success': not a yes/no value (found 'maybe'); "
        "expected true/false, 1/0, yes/no or pass/fail"
    ]


def test_sort_orders_rows_and_input_keeps_the_data_order(capsys, mixed: Path):
    code, out, _ = run(capsys, "--measurements", str(mixed), "--format", "csv", "--sort", "input")
    assert code == 0
    assert list(by_model(rows_of_csv(out))) == ["zero-model", "gpt-4o-mini", "mystery-model-xyz"]
    code, out, _ = run(capsys, "--measurements", str(mixed), "--format", "csv", "--sort", "model")
    assert list(by_model(rows_of_csv(out))) == ["gpt-4o-mini", "mystery-model-xyz", "zero-model"]


def test_prices_check_names_models_and_retired_names(tmp_path, capsys):
    path = tmp_path / "models.csv"
    path.write_text("provider,model,task_id,success\ndeepseek,deepseek-chat,t1,true\n", encoding="utf-8")
    assert main(["prices", "check", "--measurements", str(path), "--day", "2026-07-01"]) == 0
    table = capsys.readouterr().out
    # Our correction (V4 Flash alias) against genai-prices' January-2025 price, named provider/model.
    assert "deepseek/deepseek-chat correction $0.14 / $0.28" in " ".join(table.split())
    assert main(["prices", "check", "--measurements", str(path), "--day", "2026-11-25"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("No two price layers disagree by more than 5% for the 1 models checked (2026-11-25).")
    assert "deepseek/deepseek-chat: retired by the provider from 2026-07-24T15:59Z, no price on 2026-11-25" in out
