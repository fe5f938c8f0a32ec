"""Write the README's lead: the first screen's answer for each bundled dataset, from the data.

    python scripts/readme_lead.py            rewrite the block between the lead markers
    python scripts/readme_lead.py --check    exit 1 if the README's block is out of date

The block is the Findings page's first lines (``reports.findings.overview`` with the default
references, every run at the prices of its own date), so it stays true when the data or the
prices change; ``tests/test_docs.py`` runs the check.
"""

from __future__ import annotations

import argparse
import re
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from inputs.datasets import dataset_path, measurement_datasets  # noqa: E402
from measurements.load import read_measurements  # noqa: E402
from pricing.book import default_sources  # noqa: E402
from pricing.findings import dataset_findings  # noqa: E402
from reports.findings import overview  # noqa: E402

START, END = "<!-- lead:start -->", "<!-- lead:end -->"
# Rows of the bundled data all carry their run's date; this only prices an undated row.
TODAY = date(2026, 11, 25)


def lead() -> str:
    sources = default_sources()
    lines = []
    for d in measurement_datasets():
        result = dataset_findings(read_measurements(dataset_path(d.id)).frame, sources, today=TODAY)
        lines.append(f"> **{d.name}.** {overview(result.findings)}")
    return "\n>\n".join(lines)


def rewritten(readme: str) -> str:
    block = f"{START}\n{lead()}\n{END}"
    pattern = re.compile(re.escape(START) + r".*?" + re.escape(END), flags=re.S)
    if not pattern.search(readme):
        raise SystemExit(f"README.md has no {START} ... {END} block")
    return pattern.sub(lambda _: block, readme)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the README's lead is out of date")
    args = parser.parse_args()
    path = ROOT / "README.md"
    current = path.read_text(encoding="utf-8")
    updated = rewritten(current)
    if args.check:
        if updated != current:
            print("README.md: the lead is out of date; run python scripts/readme_lead.py", file=sys.stderr)
            return 1
        return 0
    path.write_text(updated, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
