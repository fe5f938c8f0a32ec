"""Imports go one way: core <- data edges <- presentation <- shells (docs/architecture.md).

Checked on the syntax tree (comments and docstrings don't count), imports inside functions
included. Each top-level package has a layer; a module may import its own package and packages
of lower layers only, so no cycle between packages can form.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# package -> layer. The core is 0; edges 1-4 (inputs below the rest, measurements reads harness
# stores, the SQL engine checks rows with the measurement rules); presentation 4 (beside the engine,
# neither imports the other); shells 5-6 (pages use ui helpers, app.py routes to pages).
LAYERS = {
    "tokenomics": 0,
    "inputs": 1,
    "pricing": 2,
    "harness": 2,
    "measurements": 3,
    "engine": 4,
    "reports": 4,
    "cli": 5,
    "ui": 5,
    "app_pages": 6,
    "app": 7,
    "serve": 7,
}
# python -m tokenomics must keep working: the core's __main__ only hands over to the CLI.
ENTRY_POINTS = {("tokenomics/__main__.py", "cli")}
# The core is numbers in, numbers out: no UI, no network, no files, no databases.
CORE_BANNED = {
    "streamlit",
    "plotly",
    "httpx",
    "httpx2",
    "genai_prices",
    "openpyxl",
    "yaml",
    "sqlite3",
    "duckdb",
    "ibis",
    "chdb",
    "socket",
    "subprocess",
    "urllib",
    "requests",
}
# The engine prices where the rows are: no UI, and a ClickHouse server only over HTTP.
ENGINE_BANNED = {"streamlit", "plotly", "subprocess", "socket", "requests", "urllib3", "clickhouse_connect"}
# Presentation builds figures and bytes; pages and the CLI decide where they go.
PRESENTATION_BANNED = {"streamlit", "httpx", "httpx2", "sqlite3", "socket", "subprocess", "urllib", "requests"}
FILE_CALLS = {"open", "Path", "read_csv", "read_text", "read_bytes", "write_text", "write_bytes"}


def imported_modules(tree: ast.AST) -> list[tuple[int, str]]:
    """Absolute module names imported anywhere in the tree, with their line."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
        elif isinstance(node, ast.Call):
            # importlib.import_module("x") / __import__("x")
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", None)
            if name in {"import_module", "__import__"} and node.args and isinstance(node.args[0], ast.Constant):
                found.append((node.lineno, str(node.args[0].value)))
    return found


def file_calls(tree: ast.AST) -> list[str]:
    out = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
        if name in FILE_CALLS:
            out.append(f"line {node.lineno}: {name}(...)")
    return out


def package_of(path: Path) -> str:
    rel = path.relative_to(ROOT)
    return rel.parts[0] if len(rel.parts) > 1 else rel.stem


def layer_violations(path: Path, tree: ast.AST) -> list[str]:
    own = package_of(path)
    rel = path.relative_to(ROOT).as_posix()
    out = []
    for line, name in imported_modules(tree):
        top = name.split(".")[0]
        if top not in LAYERS or top == own or (rel, top) in ENTRY_POINTS:
            continue
        if LAYERS[top] >= LAYERS[own]:
            out.append(f"line {line}: {own} (layer {LAYERS[own]}) imports {name} (layer {LAYERS[top]})")
    return out


def banned(tree: ast.AST, names: set[str]) -> list[str]:
    return [f"line {line}: {name}" for line, name in imported_modules(tree) if name.split(".")[0] in names]


def project_modules() -> list[Path]:
    paths = [ROOT / "app.py", ROOT / "serve.py"]
    for package in LAYERS:
        if (ROOT / package).is_dir():
            paths.extend(sorted((ROOT / package).rglob("*.py")))
    return paths


def modules_of(*packages: str) -> list[Path]:
    return [p for p in project_modules() if package_of(p) in packages]


