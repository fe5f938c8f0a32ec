"""Wall time per solved task, and what the waiting is worth (the primer's speed formula).

    time of one attempt        = time to first token + output tokens / decode speed   (or measured latency_s)
    time per solved task       = time of one attempt x E[A] / P_solved

With retries until the first success, at most k tries of success rate p,
``E[A] = (1 - (1-p)^k) / p`` and ``P_solved = 1 - (1-p)^k``, so ``E[A] / P_solved = 1 / p``
whatever k: retries raise the share of tasks solved, not the waiting per solved task. From
measurements this is total latency / successes, as cost per success is total cost / successes.

Worked example: 2 s to the first token and 3,000 output tokens at 50 tokens/s take 62 s an
attempt; at a 40% success rate a solved task takes 62 / 0.4 = 155 s. Valued at $60 an hour of
waiting, that adds 155 / 3,600 x 60 = $2.58 to its cost.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

ArrayLike = np.ndarray | pd.Series | float


def attempt_seconds(ttft_s: ArrayLike, output_tokens: ArrayLike, decode_tps: ArrayLike) -> np.ndarray:
    """Seconds of one attempt from time to first token and decode speed (tokens/s).

    >>> attempt_seconds(2.0, np.array([3_000, 600]), 50.0).tolist()
    [62.0, 14.0]
    """
    seconds: np.ndarray = np.asarray(ttft_s, dtype=float) + np.asarray(output_tokens, dtype=float) / np.asarray(
        decode_tps
    )
    return seconds


def seconds_per_success(seconds_per_attempt: ArrayLike, success_rate: ArrayLike) -> np.ndarray:
    """Expected seconds of waiting per solved task: ``t / p``; ``inf`` with no success, NaN when unknown.

    >>> seconds_per_success(np.array([62.0, 62.0, np.nan]), np.array([0.4, 0.0, 0.5])).tolist()
    [155.0, inf, nan]
    """
    t = np.asarray(seconds_per_attempt, dtype=float)
    p = np.asarray(success_rate, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(p > 0, t / p, np.where(np.isnan(t), np.nan, np.inf))


def time_cost(seconds: ArrayLike, usd_per_hour: float) -> np.ndarray:
    """USD value of ``seconds`` of waiting at ``usd_per_hour``.

    >>> round(float(time_cost(155.0, 60.0)), 2)
    2.58
    """
    # An unbounded wait (no success) valued at $0/h stays unknown (NaN) rather than warning.
    with np.errstate(invalid="ignore"):
        return np.asarray(seconds, dtype=float) / 3600 * usd_per_hour


def with_value_of_time(summary: pd.DataFrame, usd_per_hour: float) -> pd.DataFrame:
    """The summary with ``time_cost_per_success`` and ``cost_per_success_with_time`` added.

    Needs ``seconds_per_success`` (``tokenomics.compare.summarise`` adds it when the
    measurements carry ``latency_s``); a model without latency data gets NaN, not a free wait.
    """
    out = summary.copy()
    out["time_cost_per_success"] = time_cost(out["seconds_per_success"], usd_per_hour)
    out["cost_per_success_with_time"] = out["cost_per_success"] + out["time_cost_per_success"]
    return out


def estimate_missing_time(summary: pd.DataFrame, ttft_s: float, decode_tps: float) -> pd.DataFrame:
    """Fill the time of models without measured latency from time to first token and decode speed.

    Uses each model's own output tokens per attempt, so a model that writes 4x the tokens waits
    about 4x as long. ``time_basis`` says which figures are measured and which estimated.

    >>> s = pd.DataFrame({"output_tokens_per_attempt": [3_000.0, 600.0], "success_rate": [0.4, 0.5],
    ...                   "seconds_per_attempt": [np.nan, 10.0], "seconds_per_success": [np.nan, 20.0]})
    >>> estimate_missing_time(s, 2.0, 50.0)[["seconds_per_success", "time_basis"]].values.tolist()
    [[155.0, 'estimated: 2 s to first token + output at 50 tokens/s'], [20.0, 'measured latency']]
    """
    out = summary.copy()
    measured = out.get("seconds_per_attempt", pd.Series(np.nan, index=out.index)).to_numpy(dtype=float)
    estimate = attempt_seconds(ttft_s, out["output_tokens_per_attempt"].to_numpy(dtype=float), decode_tps)
    fill = np.isnan(measured) & ~np.isnan(estimate)
    out["seconds_per_attempt"] = np.where(fill, estimate, measured)
    out["seconds_per_success"] = seconds_per_success(out["seconds_per_attempt"], out["success_rate"])
    out["time_basis"] = np.select(
        [~np.isnan(measured), fill],
        ["measured latency", f"estimated: {ttft_s:g} s to first token + output at {decode_tps:g} tokens/s"],
        default="",
    )
    return out
