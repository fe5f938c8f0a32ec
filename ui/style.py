"""A compact layout on phones: the same page, tighter, so the answer is on the first screen.

Streamlit stacks columns one per row below 640 px and keeps desktop type sizes; on a 390 px
phone the headline and three metrics then fill the first screen. These rules apply only below
640 px: smaller headings and figures, two columns per row instead of one, less padding.
"""

from __future__ import annotations

import streamlit as st

PHONE_CSS = """
<style>
@media (max-width: 640px) {
  [data-testid='stMainBlockContainer'] { padding-top: 2.5rem; padding-left: 0.9rem; padding-right: 0.9rem; }
  h1 { font-size: 1.55rem !important; line-height: 1.2 !important; padding-bottom: 0.3rem !important; }
  h2 { font-size: 1.25rem !important; }
  h3 { font-size: 1.1rem !important; line-height: 1.3 !important; }
  [data-testid='stMetricValue'] { font-size: 1.35rem !important; }
  [data-testid='stMetricLabel'] p { font-size: 0.8rem !important; }
  [data-testid='stHorizontalBlock'] { flex-wrap: wrap !important; gap: 0.6rem !important; }
  [data-testid='stHorizontalBlock'] > [data-testid='stColumn'] {
    min-width: calc(50% - 0.6rem) !important; flex: 1 1 calc(50% - 0.6rem) !important;
  }
  [data-testid='stTable'] td, [data-testid='stTable'] th { padding: 0.25rem 0.4rem !important; font-size: 0.85rem; }
}
</style>
"""


def compact_on_phones() -> None:
    """Add the phone rules to the page (a style element, nothing visible)."""
    st.html(PHONE_CSS)
