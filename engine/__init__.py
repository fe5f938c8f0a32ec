"""Pricing and aggregation in SQL: the same expressions on DuckDB (embedded) and ClickHouse.

A measurement log too large for memory is priced where it lives. The path "rows -> price cell
-> cost components -> per-model and per-task sums" is written once as Ibis expressions
(``relations``), compiled to DuckDB for files (``files``: CSV, JSON Lines, Parquet, read out of
core) and to ClickHouse SQL for tables teams already keep there (``clickhouse``, ``mappings``).
The prices come from the same candidates as the pandas path (``pricing.cells``), and the small
sums that come back (``tokenomics.sums``) go through the same core as every other comparison
(``run``): the statistics stay in one place.
"""

MAPPINGS = ("tokenomics", "langfuse", "litellm", "otel")
"""What a ClickHouse table holds (``engine.mappings``); here so the CLI lists them without loading Ibis."""
