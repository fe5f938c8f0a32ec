"""Graders on edge cases: literal replies, literal verdicts."""

from __future__ import annotations

import pytest

from harness.graders import grade, last_number
from harness.tasks import Task


def task(grader: str, expected, **extra) -> Task:
    return Task(id="t", prompt="q", expected=expected, grader=grader, **extra)


@pytest.mark.parametrize(
    ("reply", "number"),
    [
        ("42", 42.0),
        ("The answer is 7.", 7.0),  # a full stop is not a decimal point
        ("12 apples and 5 pears", 5.0),  # the last number wins
        ("It costs $1,234.50", 1234.5),  # thousands separators
        ("3,4", 4.0),  # not a thousands group: two numbers
        ("-3.5", -3.5),
        ("x = .5", 0.5),
        ("1e3", 1000.0),
        ("**58**", 58.0),  # markdown bold
        ("version v1.2", None),  # glued to a word: not a number
        ("no digits", None),
        ("", None),
    ],
)
def test_last_number(reply: str, number: float | None) -> None:
    assert last_number(reply) == number


@pytest.mark.parametrize(
    ("grader", "expected", "extra", "reply", "verdict"),
    [
        ("exact", "level", {}, "  level\n", True),
        ("exact", "level", {}, "Level", False),
        ("normalized", "new  york", {}, " New York\n", True),
        ("normalized", "new york", {}, "New-York", False),
        ("numeric", 5, {}, "2 + 3 = 5", True),
        ("numeric", 5, {}, "5 is wrong, it is 6", False),
        ("numeric", 22.1, {}, "22.1 litres", True),
        ("numeric", 0.1, {}, "0.1000000001", True),  # default tolerance 1e-9
        ("numeric", 0.1, {}, "0.10001", False),
        ("numeric", 2704, {"tolerance": 0.01}, "about $2,704.00", True),
        ("numeric", 2704, {"tolerance": 0.01}, "2704.02", False),
        ("numeric", -7, {}, "It is -7 degrees", True),
        ("numeric", "36", {}, "36", True),  # a numeric string is a number
        ("numeric", 5, {}, "five", False),
        ("regex", r"(?i)\bmonday\b", {}, "It is Monday.", True),
        ("regex", r"(?i)\bmonday\b", {}, "Mondays", False),
        ("contains", "hello", {}, "say hello!", True),
        ("contains", "hello", {}, "Hello", False),  # case-sensitive
        ("json", {"red": 3, "blue": 2}, {}, '{"blue": 2, "red": 3, "green": 0}', True),
        ("json", {"red": 3, "blue": 2}, {}, '```json\n{"red": 3, "blue": 2}\n```', True),
        ("json", {"red": 3, "blue": 2}, {}, '{"red": 3, "blue": "2"}', False),  # "2" is not 2
        ("json", {"red": 3}, {}, "red: 3", False),
        ("json", {"red": 3}, {}, "[1, 2]", False),  # valid JSON, not an object
        ("json", ["a", "b"], {}, '{"a": null, "b": 1}', True),
        ("json", ["a", "b"], {}, '{"a": 1}', False),
    ],
)
def test_grade(grader: str, expected, extra: dict, reply: str, verdict: bool) -> None:
    assert grade(task(grader, expected, **extra), reply) is verdict


def test_no_grader_executes_the_task_file() -> None:
    """An expected value that looks like code is compared as text, never evaluated."""
    t = task("exact", "__import__('os').system('echo pwned')")
    assert grade(t, "0") is False
    assert grade(t, "__import__('os').system('echo pwned')") is True
