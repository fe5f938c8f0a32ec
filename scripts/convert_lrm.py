"""Convert the LRM Token Economy results into the per-attempt measurement shape.

    python scripts/convert_lrm.py [SOURCE_DIR] [OUT_CSV]

Defaults: ../shared/data/lrm_token_economy/ -> data/lrm_token_economy.csv. The source is
github.com/cpldcpu/LRMTokenEconomy at commit d5cc353 (Apache-2.0): ``evaluation_stats.csv``
(one row per attempt) and ``TokenEconomyDataset_V1.json`` (the prompts). One source row becomes
one attempt; figures are copied, not edited:

- ``prompt_id`` -> task_id, ``run_number`` -> attempt, ``success_rate == 1`` -> success (every
  prompt has one grading criterion, so 1 means correct), ``tokens_completion`` (what the API
  billed, reasoning included) -> output_tokens;
- ``tokens_reasoning`` -> reasoning_tokens where it is usable: left empty for MiniMax-M1 (its
  reported reasoning exceeds its completion on every row), DeepHermes (not reported) and
  Nemotron (reported as 0 although it reasons), and on any row where it exceeds the completion;
  the source derives Claude's from the answer's characters (``char_output / 3.1``), so those are
  rounded to whole tokens;
- input_tokens is *estimated* (the source records no prompt tokens): ``ceil(chars / 4)`` of the
  user message the source's harness sent (``"Please answer the following question: " + prompt +
  "\\nAnswer:"``, ``query-script.py``) plus ``ceil(chars / 4)`` of the model's system prompt, if
  any (``query_config_full.json``). Input is under 2.2% of every model's cost here;
- timestamp = the day the model's runs were made (its main batch; see ``RUN_DAYS``), its pricing
  date; provider and model = the price the run is costed at (``PRICED_AS``; ``data/README.md``
  says why for each).
"""

from __future__ import annotations

import csv
import json
import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = ROOT.parent / "shared" / "data" / "lrm_token_economy"
DEFAULT_OUT = ROOT / "data" / "lrm_token_economy.csv"
DATASET = "lrm-token-economy"
WRAP_BEFORE = "Please answer the following question: "
WRAP_AFTER = "\nAnswer:"

# Characters of each model's system prompt in query_config_full.json at LRMTokenEconomy@d5cc353
# (the others send none). Magistral Small's is Mistral's reasoning prompt pasted with its
# chat-template tags as literal text.
SYSTEM_PROMPT_CHARS = {
    "qwen3-235b-a22b-think": 6,  # "/think"
    "qwen3-30b-a3b-think": 6,
    "llama-3.3-nemotron-super-49b-v1": 20,  # "detailed thinking on"
    "DeepHermes-3-Mistral-24B-Pre": 367,
    "magistral-small-2506": 1035,
}

# The day each model's runs were made: the query logs' timestamps in the source repository, or,
# for the batch whose log is not stored, the day its results were first committed (d16a538,
# 2025-06-24: run on or before it). Four prompts added later ran within a week of the main batch.
RUN_DAYS = {
    "o4-mini-high-long": "2025-06-22",
    "gemini-2.5-pro": "2025-06-22",
    "claude-4-sonnet-0522-thinking": "2025-06-22",
    "gemini-2.5-flash-high": "2025-06-22",
    "grok-3-mini-think": "2025-06-22",
    "magistral-medium-2506-thinking": "2025-06-24",
    "qwen3-235b-a22b-think": "2025-06-24",
    "qwen3-30b-a3b-think": "2025-06-24",
    "glm-z1-32b": "2025-06-24",
    "deepseek-r1-0528": "2025-06-24",
    "deepseek-r1": "2025-06-24",
    "DeepHermes-3-Mistral-24B-Pre": "2025-06-26",
    "magistral-small-2506": "2025-06-26",
    "claude-3-7-sonnet-20250219": "2025-07-04",
    "deepseek-r1-distill-qwen-7b": "2025-07-05",
    "minimax-m1": "2025-07-06",
    "grok-4-07-09": "2025-07-10",
    "o3-mini-high": "2025-07-23",
    "o1-mini": "2025-07-23",
    "qwen3-235b-a22b-thinking-2507": "2025-07-26",
    "claude-opus-4": "2025-07-26",
    "llama-3.3-nemotron-super-49b-v1": "2025-07-27",
    "glm-4.5": "2025-07-28",
}

