"""Subcommands of ``python -m tokenomics`` besides ``compare``: one module each, found by ``cli.py``."""
