"""Task-set files: the shipped set loads, and each bad line is refused with its line and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.graders import grade
from harness.tasks import load_tasks, parse_tasks
from tokenomics.errors import InputError

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "data" / "tasks" / "arithmetic_reasoning.jsonl"


def test_shipped_task_set_loads() -> None:
    tasks, sha = load_tasks(SHIPPED)
    assert len(tasks) == 50
    assert len({t.id for t in tasks}) == 50
    assert len(sha) == 64
    assert {t.grader for t in tasks} == {"numeric", "normalized", "regex", "json", "exact"}


@pytest.mark.parametrize(
    ("task_id", "right", "wrong"),
    [
        ("ar-06", "He is 36.", "He is 12."),
        ("ar-11", "It uses 22.1 litres.", "It uses 22 litres."),
        ("ar-36", "22:25 is 1345 minutes after midnight: 1345", "22:25"),
        ("ar-45", "Neither", "iron"),
        ("ar-47", "Monday.", "Sunday"),
        ("ar-49", '{"red": 3, "blue": 2}', '{"red": 2, "blue": 3}'),
    ],
)
def test_shipped_answers_grade_as_expected(task_id: str, right: str, wrong: str) -> None:
    task = {t.id: t for t in load_tasks(SHIPPED)[0]}[task_id]
    assert grade(task, right)
    assert not grade(task, wrong)


@pytest.mark.parametrize(
    ("text", "line", "column", "words"),
    [
        ('{"id": "a", "prompt": "q", "expected": 1, "grader": "numeric"}\nnot json\n', 2, None, "not valid JSON"),
        ('{"id": "a", "prompt": "q", "expected": 1, "grader": "fuzzy"}\n', 1, "grader", "Input should be"),
        ('{"id": "a", "expected": 1, "grader": "numeric"}\n', 1, None, "exactly one of 'messages' or 'prompt'"),
        ('{"id": "a", "prompt": "q", "expected": "five", "grader": "numeric"}\n', 1, None, "needs a number"),
        ('{"id": "a", "prompt": "q", "expected": "(", "grader": "regex"}\n', 1, None, "not a valid regular"),
        ('{"id": "a", "prompt": "q", "expected": "x", "grader": "exact", "tolerance": 1}\n', 1, None, "numeric"),
        ('{"id": "a", "prompt": "q", "expected": 1, "grader": "numeric", "grade": "x"}\n', 1, "grade", "Extra"),
        ('{"id": "a", "prompt": "q", "expected": 1, "grader": "numeric", "max_tokens": 0}\n', 1, "max_tokens", ""),
        ('{"id": "a", "prompt": "q", "expected": 7, "grader": "json"}\n', 1, None, "object"),
        (
            '{"id": "a", "prompt": "q", "expected": 1, "grader": "numeric"}\n\n'
            '{"id": "a", "prompt": "r", "expected": 2, "grader": "numeric"}\n',
            3,
            "id",
            "duplicate task id (first on line 1)",
        ),
        ("\n\n", None, None, "no tasks"),
    ],
)
def test_bad_task_lines(text: str, line: int | None, column: str | None, words: str) -> None:
    with pytest.raises(InputError) as info:
        parse_tasks(text, "tasks.jsonl")
    err = info.value
    assert err.file == "tasks.jsonl"
    assert err.line == line
    assert err.column == column
    assert words in str(err)


def test_messages_form_is_sent_as_given() -> None:
    (task,) = parse_tasks(
        '{"id": "m", "messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "2+2?"}],'
        ' "expected": 4, "grader": "numeric", "max_tokens": 50}\n',
        "t.jsonl",
    )
    assert task.chat_messages() == [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "2+2?"}]
    assert task.max_tokens == 50
