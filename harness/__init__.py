"""The measuring harness: run a task set against an OpenAI-compatible endpoint, grade, store, import logs.

This package is an edge of the project: it speaks HTTP (httpx) and writes files. The pure core
in ``tokenomics/`` never imports it.
"""
