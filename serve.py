"""The dashboard as a server would run it: ``streamlit run serve.py``.

The same app as ``streamlit run app.py`` (``app.py`` stays the router), served by Streamlit's
ASGI server with two additions for the first visit:

- Streamlit's own JavaScript is gzipped once per file (``ui/compression.py``): about a third of
  the bytes go over the wire;
- the libraries every page needs (pandas, the price layers, Plotly's figure classes) are imported
  while the server starts, not while the first visitor waits for the first page.
"""

import streamlit as st
from starlette.middleware import Middleware

import pricing.comparison  # noqa: F401  (imported for its side effect: warm module caches)
import reports.charts  # noqa: F401
import ui.data  # noqa: F401
from ui.compression import StaticGzip

app = st.App("app.py", middleware=[Middleware(StaticGzip)])
