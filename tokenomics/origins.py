"""Which lab made a model, where it is based, and whether its weights are open.

The table (``data/model_origins.csv``) is one row per model family with a case-insensitive
regular expression; the first row whose pattern matches wins, so specific rows come before
generic ones (``gpt-oss`` before ``gpt-``, ``gemma`` before ``gemini``). A model is matched by
its label first (with an architect's ``" + editor"`` suffix removed), then by its model id.

>>> table = pd.DataFrame({"match_pattern": ["gpt-oss", "gpt-", "deepseek"], "family": ["gpt-oss", "GPT", "DeepSeek"],
...     "vendor": ["OpenAI", "OpenAI", "DeepSeek"], "origin": ["Western", "Western", "CN"],
...     "open_weights": [True, False, True]})
>>> match_origins(pd.Series(["gpt-oss-120b (high)", "DeepSeek R1 + claude", "acme-1"]),
...     pd.Series(["openrouter/openai/gpt-oss-120b", "r1", "acme/acme-1"]), table)["origin"].tolist()
['Western', 'CN', 'unknown']
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

ORIGIN_COLUMNS = ["family", "vendor", "origin", "open_weights"]


def first_match(labels: pd.Series, model_ids: pd.Series, patterns: pd.Series) -> np.ndarray:
    """Per model, the index of the first pattern matching its label (an architect's ``" + editor"``
    suffix removed), else its model id; -1 where none matches."""
    names = labels.fillna("").astype(str).str.split(" + ", n=1, regex=False).str[0]
    ids = model_ids.fillna("").astype(str)
    chosen = np.full(len(labels), -1, dtype=np.int64)
    compiled = [re.compile(str(p), re.IGNORECASE) for p in patterns]
    for candidates in (names, ids):
        # Patterns are tried on the distinct names only: a measurement set has few models.
        codes, distinct = pd.factorize(candidates)
        first = np.array([next((i for i, rx in enumerate(compiled) if rx.search(n)), -1) for n in distinct])
        hit = first[codes] if len(distinct) else np.full(len(candidates), -1)
        chosen = np.where(chosen < 0, hit, chosen)
    return chosen


def match_origins(labels: pd.Series, model_ids: pd.Series, table: pd.DataFrame) -> pd.DataFrame:
    """Per model: family, vendor, origin (``CN``, ``Western``, ``unknown``...) and ``open_weights``.

    ``open_weights`` is NaN (unknown) for a model no row matches.
    """
    chosen = first_match(labels, model_ids, table["match_pattern"])
    known = chosen >= 0
    out = pd.DataFrame(index=labels.index)
    for col in ORIGIN_COLUMNS:
        values = table[col].to_numpy(dtype=object)[np.where(known, chosen, 0)]
        out[col] = np.where(known, values, "unknown" if col == "origin" else (np.nan if col == "open_weights" else ""))
    return out


def run_origins(labels: pd.Series, model_ids: pd.Series, editor_ids: pd.Series, table: pd.DataFrame) -> pd.DataFrame:
    """``match_origins`` for runs that may pair two models (an architect and an editor).

    A pair of two origin groups is ``mixed``; a pair is open-weight only if both models are.

    >>> table = pd.DataFrame({"match_pattern": ["claude", "deepseek|r1", "qwq|qwen"], "family": ["c", "d", "q"],
    ...     "vendor": ["A", "D", "Q"], "origin": ["Western", "CN", "CN"], "open_weights": [False, True, True]})
    >>> out = run_origins(pd.Series(["R1 + sonnet", "QwQ + coder", "deepseek"]), pd.Series(["r1", "qwq", "deepseek"]),
    ...     pd.Series(["claude-3-5-sonnet", "qwen2p5-coder", None]), table)
    >>> out[["origin", "open_weights"]].values.tolist()
    [['mixed', False], ['CN', True], ['CN', True]]
    """
    own = match_origins(labels, model_ids, table)
    editors = editor_ids.fillna("").astype(str)
    paired = editors.ne("").to_numpy()
    if not paired.any():
        return own
    other = match_origins(editors, editors, table)
    out = own.copy()
    mixed = paired & (other["origin"].to_numpy() != own["origin"].to_numpy())
    out["origin"] = np.where(mixed, "mixed", own["origin"].to_numpy())
    both_open = own["open_weights"].eq(True).to_numpy() & other["open_weights"].eq(True).to_numpy()
    out["open_weights"] = np.where(paired, both_open, own["open_weights"].to_numpy(dtype=object))
    return out
