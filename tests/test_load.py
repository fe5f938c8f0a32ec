"""Reading measurement files: every bad file is refused with a precise, one-line InputError,
and the good shapes all land in the same canonical frame.

The bad files live in ``tests/bad_files/`` (one problem each); ``BAD_CASES`` says what the
error must name for each of them.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from measurements.load import AGGREGATED_SHAPE, CANONICAL, PER_ATTEMPT_SHAPE, read_measurements
from tokenomics.errors import InputError

BAD = Path(__file__).resolve().parent / "bad_files"

NON_NEGATIVE = "a non-negative number"
YES_NO = "true/false, 1/0, yes/no or pass/fail"
ONE_OBJECT = "one JSON object per line"


@dataclass(frozen=True)
class Bad:
    file: str
    message: str
    """What is wrong, as the message must say it."""
    line: int | None
    """Line of the file (header = line 1) the error must point at; None: the whole file."""
    column: str | None = None
    found: object = None
    """The offending value as read (None: nothing to show)."""
    expected: str | None = None
    """A part of what the error says was expected."""
    words: tuple[str, ...] = ()
    """Further words the message must contain."""

    def __str__(self) -> str:  # the test id
        return self.file


BAD_CASES = [
    Bad(
        "missing_column.csv",
        "missing required column 'task_id'",
        None,
        "task_id",
        expected="per-attempt columns model, task_id, success or aggregated columns model, attempts, successes",
    ),
    Bad("negative_tokens.csv", "negative value", 3, "input_tokens", -5, NON_NEGATIVE),
    Bad("non_numeric_tokens.csv", "not a number", 4, "output_tokens", "abc", NON_NEGATIVE),
    Bad("success_maybe.csv", "not a yes/no value", 3, "success", "maybe", YES_NO),
    Bad("empty.csv", "the file is empty", None, expected="a header line and at least one row"),
    Bad("header_only.csv", "a header but no data rows", None, expected="at least one row under the header"),
    Bad("utf16.csv", "not UTF-8 text", 1, expected="a UTF-8 file", words=("0xff", "offset 0")),
    Bad("latin1.csv", "not UTF-8 text", 3, expected="a UTF-8 file", words=("0xe9", "offset 40")),
    Bad("duplicate_header.csv", "duplicate column in the header", 1, "input_tokens"),
    Bad(
        "cache_exceeds_input.csv",
        "cache_read_tokens exceeds input_tokens",
        3,
        "cache_read_tokens",
        150,
        "parts of input_tokens, never more",
    ),
    Bad(
        "reasoning_exceeds_output.csv",
        "reasoning_tokens exceeds output_tokens",
        4,
        "reasoning_tokens",
        101,
        "parts of output_tokens, never more",
    ),
    Bad(
        "successes_exceed_attempts.csv",
        "more successes than attempts",
        3,
        "successes",
        11,
        "successes <= attempts",
    ),
    Bad("bad_timestamp.csv", "not a date or time", 3, "timestamp", "2025-13-01", "ISO 8601"),
    Bad("malformed.jsonl", "not valid JSON", 3, expected=ONE_OBJECT),
    Bad("not_object.jsonl", "not a JSON object", 2, found=["gpt-4o", "t2", True], expected=ONE_OBJECT),
    Bad("too_many_fields.csv", "malformed CSV", 3, words=("fields", "4")),
    # Blank lines are counted: the bad row is where a text editor shows it.
    Bad("blank_lines.csv", "negative value", 5, "input_tokens", -1, NON_NEGATIVE),
    Bad("blank_lines.jsonl", "negative value", 4, "input_tokens", -1, NON_NEGATIVE),
    Bad("whitespace_line.csv", "negative value", 4, "input_tokens", -1, NON_NEGATIVE),
    Bad("quoted_newline.csv", "negative value", 4, "input_tokens", -1, NON_NEGATIVE),
    # JSON true is a boolean, not the number 1: nothing is guessed.
    Bad("bool_in_number.jsonl", "true/false where a number belongs", 2, "input_tokens", expected=NON_NEGATIVE),
]


def test_every_case_is_a_measurement_file_of_the_corpus():
    """The whole folder is listed in expected.csv (tests/test_bad_corpus.py); these are checked field by field."""
    listed = {
        row["file"]: row["reader"]
        for row in csv.DictReader(BAD.joinpath("expected.csv").read_text(encoding="utf-8").splitlines())
    }
    assert all(listed.get(c.file) == "measurements" for c in BAD_CASES)


@pytest.mark.parametrize("case", BAD_CASES, ids=str)
def test_bad_file_is_refused_precisely(case: Bad):
    path = BAD / case.file
    with pytest.raises(InputError) as info:
        read_measurements(path)
    err = info.value
    text = str(err)

    assert "\n" not in text
    assert err.file == str(path)
    assert text.startswith(str(path))
    assert case.message in text
    assert err.line == case.line
    if case.line is None:
        assert not re.search(r", line \d", text)
    else:
        assert f", line {case.line}" in text
    assert err.column == case.column
    if case.column is not None:
        assert f"column '{case.column}'" in text
    if case.found is not None:
        assert err.found == case.found
        assert "(found " in text
    if case.expected is not None:
        assert case.expected in (err.expected or "")
        assert f"; expected {err.expected}" in text
    for word in case.words:
        assert word in text


@pytest.mark.parametrize(
    ("file", "shown"),
    [
        ("negative_tokens.csv", "(found -5)"),
        ("cache_exceeds_input.csv", "(found 150)"),
        ("reasoning_exceeds_output.csv", "(found 101)"),
        ("successes_exceed_attempts.csv", "(found 11)"),
    ],
)
def test_found_number_is_shown_as_written_in_the_file(file: str, shown: str):
    """A spreadsheet user must read ``found -5``, not numpy's ``np.int64(-5)``."""
    with pytest.raises(InputError) as info:
        read_measurements(BAD / file)
    assert shown in str(info.value)
    assert "np." not in str(info.value)


