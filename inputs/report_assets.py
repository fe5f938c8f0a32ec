"""What a self-contained HTML report embeds: Plotly's basic bundle (scatter and bar charts only,
1.2 MB against the full bundle's 4.8 MB), shipped in ``data/vendor`` with its MIT licence."""

from __future__ import annotations

import re
from functools import lru_cache

from inputs.bundled import data_file

PLOTLY_BASIC = "plotly-basic.min.js"


@lru_cache(maxsize=1)
def plotly_basic() -> str:
    """The minified bundle's text (npm ``plotly.js-basic-dist-min``, see data/README.md)."""
    return data_file("vendor", PLOTLY_BASIC).read_text(encoding="utf-8")


def plotly_basic_version() -> str:
    """The version in the bundle's header comment (``4.1.1``)."""
    found = re.search(r"plotly\.js \(basic - minified\) v(\d+\.\d+\.\d+)", plotly_basic()[:400])
    return found.group(1) if found else "unknown"
