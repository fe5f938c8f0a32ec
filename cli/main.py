"""The ``tokenomics`` command: the parser, subcommand discovery and the one-line error contract."""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys

import cli.commands
from tokenomics.errors import InputError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="tokenomics", description="What an LLM costs per solved task.")
    sub = parser.add_subparsers(dest="command", required=True)
    for info in sorted(pkgutil.iter_modules(cli.commands.__path__), key=lambda m: m.name):
        importlib.import_module(f"cli.commands.{info.name}").register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        out = args.run(args)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    sys.stdout.write(out if out.endswith("\n") else out + "\n")
    return 0
