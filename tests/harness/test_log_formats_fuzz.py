"""Fuzzing the import readers: any input gives rows or one clean InputError, never another exception.

Inputs are random bytes, random JSON lines, and the fixtures with one field replaced by a random
JSON value (the likeliest way a real file goes wrong: the right shape with one odd value).
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from harness.log_formats import FORMATS, LogOptions, convert, import_sources
from harness.log_formats._read import Source
from tokenomics.errors import InputError

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "import"
JSON_FIXTURES = {
    "swebench": "swe-bench-leaderboards.json",
    "eee": "eee_samples.jsonl",
    "harbor": "harbor/jobs/2026-01-02__10-00-00/demo-task__Ab12Cd3/result.json",
    "otlp": "otel_traces.jsonl",
    "langfuse": "langfuse_observations.jsonl",
    "litellm": "litellm_spendlogs.jsonl",
    "openrouter": "openrouter_generations.jsonl",
}
FUZZ = settings(max_examples=40, deadline=None)

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=8,
)


def options(fmt: str) -> LogOptions:
    return LogOptions(fmt, results={}, task_field=None) if not FORMATS[fmt].native_success else LogOptions(fmt)


def clean(fmt: str, data: bytes, name: str) -> None:
    try:
        import_sources([Source(name, data)], options(fmt))
    except InputError as exc:
        assert "\n" not in str(exc)
        assert len(str(exc)) < 2000  # never grows with the input


def paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every key path of a JSON value."""
    out = [prefix] if prefix else []
    if isinstance(value, dict):
        for k, v in value.items():
            out += paths(v, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += paths(v, (*prefix, i))
    return out


def replaced(value: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    copy = json.loads(json.dumps(value))
    target = copy
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = new
    return copy


@FUZZ
@given(fmt=st.sampled_from(list(JSON_FIXTURES)), data=st.binary(max_size=300))
def test_random_bytes(fmt: str, data: bytes) -> None:
    clean(fmt, data, "x.jsonl")
    clean(fmt, data, "x.csv")
    clean("harbor", data, "x.tar.gz")


@FUZZ
@given(fmt=st.sampled_from(list(JSON_FIXTURES)), lines=st.lists(json_values, min_size=1, max_size=4))
def test_random_json_lines(fmt: str, lines: list[Any]) -> None:
    clean(fmt, "".join(json.dumps(v) + "\n" for v in lines).encode(), "x.jsonl")


@settings(max_examples=150, deadline=None)
@given(fmt=st.sampled_from(list(JSON_FIXTURES)), data=st.data())
def test_fixture_with_one_field_replaced(fmt: str, data: st.DataObject) -> None:
    text = (FIXTURES / JSON_FIXTURES[fmt]).read_text(encoding="utf-8")
    whole = text.lstrip().startswith("{") and "\n{" not in text
    docs = [json.loads(text)] if whole else [json.loads(line) for line in text.splitlines() if line.strip()]
    which = data.draw(st.integers(min_value=0, max_value=len(docs) - 1))
    path = data.draw(st.sampled_from(paths(docs[which])))
    docs[which] = replaced(docs[which], path, data.draw(json_values))
    body = json.dumps(docs[0]) if whole else "".join(json.dumps(d) + "\n" for d in docs)
    clean(fmt, body.encode(), Path(JSON_FIXTURES[fmt]).name)
    with contextlib.suppress(InputError):  # the upload path: detection, then conversion
        convert(Source(Path(JSON_FIXTURES[fmt]).name, body.encode()), {})


@FUZZ
@given(
    name=st.sampled_from(["langfuse_observations.csv", "litellm_spendlogs.csv"]),
    data=st.data(),
    cell=st.text(max_size=20) | json_values.map(json.dumps),
)
def test_csv_export_with_one_cell_replaced(name: str, data: st.DataObject, cell: str) -> None:
    rows = list(csv.reader(io.StringIO((FIXTURES / name).read_text(encoding="utf-8"))))
    row = data.draw(st.integers(min_value=0, max_value=len(rows) - 1))
    col = data.draw(st.integers(min_value=0, max_value=len(rows[row]) - 1))
    rows[row][col] = cell
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    clean(name.split("_")[0], out.getvalue().encode(), name)
