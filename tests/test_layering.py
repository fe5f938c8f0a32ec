"""The pure-core rule, checked on the syntax tree (comments and docstrings don't count).

Nothing in ``tokenomics/`` except the command-line edge (``cli.py``, ``__main__.py``, ``commands/``) may
import Streamlit, a network client, genai-prices or the I/O packages (``pricing``,
``measurements``), nor read files.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORE = ROOT / "tokenomics"
PAGES = ROOT / "app_pages"
EDGE = {"cli.py", "__main__.py"}
EDGE_DIRS = {"commands"}
BANNED_MODULES = {"streamlit", "httpx", "httpx2", "genai_prices", "pricing", "measurements"}
BANNED_CALLS = {"open", "Path", "read_csv", "read_text", "read_bytes"}


def imported_modules(tree: ast.AST) -> list[tuple[int, str]]:
    """Absolute module names imported anywhere in the tree (also inside functions), with their line."""
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


def banned_imports(tree: ast.AST) -> list[str]:
    return [f"line {line}: {name}" for line, name in imported_modules(tree) if name.split(".")[0] in BANNED_MODULES]


def banned_calls(tree: ast.AST) -> list[str]:
    out = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
        if name in BANNED_CALLS:
            out.append(f"line {node.lineno}: {name}(...)")
    return out


def core_modules() -> list[Path]:
    return sorted(
        p for p in CORE.rglob("*.py") if p.name not in EDGE and not EDGE_DIRS & set(p.relative_to(CORE).parts[:-1])
    )


def parse(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def test_the_core_has_modules_to_check():
    names = {p.name for p in core_modules()}
    assert {"__init__.py", "compare.py", "costing.py", "errors.py", "report.py", "stats.py", "units.py"} <= names
    assert not names & EDGE


@pytest.mark.parametrize("path", core_modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_core_module_imports_no_io_or_ui(path: Path):
    assert banned_imports(parse(path)) == []


@pytest.mark.parametrize("path", core_modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_core_module_reads_no_files(path: Path):
    assert banned_calls(parse(path)) == []


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
    assert banned_imports(tree) == [
        "line 5: streamlit",
        "line 6: pricing.book",
        "line 7: genai_prices",
        "line 11: measurements.load",
        "line 12: httpx",
    ]
    assert sorted(banned_calls(tree)) == [
        "line 13: open(...)",
        "line 14: Path(...)",
        "line 14: read_bytes(...)",
        "line 14: read_csv(...)",
        "line 14: read_text(...)",
    ]


def test_the_checker_allows_the_core_s_own_and_scientific_imports():
    tree = ast.parse("import numpy\nimport pandas as pd\nfrom tokenomics.units import TOKEN_COLUMNS\nimport zlib\n")
    assert banned_imports(tree) == []
    assert banned_calls(ast.parse("x = frame.to_csv(index=False)\ny = json.dumps(z)\n")) == []


def page_files() -> list[Path]:
    return sorted(PAGES.glob("*.py")) if PAGES.is_dir() else []


@pytest.mark.skipif(not page_files(), reason="no app pages yet")
@pytest.mark.parametrize("path", page_files(), ids=lambda p: p.name)
def test_app_pages_do_not_reach_into_the_cost_formulas(path: Path):
    """Pages show results; the costing lives in the core and is reached through pricing.run."""
    names = [name for _, name in imported_modules(parse(path))]
    assert "tokenomics.costing" not in names
    tree = parse(path)
    from_tokenomics = [
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module == "tokenomics"
        for alias in node.names
    ]
    assert "costing" not in from_tokenomics
