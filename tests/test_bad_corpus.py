"""The bad-file corpus: every file in tests/bad_files/ is refused by its reader with one clean line.

``tests/bad_files/expected.csv`` lists each file with its reader, the class of problem it
carries and words its message must contain; ``tests/good_files/`` holds files that were once
refused wrongly (a byte-order mark, Excel's trailing empty columns, U+2028 inside a string)
and must be read. See the count per class in ``docs/limits.md``.
"""

from __future__ import annotations

import csv
import time
from collections import Counter
from pathlib import Path

import pytest
from readers import read

from tokenomics.errors import InputError

TESTS = Path(__file__).resolve().parent
BAD, GOOD = TESTS / "bad_files", TESTS / "good_files"
MANIFEST = list(csv.DictReader((BAD / "expected.csv").read_text(encoding="utf-8").splitlines()))
GOOD_MANIFEST = list(csv.DictReader((GOOD / "expected.csv").read_text(encoding="utf-8").splitlines()))
BIG = 1_100_000
"""Past every size limit (1,000,000 characters a line, a field or a document)."""
# Files past the size limits are made here rather than kept in the repository (each is over a megabyte).
OVERSIZED = {
    "huge.yaml": ("prices", "size", "YAML of", "# " + "x" * BIG + "\n"),
    "huge_scenario.json": ("scenario", "size", "JSON of", '{"x": "' + "y" * BIG + '"}'),
    "import_long_field.csv": (
        "import-csv",
        "size",
        "a line of",
        "model,task_id,success,input_tokens,output_tokens\ngpt-4o,t" + "x" * BIG + ",true,1,1\n",
    ),
    "long_field.csv": ("measurements", "size", "a line of", "model,task_id,success\nm," + "x" * BIG + ",true\n"),
    "long_field_prices.csv": (
        "prices",
        "size",
        "a line of",
        "provider,model,input_mtok,output_mtok,source,checked_on\nopenai,gpt-x,1,2,s" + "x" * BIG + ",2025-01-01\n",
    ),
    "long_line.jsonl": (
        "measurements",
        "size",
        "a line of",
        '{"model": "m", "task_id": "' + "x" * BIG + '", "success": true}\n',
    ),
    "long_quoted_field.csv": (
        "measurements",
        "size",
        "field larger than field limit",
        'model,task_id,success\nm,"' + ("y" * 999_000 + "\n") * 2 + '",true\n',
    ),
}
MAX_MESSAGE = 1100
"""No message grows with the input: every part of an InputError is cut (tokenomics/errors.py)."""


def test_every_file_is_listed_once() -> None:
    listed = [row["file"] for row in MANIFEST]
    assert len(listed) == len(set(listed))
    assert sorted(p.name for p in BAD.iterdir() if p.name != "expected.csv") == sorted(listed)
    assert sorted(p.name for p in GOOD.iterdir() if p.name != "expected.csv") == sorted(
        row["file"] for row in GOOD_MANIFEST
    )


def test_the_corpus_covers_every_class_for_every_reader() -> None:
    assert len(MANIFEST) + len(OVERSIZED) >= 80
    readers = Counter(row["reader"] for row in MANIFEST)
    assert set(readers) == {
        "measurements",
        "store",
        "prices",
        "scenario",
        "tasks",
        "import-openai",
        "import-csv",
        "import-formats",
        "results",
    }
    classes = {row["class"] for row in MANIFEST}
    assert {"non_finite", "long_number", "duplicate", "magnitude", "whole_number", "date", "depth", "size"} <= classes


@pytest.mark.parametrize("case", MANIFEST, ids=lambda row: row["file"])
def test_bad_file_is_refused_in_one_bounded_line(case: dict[str, str]) -> None:
    refused_cleanly(case, BAD / case["file"])


@pytest.mark.parametrize("name", OVERSIZED)
def test_oversized_file_is_refused_in_one_bounded_line(name: str, tmp_path: Path) -> None:
    reader, kind, message, text = OVERSIZED[name]
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    refused_cleanly({"file": name, "reader": reader, "class": kind, "message": message}, path)


def refused_cleanly(case: dict[str, str], path: Path) -> None:
    started = time.monotonic()
    with pytest.raises(InputError) as info:
        read(case["reader"], path)
    text = str(info.value)
    assert time.monotonic() - started < 10  # generous: the alias bomb is refused before it expands
    assert "\n" not in text and "\r" not in text
    assert len(text) < MAX_MESSAGE
    assert case["message"] in text
    if case["reader"] != "store":
        assert info.value.file is not None and path.name in info.value.file


@pytest.mark.parametrize("case", GOOD_MANIFEST, ids=lambda row: row["file"])
def test_once_refused_valid_files_are_read(case: dict[str, str]) -> None:
    assert read(case["reader"], GOOD / case["file"])