def test_found_text_is_shown():
    with pytest.raises(InputError, match=r"found 'abc'"):
        read_measurements(BAD / "non_numeric_tokens.csv")


def test_missing_file_is_an_input_error(tmp_path: Path):
    path = tmp_path / "nowhere.csv"
    with pytest.raises(InputError, match=r"cannot read the file") as info:
        read_measurements(path)
    assert info.value.file == str(path)


# --- good files ------------------------------------------------------------------------


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


PER_ATTEMPT_CSV = """\
model,provider,label,task_id,attempt,success,input_tokens,cache_read_tokens,output_tokens,reasoning_tokens,calls,cost_usd,latency_s,timestamp
gpt-4o,openai,GPT-4o,t1,1,true,1000,200,300,0,2,0.01,1.5,2025-10-03T14:05:00Z
gpt-4o,openai,GPT-4o,t1,2,false,1200,0,350,0,3,0.02,2.5,2025-10-03T14:06:00Z
o3,openai,o3,t2,1,true,900,100,800,600,1,0.05,9.0,2025-10-04
"""

PER_ATTEMPT_JSONL = """\
{"model": "gpt-4o", "provider": "openai", "label": "GPT-4o", "task_id": "t1", "attempt": 1, "success": true, "input_tokens": 1000, "cache_read_tokens": 200, "output_tokens": 300, "reasoning_tokens": 0, "calls": 2, "cost_usd": 0.01, "latency_s": 1.5, "timestamp": "2025-10-03T14:05:00Z"}
{"model": "gpt-4o", "provider": "openai", "label": "GPT-4o", "task_id": "t1", "attempt": 2, "success": false, "input_tokens": 1200, "cache_read_tokens": 0, "output_tokens": 350, "reasoning_tokens": 0, "calls": 3, "cost_usd": 0.02, "latency_s": 2.5, "timestamp": "2025-10-03T14:06:00Z"}
{"model": "o3", "provider": "openai", "label": "o3", "task_id": "t2", "attempt": 1, "success": true, "input_tokens": 900, "cache_read_tokens": 100, "output_tokens": 800, "reasoning_tokens": 600, "calls": 1, "cost_usd": 0.05, "latency_s": 9.0, "timestamp": "2025-10-04"}
"""  # noqa: E501


def test_per_attempt_csv(tmp_path: Path):
    m = read_measurements(write(tmp_path, "runs.csv", PER_ATTEMPT_CSV))
    f = m.frame
    assert m.shape == PER_ATTEMPT_SHAPE
    assert m.notes == []
    assert list(f.columns) == [*CANONICAL, "source"]
    assert f["label"].tolist() == ["GPT-4o", "GPT-4o", "o3"]
    assert f["model"].tolist() == ["gpt-4o", "gpt-4o", "o3"]
    assert f["task_id"].tolist() == ["t1", "t1", "t2"]
    assert f["attempts"].tolist() == [1, 1, 1]
    assert f["successes"].tolist() == [1, 0, 1]
    assert f["input_tokens"].tolist() == [1000.0, 1200.0, 900.0]
    assert f["cache_read_tokens"].tolist() == [200.0, 0.0, 100.0]
    assert f["reasoning_tokens"].tolist() == [0.0, 0.0, 600.0]
    assert f["cost_usd"].tolist() == [0.01, 0.02, 0.05]
    assert f["cache_write_tokens"].isna().all()
    assert f["line"].tolist() == [2, 3, 4]
    assert f["source"].tolist() == [str(tmp_path / "runs.csv")] * 3


