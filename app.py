"""tokenomics dashboard: ``streamlit run app.py``."""

import streamlit as st

from ui.safe import guarded
from ui.style import compact_on_phones

st.set_page_config(page_title="tokenomics: cost per solved task", page_icon="$", layout="wide")
compact_on_phones()

# (file, title, icon) in menu order; the first is the default page.
MENU = [
    ("findings.py", "Findings", ":material/lightbulb:"),
    ("compare.py", "Compare", ":material/leaderboard:"),
    ("whatif.py", "What-if", ":material/tune:"),
    ("selfhost.py", "Self-host", ":material/dns:"),
    ("measure.py", "Measure", ":material/science:"),
    ("prices.py", "Prices", ":material/sell:"),
]
pages = [
    st.Page(f"app_pages/{file}", title=title, icon=icon, default=i == 0) for i, (file, title, icon) in enumerate(MENU)
]
# Any exception a page does not handle becomes one short message with a reference; its traceback
# goes to the server's log only (ui/safe.py).
guarded(st.navigation(pages).run)
