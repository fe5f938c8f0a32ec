"""``python -m tokenomics selfhost``: self-hosting an open-weight model against API options, per solved task."""

from __future__ import annotations

import argparse
import math

import numpy as np
import pandas as pd

from inputs.safe_cells import csv_text
from reports.tables import frame_to_json
from tokenomics.errors import InputError
from tokenomics.format import money, pct
from tokenomics.selfhost import SelfHostPlan, hosting, options_table, verdict, workload_of


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "selfhost",
        help="break-even of self-hosting a model against API options, per solved task",
        description="Every hosting figure is your assumption: GPU prices and throughputs vary widely; "
        "measure your own serving throughput.",
    )
    parser.add_argument("--model", required=True, help="label of the open-weight model in the measurements")
    parser.add_argument(
        "--api",
        action="append",
        metavar="MODEL",
        help="API option to compare with (repeatable; default: the model's own API, the three cheapest per "
        "solved task and the most successful)",
    )
    parser.add_argument("--gpu", default="GPU", help="GPU kind, for labels (default 'GPU')")
    parser.add_argument("--gpus", type=int, default=1, help="GPUs per replica (default 1)")
    parser.add_argument("--gpu-hourly", type=float, required=True, metavar="USD", help="USD per GPU-hour")
    parser.add_argument(
        "--other-hourly", type=float, default=0.0, metavar="USD", help="other USD per replica-hour (default 0)"
    )
    parser.add_argument(
        "--throughput", type=float, required=True, metavar="TOK_S", help="input+output tokens/s of one replica"
    )
    parser.add_argument("--utilisation", type=float, required=True, metavar="U", help="planned utilisation, in (0, 1]")
    parser.add_argument(
        "--fixed-monthly", type=float, default=0.0, metavar="USD", help="fixed USD per month (default 0)"
    )
    parser.add_argument("--volume", type=float, required=True, metavar="TASKS", help="solved tasks per month")
    parser.add_argument(
        "--measurements",
        action="append",
        metavar="FILE",
        help="CSV or JSONL measurements (repeatable); default: the bundled Aider polyglot leaderboard",
    )
    parser.add_argument("--format", choices=["table", "csv", "json"], default="table")
    parser.set_defaults(run=run_selfhost)


def _comparison(paths: list[str] | None) -> pd.DataFrame:
    from cli.common import read_frames
    from pricing.book import default_sources
    from pricing.comparison import compare_measurements

    return compare_measurements(read_frames(paths), default_sources()).summary


def run_selfhost(args: argparse.Namespace) -> str:
    if not (math.isfinite(args.volume) and args.volume >= 0):
        raise InputError("volume: must be a number of solved tasks a month, 0 or more", found=args.volume)
    plan = SelfHostPlan(
        hosting(
            gpu=args.gpu,
            gpus=args.gpus,
            gpu_hourly=args.gpu_hourly,
            other_hourly=args.other_hourly,
            throughput=args.throughput,
            utilisation=args.utilisation,
            fixed_monthly=args.fixed_monthly,
        ),
        workload_of(summary := _comparison(args.measurements), args.model),
    )
    if args.api:
        unknown = sorted(set(args.api) - set(summary["model"]))
        if unknown:
            raise InputError(f"API option {unknown[0]!r} is not a model in the measurements")
        apis = summary.set_index("model").loc[args.api].reset_index()
    else:
        apis = default_options(summary, args.model)
    table = options_table(plan, args.model, apis, args.volume)
    if args.format == "csv":
        return csv_text(table)
    if args.format == "json":
        return frame_to_json(table)
    return _text(plan, args, table)


def default_options(summary: pd.DataFrame, model: str) -> pd.DataFrame:
    """The model's own API, the three cheapest models per solved task and the most successful one."""
    finite = summary[np.isfinite(summary["cost_per_success"])]
    if finite.empty:
        return finite
    picks = pd.concat(
        [
            finite[finite["model"] == model],
            finite.nsmallest(3, "cost_per_success"),
            finite.loc[[finite["success_rate"].idxmax()]],
        ]
    )
    return picks.drop_duplicates("model").sort_values("cost_per_success")


def _text(plan: SelfHostPlan, args: argparse.Namespace, table: pd.DataFrame) -> str:
    h, w = plan.hosting, plan.workload
    lines = [
        f"Self-hosting {args.model} on {h.gpus} x {h.gpu} per replica at {h.utilisation:.0%} utilisation "
        "(your assumptions, not measurements of your system):",
        f"  cost per replica-hour    {money(plan.hourly_cost)} ({h.gpus} x {money(h.gpu_hourly)} + "
        f"{money(h.other_hourly)} other)",
        f"  usd_per_mtok             {money(plan.usd_per_mtok)}",
        f"  cost per attempt         {money(plan.cost_per_attempt)} ({w.tokens_per_attempt:,.0f} tokens, "
        f"success rate {pct(w.success_rate)})",
        f"  capacity per replica     {plan.capacity:,.0f} solved tasks a month",
        f"  at {args.volume:,.0f} solved tasks a month: {int(plan.replicas(args.volume))} replica(s), "
        f"{money(float(plan.monthly_cost(args.volume)))} a month, "
        f"{money(float(plan.cost_per_success(args.volume)))} per solved task",
        "",
    ]
    view = pd.DataFrame(
        {
            "option": table["option"],
            "success": table["success_rate"].map(pct),
            "$/Mtok": table["usd_per_mtok"].map(money),
            "$/solved task": table["cost_per_success"].map(money),
            "replicas": table["replicas"].map(lambda v: "" if pd.isna(v) else str(v)),
            "monthly cost": table["monthly_cost"].map(money),
            "break-even tasks/month": table["break_even_tasks_per_month"].map(_volume),
            "cheaper from": table["cheaper_from_tasks_per_month"].map(_volume),
        }
    )
    lines.append(view.to_string(index=False))
    lines.append("")
    apis = table[table["kind"] == "API"]
    lines.extend(
        verdict(args.model, f"{o} via its API", f, a)
        for o, f, a in zip(
            apis["option"], apis["break_even_tasks_per_month"], apis["cheaper_from_tasks_per_month"], strict=True
        )
    )
    return "\n".join(lines)


def _volume(value: float) -> str:
    if np.isnan(value):
        return ""
    return "never" if np.isinf(value) else f"{value:,.0f}"
