"""What every benchmark here reports the same way: warmed up at full size, min and median of runs.

A loaded 2-core machine skews a single timing by 2x or more: the minimum says what the code can
do, the median what a user will see on a busy day; both come from at least ``RUNS`` runs after
one untimed run of the same size.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

RUNS = 5


@dataclass(frozen=True)
class Timing:
    runs: tuple[float, ...]

    @property
    def min(self) -> float:
        return min(self.runs)

    @property
    def median(self) -> float:
        return statistics.median(self.runs)

    def text(self, unit: str = "s", digits: int = 3) -> str:
        each = ", ".join(f"{t:.{digits}f}" for t in self.runs)
        return (
            f"min {self.min:.{digits}f} {unit}, median {self.median:.{digits}f} {unit} ({len(self.runs)} runs: {each})"
        )


def timed(step: Callable[[], object], runs: int = RUNS, warm_up: bool = True) -> Timing:
    """``runs`` timings of ``step`` (at least ``RUNS``), after one untimed run when ``warm_up``."""
    if warm_up:
        step()
    times = []
    for _ in range(max(RUNS, runs)):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    return Timing(tuple(times))


@dataclass(frozen=True)
class Process:
    wall: float
    peak_mb: float
    stdout: str


def run_process(command: Sequence[str], env: dict[str, str] | None = None) -> Process:
    """Run ``command``; its wall time and peak resident memory (``/usr/bin/time``), stdout kept."""
    start = time.perf_counter()
    done = subprocess.run(
        ["/usr/bin/time", "-f", "%M", *command],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        check=False,
    )
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed: {done.stderr[-2000:]}")
    peak_kb = float(done.stderr.strip().splitlines()[-1])
    return Process(wall, peak_kb / 1024, done.stdout)


def load_line() -> str:
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return f"{os.cpu_count()} cores, load average {load} (other processes skew every figure below)"
