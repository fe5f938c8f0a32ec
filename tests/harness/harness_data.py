"""Small task sets and the fake server's answers to them, shared by the harness tests."""

from __future__ import annotations

import json
from pathlib import Path

# Three tasks, two answered right. The fake server's usage: prompt_tokens = prompt length,
# cached = half of it, completion = reply length + 5, reasoning = 5.
TASKS = [
    {"id": "add", "prompt": "What is 2 + 3?", "expected": 5, "grader": "numeric"},  # 14 chars
    {"id": "capital", "prompt": "Capital of France?", "expected": "paris", "grader": "normalized"},  # 18
    {"id": "greet", "prompt": "Say hello", "expected": "hello", "grader": "contains"},  # 9
]
ANSWERS = {
    "What is 2 + 3?": "2 + 3 = 5",  # 9 chars: 14 completion tokens
    "Capital of France?": " Paris\n",  # 7 chars: 12
    "Say hello": "Goodbye",  # 7 chars: 12, and wrong
}


def write_tasks(path: Path, tasks: list[dict]) -> Path:
    path.write_text("".join(json.dumps(t) + "\n" for t in tasks), encoding="utf-8")
    return path
