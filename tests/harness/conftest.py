"""Fixtures of the harness tests: the fake OpenAI-compatible server and a small task set."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fakeserver import Config, FakeServer
from harness_data import ANSWERS, TASKS, write_tasks


@pytest.fixture
def tasks_file(tmp_path: Path) -> Path:
    return write_tasks(tmp_path / "tasks.jsonl", TASKS)


@pytest.fixture
def server() -> Iterator[FakeServer]:
    with FakeServer(Config(answers=dict(ANSWERS))) as srv:
        yield srv