def parse(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def rel(path: Path) -> str:
    return str(path.relative_to(ROOT))


def test_every_project_package_has_a_layer():
    packages = {p.parent.name for p in ROOT.glob("*/__init__.py")} - {"tests", "bench", "scripts"}
    assert packages <= set(LAYERS), packages - set(LAYERS)
    assert {"tokenomics", "inputs", "pricing", "measurements", "harness", "engine", "reports", "cli", "ui"} <= packages


@pytest.mark.parametrize("path", project_modules(), ids=rel)
def test_imports_point_down_the_layers(path: Path):
    assert layer_violations(path, parse(path)) == []


@pytest.mark.parametrize("path", [p for p in modules_of("tokenomics") if p.name != "__main__.py"], ids=rel)
def test_the_core_imports_no_io_or_ui(path: Path):
    tree = parse(path)
    assert banned(tree, CORE_BANNED) == []
    assert file_calls(tree) == []


@pytest.mark.parametrize("path", modules_of("reports"), ids=rel)
def test_presentation_builds_figures_and_bytes_only(path: Path):
    tree = parse(path)
    assert banned(tree, PRESENTATION_BANNED) == []
    assert file_calls(tree) == []


@pytest.mark.parametrize("path", modules_of("engine"), ids=rel)
def test_the_engine_serves_no_ui(path: Path):
    assert banned(parse(path), ENGINE_BANNED) == []


def test_the_engine_and_the_reports_do_not_import_each_other():
    tree = ast.parse("from reports.tables import to_csv\nfrom engine.run import compare_files\n")
    assert layer_violations(ROOT / "engine" / "x.py", tree) == [
        "line 1: engine (layer 4) imports reports.tables (layer 4)"
    ]
    assert layer_violations(ROOT / "reports" / "x.py", tree) == [
        "line 2: reports (layer 4) imports engine.run (layer 4)"
    ]


@pytest.mark.parametrize("path", modules_of("app_pages"), ids=rel)
def test_pages_do_not_reach_into_the_cost_formulas(path: Path):
    """Pages arrange widgets; costing lives in the core and is reached through ``pricing.comparison``."""
    assert "tokenomics.costing" not in [name for _, name in imported_modules(parse(path))]


def test_the_checker_catches_what_it_should():
    source = '''
"""Docstrings may say import streamlit or open() freely."""
# import httpx  (a comment is not an import)
import numpy as np
import streamlit as st
from pricing.book import attach_prices
from genai_prices import types
import importlib

def f(p):
    import measurements.load
    importlib.import_module("httpx")
    with open(p) as fh:
        return pd.read_csv(fh), Path(p).read_text(), p.read_bytes()
'''
    tree = ast.parse(source)
    assert banned(tree, CORE_BANNED) == ["line 5: streamlit", "line 7: genai_prices", "line 12: httpx"]
    assert layer_violations(ROOT / "tokenomics" / "x.py", tree) == [
        "line 6: tokenomics (layer 0) imports pricing.book (layer 2)",
        "line 11: tokenomics (layer 0) imports measurements.load (layer 3)",
    ]
    assert layer_violations(ROOT / "cli" / "x.py", tree) == []
    assert layer_violations(ROOT / "pricing" / "x.py", tree) == [
        "line 11: pricing (layer 2) imports measurements.load (layer 3)"
    ]
    assert sorted(file_calls(tree)) == [
        "line 13: open(...)",
        "line 14: Path(...)",
        "line 14: read_bytes(...)",
        "line 14: read_csv(...)",
        "line 14: read_text(...)",
    ]


def test_same_layer_packages_may_not_import_each_other():
    tree = ast.parse("from ui.data import load_bundled\nfrom harness.store import Store\n")
    assert layer_violations(ROOT / "cli" / "x.py", tree) == ["line 1: cli (layer 5) imports ui.data (layer 5)"]
    assert layer_violations(ROOT / "pricing" / "x.py", tree) == [
        "line 1: pricing (layer 2) imports ui.data (layer 5)",
        "line 2: pricing (layer 2) imports harness.store (layer 2)",
    ]


def test_the_checker_allows_the_core_s_own_and_scientific_imports():
    tree = ast.parse("import numpy\nimport pandas as pd\nfrom tokenomics.units import TOKEN_COLUMNS\nimport zlib\n")
    assert banned(tree, CORE_BANNED) == []
    assert layer_violations(ROOT / "tokenomics" / "x.py", tree) == []
    assert file_calls(ast.parse("x = frame.to_csv(index=False)\ny = json.dumps(z)\n")) == []
