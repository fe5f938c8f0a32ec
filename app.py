"""tokenomics dashboard: ``streamlit run app.py``."""

import streamlit as st

st.set_page_config(page_title="tokenomics: cost per solved task", page_icon="$", layout="wide")

pages = [
    st.Page("app_pages/compare.py", title="Compare", icon=":material/leaderboard:", default=True),
    st.Page("app_pages/prices.py", title="Prices", icon=":material/sell:"),
]
st.navigation(pages).run()