def test_per_attempt_csv_and_jsonl_give_the_same_frame(tmp_path: Path):
    from_csv = read_measurements(write(tmp_path, "runs.csv", PER_ATTEMPT_CSV))
    from_jsonl = read_measurements(write(tmp_path, "runs.jsonl", PER_ATTEMPT_JSONL))
    assert from_jsonl.shape == from_csv.shape == PER_ATTEMPT_SHAPE
    # JSONL has no header line, so its first record is line 1.
    assert from_csv.frame["line"].tolist() == [2, 3, 4]
    assert from_jsonl.frame["line"].tolist() == [1, 2, 3]
    pd.testing.assert_frame_equal(
        from_csv.frame.drop(columns=["line", "source"]), from_jsonl.frame.drop(columns=["line", "source"])
    )


def test_aggregated_csv(tmp_path: Path):
    path = write(
        tmp_path,
        "agg.csv",
        "label,model,run,date,attempts,successes,input_tokens,output_tokens,cost_usd\n"
        "o3-pro (high),o3-pro,run-1,2025-06-28,225,191,2372636,1235902,146.3249\n"
        "gpt-4o,gpt-4o-2024-11-20,run-2,2024-12-30,225,41,,,6.7351\n",
    )
    m = read_measurements(path)
    f = m.frame
    assert m.shape == AGGREGATED_SHAPE
    assert m.notes == []
    assert f["attempts"].tolist() == [225, 225]
    assert f["successes"].tolist() == [191, 41]
    assert f["attempts"].dtype == np.int64
    assert f["successes"].dtype == np.int64
    assert f["run"].tolist() == ["run-1", "run-2"]
    assert f["input_tokens"].iloc[0] == 2372636.0
    assert np.isnan(f["input_tokens"].iloc[1])
    assert f["cost_usd"].tolist() == [146.3249, 6.7351]
    assert f["timestamp"].tolist() == [pd.Timestamp("2025-06-28", tz="UTC"), pd.Timestamp("2024-12-30", tz="UTC")]
    # A run's date is a day, never a time of day.
    assert f["time_known"].tolist() == [False, False]
    assert f["task_id"].isna().all()


def test_successes_may_equal_attempts_but_attempts_must_be_positive(tmp_path: Path):
    ok = read_measurements(write(tmp_path, "ok.csv", "model,attempts,successes\nm,10,10\nn,10,0\n"))
    assert ok.frame["successes"].tolist() == [10, 0]
    with pytest.raises(InputError, match=r"line 2, column 'attempts': no attempts"):
        read_measurements(write(tmp_path, "zero.csv", "model,attempts,successes\nm,0,0\n"))
    with pytest.raises(InputError, match=r"line 2, column 'successes': not a whole number"):
        read_measurements(write(tmp_path, "frac.csv", "model,attempts,successes\nm,10,2.5\n"))


@pytest.mark.parametrize(
    ("word", "success"),
    [
        ("true", 1),
        ("TRUE", 1),
        ("True", 1),
        ("false", 0),
        ("FALSE", 0),
        ("1", 1),
        ("0", 0),
        ("yes", 1),
        ("YES", 1),
        ("No", 0),
        ("pass", 1),
        ("Pass", 1),
        ("fail", 0),
        ("FAIL", 0),
    ],
)
def test_success_word(tmp_path: Path, word: str, success: int):
    m = read_measurements(write(tmp_path, "w.csv", f"model,task_id,success\nm,t1,{word}\n"))
    assert m.frame["successes"].tolist() == [success]


def test_success_words_mixed_in_one_column(tmp_path: Path):
    rows = ["true", "FALSE", "1", "0", "Yes", "no", "PASS", "Fail", " yes "]
    text = "model,task_id,success\n" + "".join(f"m,t{i},{w}\n" for i, w in enumerate(rows))
    m = read_measurements(write(tmp_path, "w.csv", text))
    assert m.frame["successes"].tolist() == [1, 0, 1, 0, 1, 0, 1, 0, 1]


def test_success_words_in_jsonl(tmp_path: Path):
    text = (
        '{"model": "m", "task_id": "a", "success": true}\n'
        '{"model": "m", "task_id": "b", "success": 0}\n'
        '{"model": "m", "task_id": "c", "success": "Pass"}\n'
        '{"model": "m", "task_id": "d", "success": "no"}\n'
    )
    m = read_measurements(write(tmp_path, "w.jsonl", text))
    assert m.frame["successes"].tolist() == [1, 0, 1, 0]


def test_missing_success_is_refused(tmp_path: Path):
    with pytest.raises(InputError, match=r"w.csv, line 3, column 'success': missing value"):
        read_measurements(write(tmp_path, "w.csv", "model,task_id,success\nm,t1,yes\nm,t2,\n"))


