"""Bundled datasets: the registry, ``tokenomics datasets``, ``compare --dataset``, never pooled."""

from __future__ import annotations

import csv
import io
import json

import pytest

from cli.main import main
from inputs.datasets import parse_registry, registry_frame
from tokenomics.errors import InputError


def test_the_registry_counts_rows_and_models_from_the_files():
    frame = registry_frame().set_index("id")
    assert frame.loc["aider-polyglot", ["rows", "models", "licence"]].tolist() == [69, 69, "Apache-2.0"]
    assert frame.loc["lrm-token-economy", ["rows", "models", "licence"]].tolist() == [2178, 23, "Apache-2.0"]
    assert frame.loc["aime-2024-vs-2025", ["kind", "rows"]].tolist() == ["haircut presets", 19]


def test_datasets_command_formats(capsys):
    assert main(["datasets", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["id"] for r in rows] == ["aider-polyglot", "lrm-token-economy", "aime-2024-vs-2025"]
    assert list(rows[0])[:7] == ["id", "name", "unit", "rows", "models", "licence", "source"]
    assert main(["datasets", "--format", "json"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert records[1]["unit"] == "one attempt of one model on one prompt (19 prompts x 5 samples)"
    assert main(["datasets"]) == 0
    assert "lrm-token-economy" in capsys.readouterr().out


def test_a_registry_row_without_a_source_is_refused():
    text = "id,name,kind,unit,file,licence,source,as_of\nx,X,measurements,a run,x.csv,MIT,,2025-01-01\n"
    with pytest.raises(InputError, match="line 2, column 'source'"):
        parse_registry(text, "datasets.csv")


def test_compare_one_dataset(capsys):
    assert main(["compare", "--dataset", "lrm-token-economy", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == 23
    assert {r["dataset"] for r in rows} == {"lrm-token-economy"}
    # The most successful model that passed the plausibility check is the default baseline.
    assert {r["baseline"] for r in rows} == {"deepseek-r1-0528"}


def test_two_datasets_are_compared_apart_never_pooled(capsys):
    assert main(["compare", "--dataset", "aider-polyglot", "--dataset", "lrm-token-economy", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    baselines = {(r["dataset"], r["baseline"]) for r in rows}
    assert baselines == {("aider-polyglot", "gpt-5 (high)"), ("lrm-token-economy", "deepseek-r1-0528")}
    frontier = {r["dataset"] for r in rows if r["on_frontier"] == "True"}
    assert frontier == {"aider-polyglot", "lrm-token-economy"}
    assert main(["compare", "--dataset", "aider-polyglot", "--dataset", "lrm-token-economy"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("dataset aider-polyglot:\n") and "\n\ndataset lrm-token-economy:\n" in out


def test_unknown_dataset(capsys):
    assert main(["compare", "--dataset", "nope"]) == 2
    assert capsys.readouterr().err.startswith("error: option '--dataset': unknown dataset 'nope'")


def test_cost_of_pass_on_single_sample_data_says_it_is_infinite_by_construction(tmp_path, capsys):
    path = tmp_path / "one.csv"
    path.write_text("model,task_id,success,cost_usd\na,t1,true,1\na,t2,false,1\n")
    assert main(["compare", "--measurements", str(path), "--cost-of-pass", "--format", "csv"]) == 0
    captured = capsys.readouterr()
    assert "note: cost-of-pass is infinite by construction on this data" in captured.err
    assert next(csv.DictReader(io.StringIO(captured.out)))["cost_of_pass"] == "inf"
