"""Task sets: one JSON object per line, validated with pydantic where the file enters.

A line looks like ``{"id": "t1", "prompt": "What is 2 + 3?", "expected": 5, "grader": "numeric"}``.
Nothing in a task file is ever executed: ``expected`` is data, compared by the graders in
``harness.graders``.
"""

from __future__ import annotations

import hashlib
import math
from pathlib import Path
from typing import Literal

import regex
from pydantic import BaseModel, ConfigDict, Field, JsonValue, ValidationError, model_validator

from inputs.safe_json import decode_text, json_objects
from tokenomics.errors import InputError

MAX_PATTERN_CHARS = 1000
"""Longest regular expression a task may give."""

GraderName = Literal["exact", "normalized", "numeric", "regex", "contains", "json"]
GRADERS: tuple[str, ...] = ("exact", "normalized", "numeric", "regex", "contains", "json")


class Message(BaseModel):
    """One chat message, as the OpenAI chat-completions API takes it."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    role: Literal["system", "user", "assistant"]
    """Who speaks."""
    content: str
    """What is said."""


class Task(BaseModel):
    """One task of a task set."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str = Field(min_length=1)
    """Unique within the task set; becomes ``task_id`` in the measurements."""
    messages: tuple[Message, ...] | None = None
    """The conversation to send (give this or ``prompt``)."""
    prompt: str | None = None
    """Shorthand for one user message (give this or ``messages``)."""
    expected: JsonValue
    """What a correct reply contains; its meaning depends on ``grader``."""
    grader: GraderName
    """How a reply is judged against ``expected``."""
    tolerance: float | None = Field(default=None, ge=0, allow_inf_nan=False)
    """``numeric`` only: the largest absolute difference still counted as equal (default 1e-9)."""
    max_tokens: int | None = Field(default=None, gt=0)
    """Cap on completion tokens for this task (default: the endpoint's own)."""

    @model_validator(mode="after")
    def _check(self) -> Task:
        if (self.messages is None) == (self.prompt is None):
            raise ValueError("give exactly one of 'messages' or 'prompt'")
        if self.messages is not None and not self.messages:
            raise ValueError("'messages' is empty")
        if self.tolerance is not None and self.grader != "numeric":
            raise ValueError("'tolerance' applies to the numeric grader only")
        if self.grader == "numeric":
            if isinstance(self.expected, bool) or not isinstance(self.expected, int | float | str):
                raise ValueError("the numeric grader needs a number as 'expected'")
            try:
                number = float(self.expected)
            except (ValueError, OverflowError):
                raise ValueError("the numeric grader needs a number as 'expected'") from None
            if not math.isfinite(number):
                raise ValueError("the numeric grader needs a finite number as 'expected'")
        elif self.grader == "json":
            if not isinstance(self.expected, dict | list) or (
                isinstance(self.expected, list) and not all(isinstance(k, str) for k in self.expected)
            ):
                raise ValueError("the json grader needs an object (keys and values) or a list of key names")
        elif not isinstance(self.expected, str) or not self.expected:
            raise ValueError(f"the {self.grader} grader needs a non-empty string as 'expected'")
        elif self.grader == "regex":
            if len(self.expected) > MAX_PATTERN_CHARS:
                raise ValueError(f"the regular expression is longer than {MAX_PATTERN_CHARS} characters")
            try:
                regex.compile(self.expected)
            except (regex.error, RecursionError, OverflowError) as exc:
                raise ValueError(f"'expected' is not a valid regular expression ({str(exc)[:80]})") from None
        return self

    def chat_messages(self) -> list[dict[str, str]]:
        """The ``messages`` array of the request."""
        if self.messages is not None:
            return [m.model_dump() for m in self.messages]
        return [{"role": "user", "content": str(self.prompt)}]


def parse_tasks(text: str, name: str) -> list[Task]:
    """Validate a JSONL task set; the first problem raises an InputError naming line and field."""
    tasks: list[Task] = []
    seen: dict[str, int] = {}
    for number, raw in json_objects(text, name):
        try:
            task = Task.model_validate(raw)
        except ValidationError as exc:
            err = exc.errors()[0]
            field = ".".join(str(p) for p in err["loc"]) or None
            message = err["msg"].removeprefix("Value error, ")
            found = err.get("input") if err["type"] not in ("missing", "value_error") else None
            raise InputError(
                message,
                file=name,
                line=number,
                column=field,
                found=found,
                expected="a task as described in data/tasks/README.md",
            ) from None
        if task.id in seen:
            raise InputError(
                f"duplicate task id (first on line {seen[task.id]})",
                file=name,
                line=number,
                column="id",
                found=task.id,
                expected="a unique id per task",
            )
        seen[task.id] = number
        tasks.append(task)
    if not tasks:
        raise InputError("no tasks in the file", file=name, expected="one JSON object per line")
    return tasks


def load_tasks(path: str | Path) -> tuple[list[Task], str]:
    """Read a task set; returns the tasks and the SHA-256 of the file (a resumed run checks it)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read the task set ({exc.strerror})", file=str(path)) from None
    text = decode_text(data, str(path), "a UTF-8 JSONL file")
    return parse_tasks(text, str(path)), hashlib.sha256(data).hexdigest()
