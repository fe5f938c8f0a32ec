"""Page text as a reader sees it: AppTest gives markdown source, where user data is escaped (ui/safe.py)."""

from __future__ import annotations

import re


def plain(markdown: str) -> str:
    r"""The text with markdown's backslash escapes removed: ``cheapest\: \$1`` reads ``cheapest: $1``."""
    return re.sub(r"\\(.)", r"\1", markdown)