def test_timestamps_with_a_time_are_known_dates_alone_are_not(tmp_path: Path):
    text = (
        "model,task_id,success,timestamp\n"
        "m,t1,true,2025-10-03T14:05:00Z\n"
        "m,t2,true,2025-10-03T16:05:00+02:00\n"
        "m,t3,true,2025-10-03 14:05\n"
        "m,t4,true,2025-10-03\n"
        "m,t5,true,\n"
    )
    f = read_measurements(write(tmp_path, "t.csv", text)).frame
    at_1405 = pd.Timestamp("2025-10-03T14:05:00Z")
    assert f["timestamp"].iloc[:3].tolist() == [at_1405, at_1405, at_1405]
    assert f["timestamp"].iloc[3] == pd.Timestamp("2025-10-03", tz="UTC")
    assert pd.isna(f["timestamp"].iloc[4])
    assert f["time_known"].tolist() == [True, True, True, False, False]


def test_label_defaults_to_model_in_csv(tmp_path: Path):
    without = read_measurements(write(tmp_path, "a.csv", "model,task_id,success\ngpt-4o,t1,true\n"))
    assert without.frame["label"].tolist() == ["gpt-4o"]
    partial = read_measurements(
        write(tmp_path, "b.csv", "model,label,task_id,success\ngpt-4o,GPT-4o (mine),t1,true\no3,,t2,true\n")
    )
    assert partial.frame["label"].tolist() == ["GPT-4o (mine)", "o3"]


def test_label_defaults_to_model_in_jsonl_when_some_records_lack_it(tmp_path: Path):
    text = (
        '{"model": "gpt-4o", "label": "GPT-4o (mine)", "task_id": "t1", "success": true}\n'
        '{"model": "o3", "task_id": "t2", "success": true}\n'
    )
    f = read_measurements(write(tmp_path, "l.jsonl", text)).frame
    assert f["label"].tolist() == ["GPT-4o (mine)", "o3"]


def test_absent_text_in_jsonl_stays_missing_not_the_word_nan(tmp_path: Path):
    text = (
        '{"model": "gpt-4o", "provider": "openai", "task_id": "t1", "success": true}\n'
        '{"model": "o3", "task_id": "t2", "success": true}\n'
    )
    f = read_measurements(write(tmp_path, "p.jsonl", text)).frame
    assert f["provider"].iloc[0] == "openai"
    assert pd.isna(f["provider"].iloc[1])


def test_jsonl_numbers_become_text_in_text_columns(tmp_path: Path):
    f = read_measurements(write(tmp_path, "n.jsonl", '{"model": "m", "task_id": 17, "success": 1}\n')).frame
    assert f["task_id"].tolist() == ["17"]


def test_unknown_columns_are_noted_not_fatal(tmp_path: Path):
    path = write(tmp_path, "u.csv", "model,task_id,success,zeta,difficulty\ngpt-4o,t1,true,1,hard\n")
    m = read_measurements(path)
    assert m.notes == [f"{path}: ignored unknown column(s): difficulty, zeta"]
    assert "zeta" not in m.frame.columns
    assert "difficulty" not in m.frame.columns
    assert m.frame["successes"].tolist() == [1]


def test_utf8_bom_is_accepted(tmp_path: Path):
    plain = read_measurements(write(tmp_path, "plain.csv", PER_ATTEMPT_CSV))
    bom = read_measurements(write(tmp_path, "bom.csv", b"\xef\xbb\xbf" + PER_ATTEMPT_CSV.encode("utf-8")))
    assert bom.notes == []
    pd.testing.assert_frame_equal(plain.frame.drop(columns="source"), bom.frame.drop(columns="source"))


def test_non_ascii_utf8_text_is_kept(tmp_path: Path):
    f = read_measurements(write(tmp_path, "x.csv", "model,label,task_id,success\nm,modèle café,t1,true\n")).frame
    assert f["label"].tolist() == ["modèle café"]


def test_crlf_and_blank_lines_keep_line_numbers(tmp_path: Path):
    text = b"model,task_id,success,input_tokens\r\n\r\nm,t1,true,10\r\nm,t2,true,-1\r\n"
    with pytest.raises(InputError) as info:
        read_measurements(write(tmp_path, "crlf.csv", text))
    assert info.value.line == 4


def test_good_rows_after_blank_lines_carry_their_own_line(tmp_path: Path):
    text = "model,task_id,success\n\nm,t1,true\n\n\nm,t2,false\n"
    f = read_measurements(write(tmp_path, "b.csv", text)).frame
    assert f["line"].tolist() == [3, 6]
    assert f["successes"].tolist() == [1, 0]
