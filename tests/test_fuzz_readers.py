"""Fuzzing every reader of user files: a clean InputError or a valid result, never another exception.

Inputs are built from fragments that reach the readers' edges (numbers past every limit, non-finite
spellings, duplicate keys, separators, quotes, BOMs, aliases, deep nesting) mixed with random text.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from readers import READERS

from tokenomics.errors import InputError

FRAGMENTS = [
    "model",
    "task_id",
    "success",
    "attempt",
    "input_tokens",
    "output_tokens",
    "cache_read_tokens",
    "attempts",
    "successes",
    "date",
    "timestamp",
    "run",
    "cost_usd",
    "provider",
    "input_mtok",
    "output_mtok",
    "tier_start",
    "source",
    "checked_on",
    "tiers",
    "start",
    "id",
    "prompt",
    "expected",
    "grader",
    "numeric",
    "regex",
    "json",
    "tolerance",
    "haircut",
    "price_multiplier",
    "cascade",
    "currency",
    "rate_date",
    "exchange_rate",
    "usage",
    "prompt_tokens",
    "completion_tokens",
    "choices",
    "created",
    "ok",
    "true",
    "false",
    "maybe",
    "1",
    "0",
    "-1",
    "1.5",
    "1e23",
    "1e999",
    "-1e999",
    "NaN",
    "Infinity",
    "-Infinity",
    "inf",
    "nan",
    "18446744073709551616",
    "9" * 400,
    "2025-01-01",
    "0001-01-01",
    "9999-12-31",
    "2025-02-30",
    ",",
    ",,",
    '"',
    "'",
    ":",
    ": ",
    "{",
    "}",
    "[",
    "]",
    "\n",
    "\r\n",
    "\u2028",
    "\ufeff",
    "\x00",
    "&a",
    "*a",
    "<<",
    "!!python/object",
    "- ",
    "  ",
    "---",
    "=cmd",
    "(a+)+$",
    "\\",
    "é",
    "\U0001f600",
]
TEXT = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=8)), max_size=60).map("".join)
NAMES = {
    "measurements": ("m.csv", "m.jsonl"),
    "prices": ("p.csv", "p.yaml"),
    "scenario": ("s.json",),
    "tasks": ("t.jsonl",),
    "import-openai": ("log.jsonl",),
    "import-csv": ("log.csv",),
    "import-formats": ("x.jsonl", "x.json", "x.csv", "x.tar.gz"),
    "results": ("r.csv", "r.jsonl"),
}
HEADS = {
    "m.csv": "model,task_id,attempt,success,input_tokens,output_tokens,timestamp\n",
    "m.jsonl": '{"model": "m", "task_id": "t", "success": true}\n',
    "p.csv": "provider,model,input_mtok,output_mtok,tier_start,source,checked_on\n",
    "p.yaml": "- provider: p\n  model: m\n",
    "log.csv": "model,task_id,success,input_tokens,output_tokens\n",
    "r.csv": "task_id,success\n",
    "x.jsonl": '{"schema_version": "0.3.0", "evaluation_id": "e", "sample_id": "s", "evaluation": {}}\n',
    "x.json": '{"leaderboards": [{"name": "bash-only", "results": [{"name": "n", "per_instance_details": ',
    "x.csv": "id,traceId,type,usageDetails,costDetails,startTime,model\n",
}


@pytest.mark.parametrize("reader", list(NAMES))
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), body=TEXT, head=st.booleans(), raw=st.binary(max_size=40))
def test_reader_gives_a_result_or_a_clean_input_error(reader: str, data, body: str, head: bool, raw: bytes) -> None:
    name = data.draw(st.sampled_from(NAMES[reader]))
    payload = ((HEADS.get(name, "") if head else "") + body).encode("utf-8", "surrogatepass") + raw
    try:
        READERS[reader](payload, name)
    except InputError as exc:
        text = str(exc)
        assert "\n" not in text and len(text) < 1100
