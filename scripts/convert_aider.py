"""Convert Aider's polyglot leaderboard into the aggregated measurement shape.

    python scripts/convert_aider.py [SOURCE_YML] [OUT_CSV]

Defaults: ../shared/data/aider/polyglot_leaderboard.yml -> data/aider_polyglot.csv.
One leaderboard entry (one run over the exercises) becomes one row. Figures are copied, not
edited: exercises -> attempts, ``pass_num_2`` (solved within the benchmark's two tries) ->
successes, ``prompt_tokens``/``completion_tokens`` -> input/output tokens, ``total_cost``
-> cost_usd (0 means "not recorded" there, so it becomes empty), ``seconds_per_case`` times
the exercises -> latency_s, ``editor_model`` (architect/editor runs) -> editor_model.

Token counts that cannot be priced get a ``token_note`` saying why, and the pipeline then costs
the run from its published cost (``cost_usd``):

- input tokens per exercise outside ``OUTLIER`` times the median of the runs with tokens (the
  count covers only part of the run: Qwen3 32B logged 1,412 per exercise against a median of
  12,089, having been resumed across an Aider version that did not record tokens yet);
- an architect/editor run with tokens: Aider's benchmark logs the main (architect) coder's
  tokens, while its cost covers both models.
"""

from __future__ import annotations

import csv
import statistics
import sys
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = ROOT.parent / "shared" / "data" / "aider" / "polyglot_leaderboard.yml"
DEFAULT_OUT = ROOT / "data" / "aider_polyglot.csv"
DATASET = "aider-polyglot"
OUTLIER = 4.0
"""A run's input tokens per exercise more than this factor from the median are implausible."""
FIELDS = [
    "dataset",
    "label",
    "model",
    "editor_model",
    "run",
    "date",
    "attempts",
    "successes",
    "input_tokens",
    "output_tokens",
    "cost_usd",
    "latency_s",
    "token_note",
]


def api_model(command: str) -> str:
    """The model id after ``--model`` in the run's aider command."""
    words = command.split()
    return words[words.index("--model") + 1] if "--model" in words else words[-1]


def token_notes(entries: list[dict]) -> list[str]:
    """Why each run's token counts cannot be priced ("" where they can)."""
    per_case = [e["prompt_tokens"] / int(e["test_cases"]) if e.get("prompt_tokens") else None for e in entries]
    counted = [x for x in per_case if x is not None]
    median = statistics.median(counted) if counted else 0.0
    notes = []
    for e, x in zip(entries, per_case, strict=True):
        note = ""
        if x is not None and not median / OUTLIER <= x <= median * OUTLIER:
            why = "the count covers only part of the run" if x < median else "the count looks inflated"
            note = (
                f"{x:,.0f} input tokens per exercise, {x / median:.2f}x the median of the runs with tokens "
                f"({median:,.0f}): {why}"
            )
        elif x is not None and e.get("editor_model"):
            note = "tokens of the architect model only (Aider logs the main coder's); the cost covers both models"
        notes.append(note)
    return notes


def convert(entries: list[dict]) -> list[dict[str, object]]:
    names = Counter(str(e["model"]) for e in entries)
    rows = []
    for e, note in zip(entries, token_notes(entries), strict=True):
        label = str(e["model"])
        if names[label] > 1:
            label = f"{label} ({e['date']})"
        cost = e.get("total_cost")
        cases = int(e["test_cases"])
        rows.append(
            {
                "dataset": DATASET,
                "label": label,
                "model": api_model(str(e["command"])),
                "editor_model": e.get("editor_model", ""),
                "run": e["dirname"],
                "date": str(e["date"]),
                "attempts": cases,
                "successes": int(e["pass_num_2"]),
                "input_tokens": e.get("prompt_tokens", ""),
                "output_tokens": e.get("completion_tokens", ""),
                "cost_usd": cost if cost else "",
                "latency_s": round(float(e["seconds_per_case"]) * cases, 1) if e.get("seconds_per_case") else "",
                "token_note": note,
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
