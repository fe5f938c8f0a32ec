"""Graders: does a reply solve a task? Pure functions of (task, reply); none executes anything.

A reply is hostile data: a grader either returns a verdict or raises ``GradeError`` with a
reason (the runner stores an error attempt), never anything else. Regular expressions from task
files run in the ``regex`` engine with a deadline (``REGEX_TIMEOUT_S``), without holding the
interpreter lock, so a pattern that backtracks catastrophically (``(a+)+$``) fails one attempt
instead of freezing the run.

>>> last_number("Step 1: 12 + 30 = 42. So the answer is **1,234.5** dollars.")
1234.5
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable

import regex as regex_engine

from harness.tasks import Task
from inputs.safe_json import loads
from tokenomics.errors import InputError

# Thousands separators only in groups of three ("1,234"), so "3,4" reads as the numbers 3 and 4.
_NUMBER = re.compile(r"(?<![\w.])-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:[eE][-+]?\d+)?|(?<![\w.])-?\.\d+")
_FENCE = re.compile(r"^```(?:json)?\s*\n(.*?)\n?```$", re.S)
DEFAULT_TOLERANCE = 1e-9
REGEX_TIMEOUT_S = 1.0
"""Longest a task's regular expression may search one reply."""


class GradeError(Exception):
    """The reply could not be graded; the message says why (it becomes the attempt's error)."""


def last_number(reply: str) -> float | None:
    """The last number written in the reply (commas as thousands separators), or None.

    >>> last_number("x = -3.5e2, y = 7")
    7.0
    >>> last_number("no digits here") is None
    True
    """
    matches = _NUMBER.findall(reply)
    if not matches:
        return None
    value = float(matches[-1].replace(",", ""))
    return value if math.isfinite(value) else None


def _normalize(text: str) -> str:
    return " ".join(text.split()).casefold()


def exact(task: Task, reply: str) -> bool:
    """The reply, without surrounding whitespace, equals ``expected``."""
    return reply.strip() == task.expected


def normalized(task: Task, reply: str) -> bool:
    """Equal once case is folded and runs of whitespace become one space."""
    return _normalize(reply) == _normalize(str(task.expected))


def numeric(task: Task, reply: str) -> bool:
    """The last number in the reply is within ``tolerance`` of ``expected``."""
    value = last_number(reply)
    if value is None:
        return False
    tolerance = DEFAULT_TOLERANCE if task.tolerance is None else task.tolerance
    return math.isclose(value, float(task.expected), rel_tol=0.0, abs_tol=tolerance)  # type: ignore[arg-type]


def regex(task: Task, reply: str) -> bool:
    """The pattern ``expected`` matches somewhere in the reply (``re.search``)."""
    try:
        found = regex_engine.search(str(task.expected), reply, timeout=REGEX_TIMEOUT_S, concurrent=True)
    except TimeoutError:
        raise GradeError(f"the regex grader gave up after {REGEX_TIMEOUT_S:g} s on this reply") from None
    return found is not None


def contains(task: Task, reply: str) -> bool:
    """``expected`` appears in the reply, case-sensitively."""
    return str(task.expected) in reply


def json_keys(task: Task, reply: str) -> bool:
    """The reply is a JSON object (a ```json fence around it is allowed) holding the expected keys.

    ``expected`` as an object: each key present with an equal value; as a list: each key present.
    """
    text = reply.strip()
    if fenced := _FENCE.match(text):
        text = fenced.group(1)
    try:
        data = loads(text, "the reply")
    except InputError:
        return False
    if not isinstance(data, dict):
        return False
    if isinstance(task.expected, list):
        return all(key in data for key in task.expected)
    assert isinstance(task.expected, dict)
    return all(key in data and data[key] == value for key, value in task.expected.items())


GRADERS: dict[str, Callable[[Task, str], bool]] = {
    "exact": exact,
    "normalized": normalized,
    "numeric": numeric,
    "regex": regex,
    "contains": contains,
    "json": json_keys,
}


def grade(task: Task, reply: str) -> bool:
    """Judge a reply with the task's grader; ``GradeError`` when it cannot be judged."""
    try:
        return GRADERS[task.grader](task, reply)
    except GradeError:
        raise
    except Exception as exc:  # a reply is hostile: whatever it triggers is this attempt's error, not the run's
        raise GradeError(f"the {task.grader} grader failed on this reply ({type(exc).__name__})") from None
