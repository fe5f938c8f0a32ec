"""Benchmark: the measuring harness is never the bottleneck.

Target: against the local fake server answering instantly, at concurrency 64, at least 500
attempts/s with every attempt committed to the store, and memory flat over 20,000 attempts
(resident memory after the first 2,000 attempts vs at the end: growth under 20 MB).

The fake server (``tests/harness/fakeserver.py``) runs as a separate process, as a real
endpoint would; the harness runs here exactly as ``measure`` runs it (``run_sync`` with a
store in a temporary folder). Figures printed: attempts/s, resident memory at checkpoints,
the store's size.

Run from the repository root:

    python bench/bench_harness.py            # 20,000 attempts (1,000 tasks x 20 samples)
    python bench/bench_harness.py --quick    # 2,000 attempts
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from harness.client import ClientSettings  # noqa: E402
from harness.runner import Progress, new_run, run_sync  # noqa: E402
from harness.store import Store  # noqa: E402
from harness.tasks import load_tasks  # noqa: E402

TARGET_RATE = 500.0
TARGET_GROWTH_MB = 20.0


def rss_mb() -> float:
    """Resident memory of this process now (Linux /proc), in MB."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 1e6


def start_server(answers: Path) -> tuple[subprocess.Popen, int]:
    server = subprocess.Popen(
        [sys.executable, str(ROOT / "tests" / "harness" / "fakeserver.py"), "--answers", str(answers)],
        stdout=subprocess.PIPE,
        text=True,
    )
    line = server.stdout.readline() if server.stdout else ""
    if not line.startswith("PORT "):
        server.kill()
        raise SystemExit(f"the fake server did not start: {line!r}")
    return server, int(line.split()[1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=1000)
    parser.add_argument("--samples", type=int, default=20)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--quick", action="store_true", help="100 tasks x 20 samples")
    args = parser.parse_args()
    if args.quick:
        args.tasks = 100
    total = args.tasks * args.samples
    load = os.getloadavg()[0]
    print(f"{os.cpu_count()} cores, Python {sys.version.split()[0]}, load average {load:.2f}")

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        tasks = [
            {"id": f"t{i:05d}", "prompt": f"What is {i} + 1?", "expected": i + 1, "grader": "numeric"}
            for i in range(args.tasks)
        ]
        tasks_file = folder / "tasks.jsonl"
        tasks_file.write_text("".join(json.dumps(t) + "\n" for t in tasks))
        answers = folder / "answers.json"
        answers.write_text(json.dumps({t["prompt"]: f"The answer is {t['expected']}." for t in tasks}))
        server, port = start_server(answers)
        try:
            loaded, sha = load_tasks(tasks_file)
            settings = ClientSettings(base_url=f"http://127.0.0.1:{port}/v1", model="bench-model", timeout_s=30)
            checkpoints: dict[int, float] = {}
            step = max(1, total // 10)

            def on_progress(progress: Progress) -> None:
                if progress.done % step == 0:
                    checkpoints[progress.done] = rss_mb()

            with Store(folder / "bench.sqlite") as store:
                run = new_run(
                    store,
                    settings=settings,
                    tasks=loaded,
                    tasks_path=str(tasks_file),
                    tasks_sha256=sha,
                    samples=args.samples,
                )
                before = rss_mb()
                start = time.perf_counter()
                progress = run_sync(store, run, loaded, settings, args.concurrency, on_progress)
                elapsed = time.perf_counter() - start
                stored = store.counts(run.run_id)
            size_mb = (folder / "bench.sqlite").stat().st_size / 1e6
        finally:
            server.terminate()
            server.wait(10)

    rate = total / elapsed
    print(f"{total:,} attempts ({args.tasks:,} tasks x {args.samples} samples) at concurrency {args.concurrency}")
    print(f"  {elapsed:.2f} s: {rate:,.0f} attempts/s (target >= {TARGET_RATE:.0f})")
    print(f"  stored: {stored.graded:,} graded, {stored.successes:,} solved, {stored.errors} errors; {size_mb:.1f} MB")
    marks = sorted(checkpoints.items())
    print("  resident memory (MB) by attempts done: " + ", ".join(f"{n:,}: {mb:.1f}" for n, mb in marks))
    first = marks[0][1] if marks else before
    growth = (marks[-1][1] if marks else rss_mb()) - first
    print(
        f"  memory growth after the first {marks[0][0] if marks else 0:,} attempts: {growth:+.1f} MB "
        f"(target < {TARGET_GROWTH_MB:.0f} MB); before the run {before:.1f} MB"
    )
    ok = progress.graded == total and stored.graded == total and rate >= TARGET_RATE and growth < TARGET_GROWTH_MB
    print("targets met" if ok else "TARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
