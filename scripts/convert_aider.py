"""Convert Aider's polyglot leaderboard into the aggregated measurement shape.

    python scripts/convert_aider.py [SOURCE_YML] [OUT_CSV]

Defaults: ../shared/data/aider/polyglot_leaderboard.yml -> data/aider_polyglot.csv.
One leaderboard entry (one run over the exercises) becomes one row. Figures are copied, not
edited: exercises -> attempts, ``pass_num_2`` (solved within the benchmark's two tries) ->
successes, ``prompt_tokens``/``completion_tokens`` -> input/output tokens, ``total_cost``
-> cost_usd (0 means "not recorded" there, so it becomes empty), ``seconds_per_case`` times
the exercises -> latency_s.
"""

from __future__ import annotations

import csv
import sys
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = ROOT.parent / "shared" / "data" / "aider" / "polyglot_leaderboard.yml"
DEFAULT_OUT = ROOT / "data" / "aider_polyglot.csv"
FIELDS = [
    "label",
    "model",
    "run",
    "date",
    "attempts",
    "successes",
    "input_tokens",
    "output_tokens",
    "cost_usd",
    "latency_s",
]


def api_model(command: str) -> str:
    """The model id after ``--model`` in the run's aider command."""
    words = command.split()
    return words[words.index("--model") + 1] if "--model" in words else words[-1]


def convert(entries: list[dict]) -> list[dict[str, object]]:
    names = Counter(str(e["model"]) for e in entries)
    rows = []
    for e in entries:
        label = str(e["model"])
        if names[label] > 1:
            label = f"{label} ({e['date']})"
        cost = e.get("total_cost")
        cases = int(e["test_cases"])
        rows.append(
            {
                "label": label,
                "model": api_model(str(e["command"])),
                "run": e["dirname"],
                "date": str(e["date"]),
                "attempts": cases,
                "successes": int(e["pass_num_2"]),
                "input_tokens": e.get("prompt_tokens", ""),
                "output_tokens": e.get("completion_tokens", ""),
                "cost_usd": cost if cost else "",
                "latency_s": round(float(e["seconds_per_case"]) * cases, 1) if e.get("seconds_per_case") else "",
            }
        )
    return rows


def main(argv: list[str]) -> int:
    source = Path(argv[1]) if len(argv) > 1 else DEFAULT_SOURCE
    out = Path(argv[2]) if len(argv) > 2 else DEFAULT_OUT
    entries = yaml.safe_load(source.read_text(encoding="utf-8"))
    rows = convert(entries)
    with out.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(rows)} runs to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