# (provider, model) each run is priced as: the lab's own API where it sold the model on the run
# day (all runs went through OpenRouter, which passes the serving endpoint's price through);
# OpenRouter's price for open-weight models served by third-party hosts; an unpriced provider
# (the host that served it) where no dated price exists.
PRICED_AS = {
    "o4-mini-high-long": ("openai", "o4-mini"),
    "gemini-2.5-pro": ("google", "gemini-2.5-pro"),
    "claude-4-sonnet-0522-thinking": ("anthropic", "claude-sonnet-4-0"),
    "gemini-2.5-flash-high": ("google", "gemini-2.5-flash"),
    "grok-3-mini-think": ("x-ai", "grok-3-mini"),
    "magistral-medium-2506-thinking": ("mistral", "magistral-medium-2506"),
    "qwen3-235b-a22b-think": ("openrouter", "qwen/qwen3-235b-a22b"),
    "qwen3-30b-a3b-think": ("openrouter", "qwen/qwen3-30b-a3b"),
    "glm-z1-32b": ("openrouter", "thudm/glm-z1-32b"),
    "deepseek-r1-0528": ("deepseek", "deepseek-reasoner"),
    "deepseek-r1": ("openrouter", "deepseek/deepseek-r1"),
    "DeepHermes-3-Mistral-24B-Pre": ("nous", "DeepHermes-3-Mistral-24B-Preview"),
    "magistral-small-2506": ("mistral", "magistral-small-2506"),
    "claude-3-7-sonnet-20250219": ("anthropic", "claude-3-7-sonnet-20250219"),
    "deepseek-r1-distill-qwen-7b": ("openrouter", "deepseek/deepseek-r1-distill-qwen-7b"),
    "minimax-m1": ("openrouter", "minimax/minimax-m1"),
    "grok-4-07-09": ("x-ai", "grok-4-0709"),
    "o3-mini-high": ("openai", "o3-mini"),
    "o1-mini": ("openai", "o1-mini"),
    "qwen3-235b-a22b-thinking-2507": ("parasail", "qwen/qwen3-235b-a22b-thinking-2507"),
    "claude-opus-4": ("anthropic", "claude-opus-4-0"),
    "llama-3.3-nemotron-super-49b-v1": ("openrouter", "nvidia/llama-3.3-nemotron-super-49b-v1"),
    "glm-4.5": ("zai", "glm-4.5"),
}

# Reported reasoning counts that are not reasoning counts (see the module docstring).
UNUSABLE_REASONING = {"minimax-m1", "DeepHermes-3-Mistral-24B-Pre", "llama-3.3-nemotron-super-49b-v1"}

FIELDS = [
    "dataset",
    "label",
    "provider",
    "model",
    "task_id",
    "attempt",
    "success",
    "input_tokens",
    "output_tokens",
    "reasoning_tokens",
    "timestamp",
]


def input_estimate(prompt: str, system_chars: int) -> int:
    """Estimated prompt tokens of one attempt: ``ceil(chars / 4)`` of the sent message and system prompt.

    >>> input_estimate("How much is 1+1?", 0)  # 62 characters sent: ceil(62 / 4)
    16
    >>> input_estimate("How much is 1+1?", 6)  # plus "/think": ceil(6 / 4)
    18
    """
    sent = WRAP_BEFORE + prompt + WRAP_AFTER
    return math.ceil(len(sent) / 4) + math.ceil(system_chars / 4)


def reasoning(model: str, value: str, completion: int) -> str:
    """The usable reasoning count of a row, as text ("" where unusable)."""
    if model in UNUSABLE_REASONING or value == "":
        return ""
    tokens = round(float(value))
    return str(tokens) if 0 <= tokens <= completion else ""


def convert(records: list[dict[str, str]], prompts: dict[str, str]) -> list[dict[str, object]]:
    rows = []
    for r in records:
        model = r["model_name"]
        provider, model_id = PRICED_AS[model]
        completion = int(r["tokens_completion"])
        rows.append(
            {
                "dataset": DATASET,
                "label": model,
                "provider": provider,
                "model": model_id,
                "task_id": r["prompt_id"],
                "attempt": int(r["run_number"]),
                "success": "true" if float(r["success_rate"]) == 1 else "false",
                "input_tokens": input_estimate(prompts[r["prompt_id"]], SYSTEM_PROMPT_CHARS.get(model, 0)),
                "output_tokens": completion,
                "reasoning_tokens": reasoning(model, r["tokens_reasoning"], completion),
                "timestamp": RUN_DAYS[model],
            }
        )
    return rows


def main(argv: list[str]) -> int:
    source = Path(argv[1]) if len(argv) > 1 else DEFAULT_SOURCE
    out = Path(argv[2]) if len(argv) > 2 else DEFAULT_OUT
    with (source / "evaluation_stats.csv").open(encoding="utf-8", newline="") as fh:
        records = list(csv.DictReader(fh))
    dataset = json.loads((source / "TokenEconomyDataset_V1.json").read_text(encoding="utf-8"))
    prompts = {p["prompt_id"]: p["prompt"] for p in dataset["prompts"]}
    rows = convert(records, prompts)
    with out.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(rows)} attempts of {len({r['label'] for r in rows})} models to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
