"""Write the small synthetic per-attempt example (examples/attempts.csv and .jsonl).

The numbers are made up (seeded) to show the file shape and exercise the dashboard; they are
not measurements of any model. A cheap reasoning model that spends more output tokens and
succeeds less often is set against two closed models, as in the project's motivating case.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

OUT = Path(__file__).resolve().parent.parent / "examples"
MODELS = {
    # model: (provider, p_success, mean input, cached share, mean output, reasoning share)
    "gpt-4.1": ("openai", 0.70, 6000, 0.5, 900, 0.0),
    "claude-sonnet-4-0": ("anthropic", 0.75, 6500, 0.6, 1100, 0.0),
    "deepseek-v4-flash": ("deepseek", 0.55, 6000, 0.5, 3600, 0.7),
}


def make(tasks: int = 20, attempts: int = 3, seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    difficulty = rng.uniform(-1.0, 1.0, tasks)
    rows = []
    for model, (provider, p, mean_in, cached, mean_out, reasoning) in MODELS.items():
        for t in range(tasks):
            p_task = float(np.clip(p - 0.35 * difficulty[t], 0.02, 0.98))
            for a in range(1, attempts + 1):
                inp = int(rng.normal(mean_in, mean_in * 0.1))
                out = int(rng.gamma(4.0, mean_out * (1 + 0.5 * difficulty[t]) / 4.0))
                rows.append(
                    {
                        "model": model,
                        "provider": provider,
                        "task_id": f"task-{t + 1:02d}",
                        "attempt": a,
                        "success": bool(rng.random() < p_task),
                        "input_tokens": inp,
                        "cache_read_tokens": int(inp * cached),
                        "output_tokens": out,
                        "reasoning_tokens": int(out * reasoning),
                        "calls": 1,
                        "latency_s": round(float(0.4 + out / 60.0), 2),
                        "timestamp": f"2026-11-{10 + a:02d}T{8 + t % 10:02d}:15:00Z",
                    }
                )
    return pd.DataFrame(rows)


def main() -> None:
    frame = make()
    OUT.mkdir(exist_ok=True)
    frame.to_csv(OUT / "attempts.csv", index=False, lineterminator="\n")
    with (OUT / "attempts.jsonl").open("w", encoding="utf-8") as fh:
        for record in frame.to_dict(orient="records"):
            fh.write(json.dumps(record) + "\n")
    print(f"wrote {len(frame)} attempts to {OUT}")


if __name__ == "__main__":
    main()
