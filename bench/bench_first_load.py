"""Benchmark: the dashboard's first load, cold server and fresh browser, is under 3 s at 1440 x 900.

Each run starts a new server process (``streamlit run``, nothing cached), waits until it answers
its health check, launches a fresh headless Chromium (no cache, no cookies), opens the default
page and stops the clock when the page's main content is drawn: the script has finished
(``data-test-script-state='notRunning'``), the title is on screen, no spinner or skeleton is left,
and every chart and table on show is drawn (Plotly's SVG, the table's canvas). The time counts
from the navigation's start, so it includes the
script run, every static file and the browser's own work. One warm-up run first (the OS file
cache, compiled bytecode), then ``--runs`` measured runs; min and median are printed.

Beside the time, each run records what went over the wire: the bytes of every response as sent
(compressed where the server compressed it) and as decoded, so the effect of compression is a
figure, not a claim.

Run from the repository root:

    python bench/bench_first_load.py                 # 5 runs of the default entry (serve.py)
    python bench/bench_first_load.py --entry app.py  # the plain `streamlit run app.py`
    python bench/bench_first_load.py --runs 7 --page whatif
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("TOKENOMICS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TARGET_S = 3.0
MAIN_CONTENT = """() => {
  const app = document.querySelector("[data-testid='stApp']");
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (!document.querySelector('h1')) return false;
  if (document.querySelector("[data-testid='stSpinner'], [data-testid='stSkeleton']")) return false;
  // Only what is on show: a table inside a closed expander is drawn when opened.
  const drawn = (sel, inner) =>
    [...document.querySelectorAll(sel)]
      .filter(e => !e.closest('details:not([open])') && e.getBoundingClientRect().height > 0)
      .every(e => e.querySelector(inner));
  return drawn("[data-testid='stPlotlyChart']", '.main-svg') && drawn("[data-testid='stDataFrame']", 'canvas');
}"""


@dataclass
class Run:
    seconds: float
    sent_bytes: int
    decoded_bytes: int
    requests: int


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(entry: str, port: int, log, root: Path = ROOT) -> subprocess.Popen:
    command = [sys.executable, "-m", "streamlit", "run", entry, "--server.headless", "true"]
    command += ["--server.port", str(port), "--server.address", "127.0.0.1", "--server.fileWatcherType", "none"]
    return subprocess.Popen(command, cwd=root, stdout=log, stderr=subprocess.STDOUT)


def wait_healthy(url: str, proc: subprocess.Popen, log) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/_stcore/health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        if proc.poll() is not None:
            break
        time.sleep(0.1)
    log.seek(0)
    raise SystemExit(f"the server did not start:\n{log.read().decode(errors='replace')}")


def one_run(pw, entry: str, path: str, root: Path = ROOT) -> Run:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryFile() as log:
        proc = start_server(entry, port, log, root)
        try:
            wait_healthy(url, proc, log)
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            try:
                context = browser.new_context(viewport={"width": 1440, "height": 900})
                page = context.new_page()
                page.set_default_timeout(60_000)
                client = context.new_cdp_session(page)
                client.send("Network.enable")
                client.send("Network.setCacheDisabled", {"cacheDisabled": True})
                sizes: dict[str, list[int]] = {}
                client.on(
                    "Network.loadingFinished",
                    lambda e: sizes.setdefault(e["requestId"], [0, 0]).__setitem__(0, int(e["encodedDataLength"])),
                )
                client.on(
                    "Network.dataReceived",
                    lambda e: sizes.setdefault(e["requestId"], [0, 0]).__setitem__(
                        1, sizes.get(e["requestId"], [0, 0])[1] + int(e["dataLength"])
                    ),
                )
                page.goto(f"{url}/{path}", wait_until="commit")
                page.wait_for_function(MAIN_CONTENT, polling=50)
                # Navigation start to now, measured by the browser itself.
                seconds = page.evaluate("() => performance.now()") / 1000
                page.wait_for_timeout(200)  # let the last loadingFinished events arrive
                return Run(
                    seconds,
                    sum(s[0] for s in sizes.values()),
                    sum(s[1] for s in sizes.values()),
                    len(sizes),
                )
            finally:
                browser.close()
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entry", default="serve.py", help="script given to streamlit run (default serve.py)")
    parser.add_argument("--page", default="", help="path of the page to open (default: the default page)")
    parser.add_argument("--runs", type=int, default=5, help="measured runs (default 5; at least 5 for the record)")
    parser.add_argument(
        "--baseline",
        type=Path,
        metavar="DIR",
        help="also measure `streamlit run app.py` in another checkout (e.g. an older commit, `git archive` into DIR), "
        "run for run alternately with this one, and print the ratio",
    )
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores; entry {args.entry}, page /{args.page}")
    base_runs: list[Run] = []
    with sync_playwright() as pw:
        warm = one_run(pw, args.entry, args.page)
        print(f"warm-up: {warm.seconds:.2f} s")
        if args.baseline:
            print(f"baseline warm-up: {one_run(pw, 'app.py', args.page, args.baseline).seconds:.2f} s")
        runs = []
        for i in range(args.runs):
            run = one_run(pw, args.entry, args.page)
            runs.append(run)
            print(
                f"run {i + 1}: {run.seconds:.2f} s to main content; {run.requests} responses, "
                f"{run.sent_bytes / 1e6:.2f} MB over the wire ({run.decoded_bytes / 1e6:.2f} MB decoded)"
            )
            if args.baseline:
                base = one_run(pw, "app.py", args.page, args.baseline)
                base_runs.append(base)
                print(f"  baseline {i + 1}: {base.seconds:.2f} s; {base.sent_bytes / 1e6:.2f} MB over the wire")
    times = [r.seconds for r in runs]
    best, median = min(times), statistics.median(times)
    wire = statistics.median(r.sent_bytes for r in runs) / 1e6
    decoded = statistics.median(r.decoded_bytes for r in runs) / 1e6
    print(f"first load: min {best:.2f} s, median {median:.2f} s (target < {TARGET_S:.0f} s)")
    print(f"transferred: {wire:.2f} MB over the wire, {decoded:.2f} MB decoded (median)")
    if base_runs:
        base_times = [r.seconds for r in base_runs]
        print(
            f"baseline: min {min(base_times):.2f} s, median {statistics.median(base_times):.2f} s, "
            f"{statistics.median(r.sent_bytes for r in base_runs) / 1e6:.2f} MB over the wire; "
            f"median ratio {statistics.median(base_times) / median:.1f}x faster"
        )
    met = median < TARGET_S
    print("target met" if met else "target missed")
    return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main())
