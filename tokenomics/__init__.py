"""Cost per solved task: the pure computational core.

Nothing in this package reads files, talks to the network or imports Streamlit, except
``cli.py`` and ``__main__.py``, the command-line edge (checked by ``tests/test_layering.py``).
"""
