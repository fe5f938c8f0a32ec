"""``tokenomics prices``: where price layers disagree, one model's price history, and an opt-in refresh.

- ``prices check``: for the models in the measurements (default: the bundled leaderboard), or
  every model both genai-prices and LiteLLM know (``--all``), the layers whose prices differ by
  more than 5% on input or output, with sources and dates.
- ``prices show MODEL``: every candidate price of one model, by layer and period.
- ``prices refresh``: fetch genai-prices' and LiteLLM's current data (network) and say how old
  each source is and how many prices in use the fresh data would change. Nothing is saved;
  ``compare --refresh-prices`` prices with fresh data in the same way.
"""

from __future__ import annotations

import argparse
from datetime import UTC, date, datetime

import pandas as pd

from cli.common import parse_date, read_frames
from pricing.book import default_sources
from pricing.check import THRESHOLD, catalog_models, disagreements, layer_prices, model_prices, retired_on
from reports.tables import frame_to_json
from tokenomics.errors import InputError


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("prices", help="price layers: disagreements, one model's prices, refresh")
    actions = parser.add_subparsers(dest="action", required=True)
    check = actions.add_parser("check", help=f"layers that disagree by more than {THRESHOLD:.0%} on a model's price")
    check.add_argument("--measurements", action="append", metavar="FILE", help="models to check (repeatable)")
    check.add_argument("--all", action="store_true", help="every model both genai-prices and LiteLLM know")
    check.add_argument("--day", type=parse_date, help="compare the prices in force on this day (default: today)")
    check.add_argument("--format", choices=["table", "csv", "json"], default="table")
    check.set_defaults(run=run_check)
    show = actions.add_parser("show", help="every recorded price of one model, by layer and period")
    show.add_argument("model", help="model reference, e.g. deepseek/deepseek-chat or glm-4.7")
    show.add_argument("--provider", default="", help="provider id, if the model reference has none")
    show.add_argument("--format", choices=["table", "csv", "json"], default="table")
    show.set_defaults(run=run_show)
    refresh = actions.add_parser("refresh", help="fetch genai-prices' and LiteLLM's current data (network)")
    refresh.add_argument("--measurements", action="append", metavar="FILE", help="models whose prices to compare")
    refresh.set_defaults(run=run_refresh)


def _today() -> date:
    return datetime.now(tz=UTC).date()


def _models(frame: pd.DataFrame) -> list[tuple[str, str]]:
    pairs = frame[["provider", "model"]].fillna("").drop_duplicates()
    return [(str(p), str(m)) for p, m in pairs.itertuples(index=False)]


def _render(frame: pd.DataFrame, fmt: str, empty: str) -> str:
    if fmt == "csv":
        return frame.to_csv(index=False, lineterminator="\n")
    if fmt == "json":
        return frame_to_json(frame)
    return frame.to_string(index=False) if not frame.empty else empty


def run_check(args: argparse.Namespace) -> str:
    sources = default_sources()
    models = catalog_models(sources) if args.all else _models(read_frames(args.measurements))
    day = args.day or _today()
    found = disagreements(layer_prices(sources, models, day))
    if args.format != "table":
        return _render(found, args.format, "")
    retired = "".join(
        f"\n{provider + '/' if provider else ''}{model}: retired by the provider from {since}, no price on {day}"
        " (a sheet row prices what the calls really reached)"
        for provider, model, since in retired_on(sources, models, day)
    )
    if found.empty:
        return (
            f"No two price layers disagree by more than {THRESHOLD:.0%} for the {len(models)} models checked ({day})."
            + retired
        )
    view = pd.DataFrame(
        {
            "model": (found["provider"] + "/").where(found["provider"] != "", "") + found["model"],
            "in use": found["layer"],
            "in/out": [f"${i:g} / ${o:g}" for i, o in zip(found["input_mtok"], found["output_mtok"], strict=True)],
            "as of": found["as_of"],
            "other": found["other_layer"],
            "other in/out": [
                f"${i:g} / ${o:g}" for i, o in zip(found["other_input_mtok"], found["other_output_mtok"], strict=True)
            ],
            "other as of": found["other_as_of"],
            "gap": found["largest_gap"].map(lambda g: f"{g:.0%}"),
        }
    )
    head = (
        f"{len(found)} disagreement(s) above {THRESHOLD:.0%} among {len(models)} models, prices in force on {day} "
        "(USD per million input / output tokens). The first layer wins; a price sheet row overrides both.\n\n"
    )
    return head + view.to_string(index=False) + ("\n" + retired if retired else "")


def run_show(args: argparse.Namespace) -> str:
    frame, note = model_prices(default_sources(), args.provider, args.model)
    if frame.empty:
        raise InputError(f"no price layer knows {args.model!r}", expected="a model id genai-prices or LiteLLM knows")
    text = _render(frame, args.format, "")
    if args.format == "table" and note:
        text = f"note: {note}\n\n" + text
    return text


def run_refresh(args: argparse.Namespace) -> str:
    from pricing.litellm_map import refresh as refresh_litellm
    from pricing.snapshot import describe, refresh

    bundled = default_sources()
    try:
        snapshot = refresh()
        litellm = refresh_litellm(today=_today())
    except Exception as exc:
        raise InputError(f"could not fetch fresh price data ({type(exc).__name__}: {str(exc)[:200]})") from None
    fresh = default_sources(snapshot, litellm)
    models = _models(read_frames(args.measurements))
    day = _today()
    before = layer_prices(bundled, models, day)
    after = layer_prices(fresh, models, day)
    merged = before.merge(after, on=["provider", "model", "layer"], how="outer", suffixes=("", "_fresh"))
    changed = merged[
        (merged["input_mtok"] != merged["input_mtok_fresh"]) | (merged["output_mtok"] != merged["output_mtok_fresh"])
    ]
    info = describe(snapshot, day)
    lines = [
        f"genai-prices: fetched {info.providers} providers, {info.models} models; newest price change "
        f"{info.newest_change}.",
        f"LiteLLM: fetched {len(litellm.prices)} priced models.",
        f"Bundled: {bundled.label(day)}.",
        f"{len(changed)} of {len(before)} layer prices of the {len(models)} models in the measurements differ "
        "in the fresh data. Nothing was saved: use compare --refresh-prices to price with fresh data.",
    ]
    return "\n".join(lines)
