"""Showing untrusted text on a page: markdown escaped, and a guard that keeps tracebacks off pages.

Streamlit renders markdown in titles, captions and message boxes: a model name, a file name or a
share link like ``[sign in again](https://evil)`` or ``![x](https://tracker/pixel)`` would become a
live link or a fetched image inside the app's own error box. ``md`` escapes every character
markdown gives a meaning to, so the text shows exactly as written.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Callable

import streamlit as st

from tokenomics.errors import InputError

LOG = logging.getLogger("tokenomics.pages")
_WWW = re.compile(r"(?i)\b(www)\.")
# What makes markdown act: links and images need brackets, autolinks angle brackets or a scheme's
# colon (or an @ for e-mail), Streamlit's directives (:red[...], :material/x:) colons; the rest is emphasis, code, maths
# and headings. Plain punctuation (. - ( ) ') stays as written.
_SPECIAL = set("\\`*_[]<>~$:#|@")


def md(text: object) -> str:
    """``text`` as literal markdown: the characters that make links, images, directives or styling
    escaped, ``www.`` defused (GFM links it bare), on one line.

    >>> md("[sign in](https://x.io) *now*")
    '\\\\[sign in\\\\](https\\\\://x.io) \\\\*now\\\\*'
    >>> md("see www.evil.io")
    'see www\\\\.evil.io'
    """
    escaped = "".join("\\" + c if c in _SPECIAL else " " if c in "\r\n" else c for c in str(text))
    return _WWW.sub(r"\1\\.", escaped)


def guarded(body: Callable[[], object]) -> None:
    """Run a page (or a fragment); an unexpected exception becomes one short message with a reference.

    The traceback goes to the server log under that reference, never to the page: it can hold
    server paths and values from other users' data.
    """
    try:
        body()
    except InputError as exc:  # a bad input a page did not catch is still one clear message
        st.error(md(exc), icon=":material/error:")
    except Exception:
        reference = uuid.uuid4().hex[:10]
        LOG.exception("unexpected error on a page (reference %s)", reference)
        st.error(
            f"Something went wrong on this page (reference {reference}). Nothing was changed; the details are "
            "in the server's log under that reference.",
            icon=":material/error:",
        )
