"""``pip install .`` gives a working ``tokenomics`` command that finds its bundled data anywhere."""

from __future__ import annotations

import contextlib
import io
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

from cli.main import main

ROOT = Path(__file__).resolve().parent.parent
SKIP = shutil.ignore_patterns(".git", "__pycache__", ".*_cache", ".hypothesis", "tests", "bench", "build", "*.egg-info")


def _requirement_names(lines: list[str]) -> set[str]:
    names = set()
    for line in lines:
        line = line.split("#")[0].strip()
        if line and not line.startswith("-"):
            names.add(line.split("==")[0].split(">=")[0].split("<")[0].split("[")[0].strip().lower())
    return names


def test_pyproject_declares_what_requirements_pins():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = _requirement_names(project["dependencies"]) | _requirement_names(
        project["optional-dependencies"]["dashboard"]
    )
    pinned = _requirement_names((ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines())
    assert declared == pinned


def test_every_package_is_shipped():
    shipped = set(
        tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"]
    )
    on_disk = {str(p.parent.relative_to(ROOT)).replace("/", ".") for p in ROOT.glob("*/**/__init__.py")}
    shells = {"ui", "app_pages", "tests", "tests.harness", "tests.app", "tests.browser"}
    assert on_disk - shells <= shipped
    data = {str(p.relative_to(ROOT / "data")) for p in (ROOT / "data").rglob("*") if p.is_file()}
    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"][
        "package-data"
    ]["tokenomics_data"]
    for name in data:
        assert any(Path(name).match(p) for p in patterns), f"data/{name} is not shipped"


def test_installed_command_runs_from_another_folder(tmp_path: Path):
    source = tmp_path / "src"
    shutil.copytree(ROOT, source, ignore=SKIP)
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    # The venv borrows pip, setuptools (pinned in requirements-dev.txt) and the dependencies from the
    # running Python, so this builds and installs offline; only the project itself is new in it.
    subprocess.run(
        [python, "-m", "pip", "install", "--quiet", "--no-build-isolation", "--disable-pip-version-check", "."],
        cwd=source,
        check=True,
    )
    shutil.rmtree(source)  # the installed copy must not lean on the source tree
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    run = subprocess.run(
        [venv / "bin" / "tokenomics", "compare", "--format", "csv"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    expected = io.StringIO()
    with contextlib.redirect_stdout(expected), contextlib.redirect_stderr(io.StringIO()):
        assert main(["compare", "--format", "csv"]) == 0
    assert run.stdout == expected.getvalue()
    module = subprocess.run(
        [python, "-m", "tokenomics", "--help"], cwd=elsewhere, capture_output=True, text=True, check=False
    )
    assert module.returncode == 0 and "compare" in module.stdout
