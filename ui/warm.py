"""What the server computes before its first visitor: the default page's cached findings.

``streamlit run serve.py`` calls ``warm_default_page`` while it starts (before it answers its
health check), so the first visitor of the default page finds the bundled datasets priced and
their findings computed in Streamlit's cache, shared by every session, instead of waiting
1.5 s for them. Later visitors would have found them cached anyway.
"""

from __future__ import annotations

import logging
import time

from inputs.datasets import measurement_datasets
from ui.findings import RUN_DATE, findings_of

LOG = logging.getLogger("tokenomics.warm")


def warm_default_page() -> float:
    """Compute the Findings page's default view of every bundled dataset; the seconds it took."""
    start = time.perf_counter()
    for dataset in measurement_datasets():
        findings_of(dataset.id, (), False, RUN_DATE)
    took = time.perf_counter() - start
    LOG.info("default page warmed in %.2f s", took)
    return took
