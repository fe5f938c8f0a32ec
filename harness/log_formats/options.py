"""The options of an import, shared by every format (each reads the ones that concern it)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class LogOptions:
    fmt: str
    task_field: str | None = None
    """Dotted path (or attribute name) of the task id."""
    group_by: str | None = None
    """Dotted path whose value groups calls into one attempt (format default: trace, session...)."""
    success_field: str | None = None
    """Dotted path of a yes/no success value on the calls (or the rows)."""
    results: dict[str, bool] | None = None
    """Task id (or attempt key) -> success, from a separate results file."""
    model: str | None = None
    provider: str | None = None
    label: str | None = None
    dataset: str | None = None
    """Name of the dataset of every row (pools several of the input's datasets on purpose)."""
    pick_dataset: str | None = None
    """Keep the rows of this one of the input's datasets."""
    leaderboard: str | None = None
    """SWE-bench: the leaderboard to import (``bash-only``, ``Verified``...)."""
    metric: str | None = None
    """EEE: the ``evaluation_result_id`` whose lines to import when a sample is scored by several."""
    reward_key: str | None = None
    """Harbor: the reward to read when a trial reports several."""
    reward_threshold: float = 1.0
    """Harbor: a trial succeeds when its reward is at least this."""
    mapping: dict[str, str] = field(default_factory=dict)
    """CSV only: per-attempt column -> source column."""
    skip_bad: bool = False
