"""The dashboard as a server would run it: ``streamlit run serve.py``.

The same app as ``streamlit run app.py`` (``app.py`` stays the router), served by Streamlit's
ASGI server with two additions for the first visit:

- Streamlit's own JavaScript is gzipped once per file (``ui/compression.py``): about a third of
  the bytes go over the wire;
- the libraries every page needs (pandas, Plotly's figure classes) are imported, the bundled
  price layers read and the default page's findings computed into Streamlit's cache while the
  server starts (``ui/warm.py``), not while the first visitor waits for the first page.
"""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import streamlit as st
from starlette.middleware import Middleware

import reports.charts  # noqa: F401  (imported for its side effect: the first page needs it)
import ui.data  # noqa: F401
from pricing.book import default_sources
from ui.compression import StaticGzip
from ui.warm import warm_default_page

# The bundled price layers (corrections, genai-prices history, LiteLLM's map) are read once per
# process and kept: read them now, not while the first visitor waits.
default_sources()


@asynccontextmanager
async def lifespan(_app: st.App) -> AsyncIterator[None]:
    """Before the server answers: the default page's findings computed into Streamlit's shared cache."""
    await asyncio.to_thread(warm_default_page)
    yield


app = st.App("app.py", middleware=[Middleware(StaticGzip)], lifespan=lifespan)
