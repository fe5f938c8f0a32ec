"""The dashboard as a server would run it: ``streamlit run serve.py``.

The same app as ``streamlit run app.py`` (``app.py`` stays the router), served by Streamlit's
ASGI server with two additions for the first visit:

- Streamlit's own JavaScript is gzipped once per file (``ui/compression.py``): about a third of
  the bytes go over the wire;
- the libraries every page needs (pandas, Plotly's figure classes) are imported and the bundled
  price layers read while the server starts, not while the first visitor waits for the first page.
"""

import streamlit as st
from starlette.middleware import Middleware

import reports.charts  # noqa: F401  (imported for its side effect: the first page needs it)
import ui.data  # noqa: F401
from pricing.book import default_sources
from ui.compression import StaticGzip

# The bundled price layers (corrections, genai-prices history, LiteLLM's map) are read once per
# process and kept: read them now, not while the first visitor waits.
default_sources()

app = st.App("app.py", middleware=[Middleware(StaticGzip)])
