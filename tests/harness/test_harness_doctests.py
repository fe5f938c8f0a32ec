"""The worked examples in the harness docstrings run (pytest collects doctests under tokenomics/ only)."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["harness.client", "harness.graders", "harness.usage"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name))
    assert result.attempted > 0
    assert result.failed == 0
