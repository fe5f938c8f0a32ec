"""Screenshots of every page of the dashboard at a desktop and a phone width, to look at before
calling a change to the UI done.

    python scripts/screenshots.py OUT_DIR                # every page at 1440 and 390 px
    python scripts/screenshots.py OUT_DIR --page whatif  # one page
    python scripts/screenshots.py --readme               # docs/screenshot.png: the first screen


Starts ``streamlit run serve.py`` on a free port, opens each page in Debian's Chromium, waits
until the script has finished and the page has settled, and saves ``<page>-<width>.png`` (the
whole page, not only the first screen).
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("TOKENOMICS_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PAGES = ["", "compare", "whatif", "selfhost", "measure", "prices"]
WIDTHS = {1440: 900, 390: 844}
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def first_screen(browser: object, url: str, out: Path) -> Path:
    """The default page at 1440 px wide, tall enough to show its chart (opened) below the answer."""
    context = browser.new_context(viewport={"width": 1440, "height": 1500})  # type: ignore[attr-defined]
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(url)
    page.locator(IDLE).wait_for()
    chart = page.get_by_text("Chart:").first
    if chart.count():
        chart.click()
        page.locator(IDLE).wait_for()
        page.wait_for_timeout(2000)
    page.screenshot(path=str(out))
    context.close()
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path, nargs="?", default=ROOT / "docs")
    parser.add_argument(
        "--readme",
        action="store_true",
        help="write the README's docs/screenshot.png: the default page at 1440 px, its chart opened",
    )
    parser.add_argument("--page", action="append", help="a page's path (default: every page)")
    parser.add_argument("--entry", default="serve.py")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    from playwright.sync_api import sync_playwright

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "streamlit", "run", args.entry, "--server.headless", "true"]
    command += ["--server.port", str(port), "--server.address", "127.0.0.1", "--server.fileWatcherType", "none"]
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                try:
                    if httpx.get(f"{url}/_stcore/health", timeout=1).status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.2)
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
                if args.readme:
                    print(first_screen(browser, url, ROOT / "docs" / "screenshot.png"))
                for path in [] if args.readme else args.page or PAGES:
                    for width, height in WIDTHS.items():
                        context = browser.new_context(viewport={"width": width, "height": height})
                        page = context.new_page()
                        page.set_default_timeout(60_000)
                        page.goto(f"{url}/{path}")
                        page.wait_for_timeout(800)
                        page.locator(IDLE).wait_for()
                        page.wait_for_timeout(1500)  # charts and tables draw after the script ends
                        # Streamlit scrolls inside its main container: grow the window to the content's height.
                        # (The sidebar counts only where it is open beside the page, not on a phone.)
                        selector = "[data-testid='stMain']" + (
                            ", [data-testid='stSidebarContent']" if width > 640 else ""
                        )
                        tall = page.evaluate(
                            f'() => Math.max(...[...document.querySelectorAll("{selector}")].map(e => e.scrollHeight))'
                        )
                        page.set_viewport_size({"width": width, "height": max(height, min(int(tall) + 40, 12000))})
                        page.wait_for_timeout(800)
                        name = args.out / f"{path or 'home'}-{width}.png"
                        page.screenshot(path=str(name), full_page=True)
                        print(name)
                        context.close()
                browser.close()
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
