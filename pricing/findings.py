"""Findings on one dataset: price it (at each run's own date, or at one date such as today),
summarise it, then set each Chinese open-weight model against its Western reference."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

import pandas as pd

from inputs.bundled import read_haircut_table
from inputs.model_origins import load_origins
from pricing.book import PriceSources
from pricing.comparison import Comparison, compare_measurements
from tokenomics.compare import CompareOptions, task_totals
from tokenomics.findings import findings
from tokenomics.origins import run_origins
from tokenomics.scenario import haircut_presets


@dataclass
class DatasetFindings:
    findings: pd.DataFrame
    comparison: Comparison
    origins: pd.DataFrame
    """Per model label: family, vendor, origin (CN, Western, mixed, ...), open_weights."""
    haircuts: pd.DataFrame | None
    """Per model: the fresh-data haircut preset applied and its basis (None: no haircut)."""


def model_origins(summary: pd.DataFrame, table: pd.DataFrame | None = None) -> pd.DataFrame:
    """Origin and open-weight status of every model of a summary, indexed by label."""
    editors = summary["editor_model"] if "editor_model" in summary.columns else pd.Series(None, index=summary.index)
    out = run_origins(summary["model"], summary["model_id"], editors, table if table is not None else load_origins())
    out.index = summary["model"].to_numpy()
    return out


def dataset_findings(
    frame: pd.DataFrame,
    sources: PriceSources,
    *,
    references: list[str] | None = None,
    haircut: bool = False,
    as_of: date | None = None,
    today: date | None = None,
    prefer_published: bool = True,
    resamples: int = 2000,
    seed: int = 0,
) -> DatasetFindings:
    """Findings of one dataset's measurements ``frame`` (``tokenomics.findings.findings``).

    ``as_of`` None prices every run at its own date (published costs rank where repricing
    disagrees, by default); a date prices every run then (e.g. today's prices).
    """
    options = CompareOptions(prefer_published=prefer_published, resamples=resamples, seed=seed)
    comparison = compare_measurements(frame, sources, as_of=as_of, today=today, options=options)
    if as_of is not None:
        options = replace(options, check_repricing=False)
    summary = comparison.summary
    origins = model_origins(summary)
    tasks = (
        task_totals(comparison.rows, comparison.table, options) if comparison.rows["task_id"].notna().any() else None
    )
    presets = haircut_presets(summary[["model", "model_id"]], read_haircut_table()) if haircut else None
    cuts = pd.Series(presets["haircut"].to_numpy(), index=presets["model"]) if presets is not None else None
    found = findings(
        summary, origins, references=references, tasks=tasks, haircuts=cuts, resamples=resamples, seed=seed
    )
    return DatasetFindings(found, comparison, origins, presets)
