"""Edits in the Compare page's "Prices in use" become custom prices; untouched rows do not."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from pricing.overrides import EDIT_SOURCE, edits_to_custom


def sheet() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "provider": ["openai", "deepseek", "acme"],
            "model": ["gpt-4.1", "deepseek-chat", "acme-1"],
            "input_mtok": [2.0, 0.28, np.nan],
            "cache_read_mtok": [0.5, 0.028, np.nan],
            "cache_write_mtok": [np.nan, np.nan, np.nan],
            "output_mtok": [8.0, 0.42, np.nan],
            "output_reasoning_mtok": [np.nan, np.nan, np.nan],
        }
    )


def test_only_changed_rows_become_custom_prices() -> None:
    original = sheet()
    assert edits_to_custom(original, original.copy(), date(2026, 11, 25)) == ([], [])
    edited = original.copy()
    edited.loc[1, "output_mtok"] = 1.10  # deepseek-chat's output price changed
    edited.loc[2, ["input_mtok", "output_mtok"]] = [1.0, 3.0]  # an unpriced model given a price
    prices, problems = edits_to_custom(original, edited, date(2026, 11, 25))
    assert problems == []
    assert [(p.provider, p.model, p.input_mtok, p.output_mtok) for p in prices] == [
        ("deepseek", "deepseek-chat", 0.28, 1.10),
        ("acme", "acme-1", 1.0, 3.0),
    ]
    assert {p.source for p in prices} == {EDIT_SOURCE} and {p.checked_on for p in prices} == {date(2026, 11, 25)}
