"""tokenomics dashboard: ``streamlit run app.py``."""

from pathlib import Path

import streamlit as st

st.set_page_config(page_title="tokenomics: cost per solved task", page_icon="$", layout="wide")

PAGES = Path(__file__).resolve().parent / "app_pages"
# (file, title, icon) in menu order; the first is the default page.
MENU = [
    ("compare.py", "Compare", ":material/leaderboard:"),
    ("whatif.py", "What-if", ":material/tune:"),
    ("selfhost.py", "Self-host", ":material/dns:"),
    ("measure.py", "Measure", ":material/science:"),
    ("prices.py", "Prices", ":material/sell:"),
]
pages = [
    st.Page(f"app_pages/{file}", title=title, icon=icon, default=i == 0)
    for i, (file, title, icon) in enumerate(m for m in MENU if (PAGES / m[0]).exists())
]
st.navigation(pages).run()
