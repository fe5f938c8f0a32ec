"""serve.py's warm-up computes exactly what the default page asks for first: the page then finds it cached."""

from __future__ import annotations

import pytest

import ui.findings
from inputs.datasets import measurement_datasets
from ui.warm import warm_default_page


def test_the_warm_up_fills_the_cache_the_default_page_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    computed = []
    real = ui.findings.dataset_findings

    def counting(*args, **kwargs):
        computed.append(kwargs.get("as_of"))
        return real(*args, **kwargs)

    monkeypatch.setattr(ui.findings, "dataset_findings", counting)
    ui.findings._findings.clear()
    assert warm_default_page() > 0
    assert len(computed) == len(measurement_datasets()) >= 2
    # The page's first view of each dataset: default references, no haircut, each run's own date.
    for dataset in measurement_datasets():
        ui.findings.findings_of(dataset.id, (), False, ui.findings.RUN_DATE)
    assert len(computed) == len(measurement_datasets())  # nothing computed again
