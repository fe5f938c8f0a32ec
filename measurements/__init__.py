"""Reading measurements (per-attempt or aggregated, CSV or JSONL) into one validated frame."""
