"""Does the model fit on the replica? Weights plus KV cache against the GPUs' memory.

    weights   = parameters x bytes per parameter at the serving precision
    KV cache  = KV bytes per token of context x context tokens x sequences served at once
    usable    = GPU memory x GPUs per replica x usable share
    fits     <=> weights + KV cache <= usable

A mixture of experts keeps every expert in memory, so the count is the *total* parameters,
not the active ones. Memory is counted in GiB (2^30 bytes): a GPU sold as "80 GB" (H100, A100)
holds 80 GiB. The usable share defaults to 0.9, vLLM's default ``gpu_memory_utilization``
(``EngineArgs``, vllm/engine/arg_utils.py); the rest is left for activations, CUDA graphs and
the runtime. The check is a necessary condition, not a sufficient one: a configuration that
passes can still need more room for activations at long prompts.

Worked example, Kimi K2 (1T parameters, 70,272 bytes of KV cache per token in BF16) at FP8 on
4 x H100 80 GB, 8 sequences of 32,768 tokens:
weights 1e12 x 1 B = 931.3 GiB; KV cache 70,272 x 32,768 x 8 = 17.2 GiB; need 948.5 GiB
against 4 x 80 x 0.9 = 288 GiB usable: refused, the weights alone are 3.2 times the room.

>>> check = memory_check("Kimi K2", 1000, "FP8", 70_272, 32_768, 8, 80, 4)
>>> round(check.weights_gib, 1), round(check.kv_gib, 1), check.usable_gib, check.fits
(931.3, 17.2, 288.0, False)
>>> print(check.reason)  # doctest: +NORMALIZE_WHITESPACE
Kimi K2 does not fit on 4 x 80 GiB: its weights alone take 931 GiB at FP8 (1,000B parameters x 1 byte),
3.2 times the 288 GiB usable (90% of 320 GiB); the KV cache for 8 sequences of 32,768 tokens adds 17.2 GiB.
Use more or larger GPUs per replica, or a smaller precision.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from tokenomics.origins import first_match

GIB = 2.0**30
BYTES_PER_PARAMETER: dict[str, float] = {"BF16": 2.0, "FP16": 2.0, "FP8": 1.0, "INT8": 1.0, "INT4": 0.5, "FP4": 0.5}
"""Bytes of one weight at each serving precision (4-bit formats' scale factors not counted)."""
KV_PRECISIONS: dict[str, float] = {"BF16": 1.0, "FP8": 0.5}
"""KV-cache precision and its size against BF16 (an FP8 cache halves it)."""
USABLE_SHARE = 0.9
"""vLLM's default ``gpu_memory_utilization``: the share of each GPU's memory the engine takes."""


PARAM_COLUMNS = ["model", "total_params_b", "native_precision", "context_tokens", "kv_bytes_per_token_bf16", "source"]


def params_for(labels: pd.Series, model_ids: pd.Series, table: pd.DataFrame) -> pd.DataFrame:
    """Per model, its row of the parameter table (matched like the origins table); NaN where none.

    >>> table = pd.DataFrame({"match_pattern": ["kimi[- ]?k2", "qwen3[- ]32b"], "model": ["Kimi K2", "Qwen3-32B"],
    ...     "total_params_b": [1000.0, 32.0], "native_precision": ["block-FP8", "BF16"],
    ...     "context_tokens": [131072, 32768], "kv_bytes_per_token_bf16": [70272.0, 262144.0], "source": ["a", "b"]})
    >>> params_for(pd.Series(["Kimi K2", "acme"]), pd.Series(["x/kimi-k2", "y"]), table)["total_params_b"].tolist()
    [1000.0, nan]
    """
    chosen = first_match(labels, model_ids, table["match_pattern"])
    rows = table.reset_index(drop=True).reindex(chosen)[PARAM_COLUMNS].reset_index(drop=True)
    rows.index = labels.index
    return rows


def memory_need(
    params_b: np.ndarray | float,
    bytes_per_parameter: np.ndarray | float,
    kv_bytes_per_token: np.ndarray | float,
    context_tokens: np.ndarray | float,
    sequences: np.ndarray | float,
) -> tuple[np.ndarray, np.ndarray]:
    """(weights, KV cache) in GiB, broadcast over arrays; an unknown KV size (NaN) counts as 0.

    >>> w, kv = memory_need(np.array([32, 671]), 2.0, np.array([262_144, np.nan]), 32_768, 4)
    >>> w.round(1).tolist(), kv.round(1).tolist()
    ([59.6, 1249.8], [32.0, 0.0])
    """
    weights = np.asarray(params_b, dtype=float) * 1e9 * np.asarray(bytes_per_parameter, dtype=float) / GIB
    per_token = np.nan_to_num(np.asarray(kv_bytes_per_token, dtype=float), nan=0.0)
    kv = per_token * np.asarray(context_tokens, dtype=float) * np.asarray(sequences, dtype=float) / GIB
    return np.asarray(weights), np.asarray(kv)


@dataclass(frozen=True)
class MemoryCheck:
    """One replica design against one model: what it needs, what it has, and why it does not fit."""

    weights_gib: float
    kv_gib: float
    usable_gib: float
    total_gib: float
    kv_known: bool
    fits: bool
    reason: str
    """Why it does not fit (empty when it fits)."""

    @property
    def need_gib(self) -> float:
        return self.weights_gib + self.kv_gib

    def summary(self) -> str:
        """The check in one sentence, whatever its outcome."""
        kv = f"{self.kv_gib:,.1f} GiB of KV cache" if self.kv_known else "a KV cache of unknown size (not counted)"
        verdict = "fits" if self.fits else "does not fit"
        return (
            f"Needs {self.weights_gib:,.0f} GiB of weights and {kv}: {self.need_gib:,.0f} GiB against "
            f"{self.usable_gib:,.0f} GiB usable; it {verdict}."
        )


def memory_check(
    label: str,
    params_b: float,
    precision: str,
    kv_bytes_per_token: float | None,
    context_tokens: int,
    sequences: int,
    gpu_gib: float,
    gpus: int,
    usable_share: float = USABLE_SHARE,
    kv_precision: str = "BF16",
) -> MemoryCheck:
    """Weights and KV cache of ``label`` against ``gpus`` x ``gpu_gib`` x ``usable_share``."""
    per_parameter = BYTES_PER_PARAMETER[precision]
    kv_known = kv_bytes_per_token is not None and bool(np.isfinite(kv_bytes_per_token))
    per_token = kv_bytes_per_token * KV_PRECISIONS[kv_precision] if kv_bytes_per_token is not None else np.nan
    weights, kv = (float(x) for x in memory_need(params_b, per_parameter, per_token, context_tokens, sequences))
    total = gpus * gpu_gib
    usable = total * usable_share
    fits = weights + kv <= usable
    return MemoryCheck(
        weights,
        kv,
        usable,
        total,
        kv_known,
        fits,
        ""
        if fits
        else _reason(
            label,
            params_b,
            precision,
            per_parameter,
            weights,
            kv,
            kv_known,
            context_tokens,
            sequences,
            gpu_gib,
            gpus,
            usable_share,
        ),
    )


def _reason(
    label: str,
    params_b: float,
    precision: str,
    per_parameter: float,
    weights: float,
    kv: float,
    kv_known: bool,
    context_tokens: int,
    sequences: int,
    gpu_gib: float,
    gpus: int,
    usable_share: float,
) -> str:
    """Why the model does not fit, with the figures and what to change."""
    total = gpus * gpu_gib
    usable = total * usable_share
    room = f"{usable:,.0f} GiB usable ({usable_share:.0%} of {total:,.0f} GiB)"
    where = f"{label} does not fit on {gpus} x {gpu_gib:,.0f} GiB: "
    kv_part = (
        f"the KV cache for {sequences:,} sequences of {context_tokens:,} tokens adds {kv:,.1f} GiB"
        if kv_known
        else "the KV cache, of unknown size, comes on top"
    )
    if weights > usable:
        byte_word = "byte" if per_parameter == 1 else "bytes"
        return (
            f"{where}its weights alone take {weights:,.0f} GiB at {precision} ({params_b:,.0f}B parameters x "
            f"{per_parameter:g} {byte_word}), {weights / usable:.1f} times the {room}; {kv_part}. "
            "Use more or larger GPUs per replica, or a smaller precision."
        )
    return (
        f"{where}its weights take {weights:,.0f} GiB at {precision} and {kv_part}: {weights + kv:,.0f} GiB "
        f"against {room}. Serve fewer sequences at once or a shorter context."
    )
