"""Streamlit glue shared by the pages: cached loading and computing, session state."""
