"""Presentation: pure functions from results to Plotly figures, text tables and report bytes.

No Streamlit, no files: the CLI and the pages decide where the figures and bytes go.
"""
