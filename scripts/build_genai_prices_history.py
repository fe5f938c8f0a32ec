#!/usr/bin/env python3
"""Build a per-(provider, model) price history table for the genai-prices data.

Primary source: a bare git mirror of github.com/pydantic/genai-prices.  The
provider YAML files (``data/providers/*.yml`` before 2025-06-22, then
``prices/providers/*.yml``) are replayed commit by commit along the
first-parent history of ``--ref`` and, per (provider id, model id), we record

  first_seen            UTC date of the first commit in which the model id exists
                        in that provider's YAML
  prices_last_changed   UTC date of the last commit in which the model's ``prices``
                        value (parsed YAML, so formatting-only edits don't count)
                        changed; equals first_seen when it never changed
  n_price_changes       number of such changes after first_seen
  checked_on            the model's ``prices_checked`` field at the end point
  base_price_last_changed
                        like prices_last_changed but only for the default
                        (unconstrained) price; ignores added/changed dated
                        (start_date) or time-of-day entries
  dated_prices          start_date constraints present at the end point
  base_rates_since      first date from which the *base* (first) price entry has had its
                        current values of the text-token rates input_mtok, output_mtok,
                        cache_read_mtok, cache_write_mtok (incl. their tiers), continuously
                        up to the end point; i.e. the date of the last change of any of those
                        four values (absent -> present counts; other units such as web
                        searches, audio, images, 1h cache writes, requests do not).  A model
                        that disappears from the data and comes back counts as a change.

Optional bridge (``--releases DIR``): the mirror may stop before the package
release you need (here: mirror ends at 0.1.4+, the app pins 0.2.3).  DIR holds
the released wheels ``genai_prices-X.Y.Z-py3-none-any.whl`` and
``release_dates.json`` ({version: upload time}).  The generated
``genai_prices/data.py`` of the mirror end point and of every later release is
parsed with ``ast`` (never executed) and compared release by release; a model
that first appears, or whose prices differ, in release R gets R's upload date
(an upper bound) and ``*_after`` = the previous snapshot's date (a lower bound).
Without ``--releases`` only the mirror is read.

Rows: every (provider, model) in ``--target-version``'s bundled snapshot
(the installed ``genai_prices`` must be that version), or, with
``--rows mirror``, every model at the mirror end point.

Usage:
  python build_history.py --git-dir /work/.mirror/pydantic+genai-prices/repo \
      [--ref refs/heads/main] [--releases releases/] [--out genai_prices_history.csv]
"""

from __future__ import annotations

import argparse
import ast
import csv
import datetime as dt
import json
import re
import subprocess
import sys
import zipfile
from decimal import Decimal
from pathlib import Path

import yaml

PROVIDER_FILE_RE = re.compile(r"^(data|prices)/providers/[^/]+\.ya?ml$")
PROVIDER_DIRS = ["data/providers", "prices/providers"]
DATA_PY = "packages/python/genai_prices/data.py"
# token rates that matter for pricing text usage (values may be TieredPrices)
RATE_KEYS = ("input_mtok", "output_mtok", "cache_read_mtok", "cache_write_mtok")


# --------------------------------------------------------------------------- git
class Git:
    def __init__(self, git_dir: str):
        self.git_dir = git_dir
        self._cat = None
        self._cache: dict[str, bytes | None] = {}

    def run(self, *args: str) -> str:
        return subprocess.run(
            ["git", f"--git-dir={self.git_dir}", *args], check=True, capture_output=True, text=True
        ).stdout

    def show(self, commit: str, path: str) -> bytes | None:
        """Blob content at commit:path via one long-lived ``git cat-file --batch``."""
        key = f"{commit}:{path}"
        if key in self._cache:
            return self._cache[key]
        if self._cat is None:
            self._cat = subprocess.Popen(
                ["git", f"--git-dir={self.git_dir}", "cat-file", "--batch"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
            )
        self._cat.stdin.write(key.encode() + b"\n")
        self._cat.stdin.flush()
        header = self._cat.stdout.readline().split()
        if len(header) < 3 or header[1] == b"missing":
            data = None
        else:
            size = int(header[2])
            data = self._cat.stdout.read(size)
            self._cat.stdout.read(1)  # trailing newline
        self._cache[key] = data
        return data


def utc_date(iso: str) -> str:
    return dt.datetime.fromisoformat(iso.replace("Z", "+00:00")).astimezone(dt.UTC).date().isoformat()


# ------------------------------------------------------------------ YAML replay
def _is_zero(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and v == 0


def canon(obj) -> str:
    """Canonical JSON for a parsed YAML value (numbers compared by value)."""

    def norm(o):
        if isinstance(o, dict):  # a zero price is the same as an absent one
            return {str(k): norm(v) for k, v in o.items() if not _is_zero(v)}
        if isinstance(o, (list, tuple)):
            return [norm(v) for v in o]
        if isinstance(o, bool) or o is None:
            return o
        if isinstance(o, (int, float)):
            return format(Decimal(repr(o)).normalize(), "f")
        if isinstance(o, (dt.date, dt.datetime, dt.time)):
            return o.isoformat()
        return str(o)

    return json.dumps(norm(obj), sort_keys=True)


def yaml_base_price(prices):
    """The default (unconstrained) price of a YAML ``prices`` value."""
    if isinstance(prices, list):
        for entry in prices:
            if isinstance(entry, dict) and not entry.get("constraint"):
                return entry.get("prices")
        return None
    return prices


def first_entry(prices):
    """The base entry's price object: the first entry of a conditional-price list (its
    constraint is None, the fallback), else the bare price.  Second value: True if that
    first entry carries a constraint (not expected)."""
    if isinstance(prices, list):
        if not prices or not isinstance(prices[0], dict):
            return None, False
        return prices[0].get("prices"), bool(prices[0].get("constraint"))
    return prices, False


def pick_rates(price_obj) -> dict:
    """Only the four text-token rates of a price object (parsed YAML or ``_lit`` form)."""
    if not isinstance(price_obj, dict):
        return {}
    return {k: price_obj[k] for k in RATE_KEYS if k in price_obj}


FIRST_ENTRY_CONSTRAINED: set = set()


def yaml_start_dates(prices) -> list[str]:
    out = []
    if isinstance(prices, list):
        for entry in prices:
            c = entry.get("constraint") if isinstance(entry, dict) else None
            if isinstance(c, dict) and c.get("start_date"):
                out.append(str(c["start_date"]))
    return out


def parse_provider_yaml(text: bytes, path: str):
    """-> (provider_id, {model_id: info}) or None on failure."""
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as e:
        print(f"  YAML parse failure {path}: {str(e)[:120]}", file=sys.stderr)
        return None
    if not isinstance(doc, dict):
        return None
    pid = doc.get("id") or Path(path).stem
    models = {}
    for m in doc.get("models") or []:
        if not isinstance(m, dict) or "id" not in m:
            continue
        prices = m.get("prices")
        first, constrained = first_entry(prices)
        if constrained:
            FIRST_ENTRY_CONSTRAINED.add((str(pid), str(m["id"])))
        models[str(m["id"])] = {
            "sig": canon(prices),
            "base": canon(yaml_base_price(prices)),
            "rates": canon(pick_rates(first)),
            "checked": str(m["prices_checked"]) if m.get("prices_checked") is not None else "",
            "start_dates": yaml_start_dates(prices),
        }
    return str(pid), models


def replay_mirror(git: Git, ref: str):
    log = git.run(
        "log",
        "--first-parent",
        "--reverse",
        "-M",
        "--name-status",
        "--format=C%x09%H%x09%cI",
        ref,
        "--",
        *PROVIDER_DIRS,
    )
    commits = []
    for line in log.splitlines():
        if not line.strip():
            continue
        parts = line.split("\t")
        if parts[0] == "C":
            commits.append({"sha": parts[1], "date": utc_date(parts[2]), "changes": []})
        else:
            commits[-1]["changes"].append(parts)

    files: dict[str, tuple[str, dict]] = {}  # path -> (provider id, models)
    hist: dict[tuple[str, str], dict] = {}
    parse_failures = 0
    for c in commits:
        for ch in c["changes"]:
            status, paths = ch[0], ch[1:]
            if status.startswith("R"):
                old, new = paths
                files.pop(old, None)
                targets = [new]
            elif status.startswith("D"):
                files.pop(paths[0], None)
                targets = []
            else:
                targets = [paths[-1]]
            for p in targets:
                if not PROVIDER_FILE_RE.match(p):
                    continue
                blob = git.show(c["sha"], p)
                parsed = parse_provider_yaml(blob, p) if blob is not None else None
                if parsed is None:
                    parse_failures += 1  # keep the previous state of that file
                    continue
                files[p] = parsed
        # union of all provider files at this commit
        current: dict[tuple[str, str], dict] = {}
        for pid, models in files.values():
            for mid, info in models.items():
                current.setdefault((pid, mid), info)
        for key, info in current.items():
            h = hist.get(key)
            if h is None:
                hist[key] = {
                    "first_seen": c["date"],
                    "first_seen_commit": c["sha"],
                    "first_seen_after": "",
                    "first_seen_basis": "commit",
                    "prices_last_changed": c["date"],
                    "prices_last_changed_commit": c["sha"],
                    "prices_last_changed_after": "",
                    "prices_last_changed_basis": "commit",
                    "base_price_last_changed": c["date"],
                    "base_rates_since": c["date"],
                    "base_rates_since_after": "",
                    "base_rates_since_basis": "commit",
                    "base_rates_since_commit": c["sha"],
                    "rates": info["rates"],
                    "rate_events": [],
                    "n_price_changes": 0,
                    "sig": info["sig"],
                    "base": info["base"],
                    "checked_on": info["checked"],
                    "start_dates": info["start_dates"],
                    "present": True,
                    "events": [],
                }
                continue
            if info["sig"] != h["sig"]:
                h.update(prices_last_changed=c["date"], prices_last_changed_commit=c["sha"])
                h["n_price_changes"] += 1
                h["events"].append((c["date"], c["sha"], h["sig"], info["sig"]))
                h["sig"] = info["sig"]
            if info["base"] != h["base"]:
                h["base_price_last_changed"] = c["date"]
                h["base"] = info["base"]
            if info["rates"] != h["rates"] or not h["present"]:
                # rates changed, or the model is back after having been absent
                # (not recorded continuously)
                h.update(
                    base_rates_since=c["date"],
                    base_rates_since_commit=c["sha"],
                    base_rates_since_basis="commit" if h["present"] else "commit (re-added)",
                )
                h["rate_events"].append(
                    (c["date"], c["sha"], h["rates"], info["rates"], "" if h["present"] else "re-added")
                )
                h["rates"] = info["rates"]
            h["checked_on"] = info["checked"]
            h["start_dates"] = info["start_dates"]
            h["present"] = True
        for key, h in hist.items():
            if key not in current:
                h["present"] = False
    end = commits[-1] if commits else None
    return hist, commits, end, parse_failures


# ----------------------------------------------------- data.py (ast) snapshots
def _lit(node):
    """Canonical plain-data form of an expression in the generated data.py."""
    if isinstance(node, ast.Constant):
        v = node.value
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            return format(Decimal(repr(v)).normalize(), "f")
        return v
    if isinstance(node, (ast.List, ast.Tuple)):
        return [_lit(e) for e in node.elts]
    if isinstance(node, ast.Dict):
        return {str(_lit(k)): _lit(v) for k, v in zip(node.keys, node.values, strict=True)}
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return "-" + str(_lit(node.operand))
    if isinstance(node, ast.Call):
        name = ast.unparse(node.func)
        if name == "Decimal":
            return format(Decimal(node.args[0].value).normalize(), "f")
        if name in ("datetime.date", "date", "datetime.time", "time", "datetime.datetime"):
            return _when(node, name)
        out = {"__type__": name}
        for i, a in enumerate(node.args):
            out[f"_{i}"] = _lit(a)
        for kw in node.keywords:
            val = _lit(kw.value)
            if val is not None and val != "0":  # zero price == absent
                out[kw.arg] = val
        return out
    return ast.unparse(node)


def _when(node: ast.Call, name: str) -> str:
    """datetime.date/time(...) -> ISO text; any spelling of a UTC tzinfo -> 'Z'."""
    ints = [a.value for a in node.args]
    kws = {k.arg: ast.unparse(k.value) for k in node.keywords}
    tz = kws.pop("tzinfo", None)
    if name.endswith("date"):
        return dt.date(*ints).isoformat()
    value = (dt.datetime if name.endswith("datetime") else dt.time)(*ints).isoformat()
    if tz is None:
        return value
    if re.fullmatch(r"(datetime\.)?(UTC|timezone\.utc)", tz):
        return value + "Z"
    return f"{value}[{tz}]"


def _norm_prices(p):
    """Make a single-entry unconstrained list equal to a bare ModelPrice."""
    if isinstance(p, list) and len(p) == 1 and isinstance(p[0], dict) and "constraint" not in p[0]:
        return p[0].get("prices")
    return p


def _base(p):
    if isinstance(p, list):
        for e in p:
            if isinstance(e, dict) and "constraint" not in e:
                return e.get("prices")
        return None
    return p


def _first_rates(p) -> str:
    if isinstance(p, list):
        e = p[0] if p else None
        p = e.get("prices") if isinstance(e, dict) else None
    return json.dumps(pick_rates(p), sort_keys=True)


def _first_constrained(p) -> bool:
    return isinstance(p, list) and bool(p) and isinstance(p[0], dict) and "constraint" in p[0]


def data_py_models(source: str) -> dict[tuple[str, str], dict]:
    tree = ast.parse(source)
    out = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and ast.unparse(node.func) == "Provider":
            kws = {k.arg: k.value for k in node.keywords}
            pid = kws["id"].value
            for m in getattr(kws.get("models"), "elts", []):
                mk = {k.arg: k.value for k in m.keywords}
                prices = _norm_prices(_lit(mk["prices"])) if "prices" in mk else None
                if _first_constrained(prices):
                    FIRST_ENTRY_CONSTRAINED.add((pid, mk["id"].value))
                out[(pid, mk["id"].value)] = {
                    "sig": json.dumps(prices, sort_keys=True),
                    "base": json.dumps(_base(prices), sort_keys=True),
                    "rates": _first_rates(prices),
                }
    return out


def vkey(v: str):
    return tuple(int(x) for x in v.split("."))


def release_snapshots(releases_dir: Path, end_date: str, target_version: str):
    """[(label, utc date, data.py source)] for releases after the mirror end, up to target."""
    dates = json.loads((releases_dir / "release_dates.json").read_text())
    out = []
    for v in sorted(dates, key=vkey):
        rdate = utc_date(dates[v])
        if rdate < end_date or vkey(v) > vkey(target_version):
            continue
        whl = releases_dir / f"genai_prices-{v}-py3-none-any.whl"
        if not whl.exists():
            sys.exit(f"missing {whl}")
        out.append((f"release {v}", rdate, zipfile.ZipFile(whl).read("genai_prices/data.py").decode()))
    return out


def installed_snapshot(target_version: str):
    """The installed package's data.py, date unknown (mirror-only mode)."""
    import genai_prices

    src = (Path(genai_prices.__file__).parent / "data.py").read_text()
    return [(f"after mirror end (per installed {target_version})", "", src)]


def bridge(git: Git, end, hist, snapshots):
    """Compare the mirror end point's generated data.py with each later snapshot in turn.

    A model that is new, or whose prices differ, in a snapshot gets that snapshot's date
    (empty when unknown) and *_after = the previous snapshot's date.
    """
    prev = data_py_models(git.show(end["sha"], DATA_PY).decode())
    prev_date = end["date"]
    for label, sdate, src in snapshots:
        cur = data_py_models(src)
        n_new = n_chg = n_gap = 0
        for key, info in cur.items():
            h = hist.get(key)
            if h is None:
                hist[key] = h = {
                    "first_seen": sdate,
                    "first_seen_commit": "",
                    "first_seen_after": prev_date,
                    "first_seen_basis": label,
                    "prices_last_changed": sdate,
                    "prices_last_changed_commit": "",
                    "prices_last_changed_after": prev_date,
                    "prices_last_changed_basis": label,
                    "base_price_last_changed": sdate,
                    "base_rates_since": sdate,
                    "base_rates_since_after": prev_date,
                    "base_rates_since_basis": label,
                    "base_rates_since_commit": "",
                    "n_price_changes": 0,
                    "checked_on": "",
                    "start_dates": [],
                    "rel_sig": info["sig"],
                    "rel_base": info["base"],
                    "rel_rates": info["rates"],
                }
                n_new += 1
                continue
            if "rel_sig" not in h:
                if key in prev:  # baseline: the mirror end's generated data.py
                    h["rel_sig"], h["rel_base"] = prev[key]["sig"], prev[key]["base"]
                    h["rel_rates"] = prev[key]["rates"]
                else:
                    # in the YAML history but removed before the mirror end, now re-added:
                    # its price is (re-)recorded now
                    h["rel_sig"] = h["rel_base"] = h["rel_rates"] = None
                    h["readded"] = True
            readded = h.pop("readded", False)
            # absent from the previous release, back now: its rates were not recorded
            # continuously (only base_rates_since treats this as a change)
            gap = key not in prev and not readded
            if gap:
                n_gap += 1
            if info["rates"] != h["rel_rates"] or gap:
                h.update(
                    base_rates_since=sdate,
                    base_rates_since_commit="",
                    base_rates_since_after=prev_date,
                    base_rates_since_basis=label + (" (re-added)" if readded or gap else ""),
                )
                h.setdefault("rate_events", []).append(
                    (sdate, label, h["rel_rates"], info["rates"], "re-added" if readded or gap else "")
                )
            if info["sig"] != h["rel_sig"]:
                h.update(
                    prices_last_changed=sdate,
                    prices_last_changed_commit="",
                    prices_last_changed_after=prev_date,
                    prices_last_changed_basis=label + (" (re-added)" if readded else ""),
                )
                h["n_price_changes"] += 1
                h.setdefault("events", []).append((sdate, label, h["rel_sig"], info["sig"]))
                n_chg += 1
            if info["base"] != h["rel_base"]:
                h["base_price_last_changed"] = sdate
            h["rel_sig"], h["rel_base"], h["rel_rates"] = info["sig"], info["base"], info["rates"]
        print(
            f"  {label} ({sdate or 'date unknown'}): {len(cur)} models, {n_new} new, "
            f"{n_chg} price changes, {n_gap} back after a gap",
            file=sys.stderr,
        )
        prev, prev_date = cur, sdate


# ------------------------------------------------------------------------ main
def snapshot_rows(target_version: str):
    import genai_prices
    from genai_prices import data_snapshot

    if genai_prices.__version__ != target_version:
        sys.exit(f"installed genai_prices is {genai_prices.__version__}, expected {target_version}")
    rows = []
    for p in data_snapshot.get_snapshot().providers:
        for m in p.models:
            starts = []
            if isinstance(m.prices, list):
                starts = [
                    str(cp.constraint.start_date)
                    for cp in m.prices
                    if getattr(cp.constraint, "start_date", None) is not None
                ]
            rows.append((p.id, m.id, starts))
    return rows


COLUMNS = [
    "provider",
    "model",
    "first_seen",
    "prices_last_changed",
    "n_price_changes",
    "checked_on",
    "first_seen_after",
    "first_seen_basis",
    "prices_last_changed_after",
    "prices_last_changed_basis",
    "base_price_last_changed",
    "dated_prices",
    "first_seen_commit",
    "prices_last_changed_commit",
    "base_rates_since",
    "base_rates_since_after",
    "base_rates_since_basis",
    "base_rates_since_commit",
]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--git-dir", required=True)
    ap.add_argument("--ref", default="refs/heads/main")
    ap.add_argument("--releases", type=Path, help="dir with release wheels + release_dates.json (bridge)")
    ap.add_argument("--target-version", default="0.2.3")
    ap.add_argument("--rows", choices=["snapshot", "mirror"], default="snapshot")
    ap.add_argument("--out", type=Path, default=Path(__file__).with_name("genai_prices_history.csv"))
    args = ap.parse_args()

    git = Git(args.git_dir)
    hist, commits, end, fails = replay_mirror(git, args.ref)
    print(
        f"mirror: {len(commits)} commits touching provider YAML; end {end['sha']} {end['date']}; "
        f"{len(hist)} (provider, model) keys ever seen; {fails} unparseable blobs",
        file=sys.stderr,
    )
    mirror_keys = {k for k, h in hist.items() if h.get("present")}
    if args.releases:
        snaps = release_snapshots(args.releases, end["date"], args.target_version)
    elif args.rows == "snapshot":
        snaps = installed_snapshot(args.target_version)
    else:
        snaps = []
    bridge(git, end, hist, snaps)

    if args.rows == "snapshot":
        rows = snapshot_rows(args.target_version)
    else:
        rows = [(p, m, hist[(p, m)]["start_dates"]) for p, m in sorted(mirror_keys)]

    missing = 0
    with args.out.open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(COLUMNS)
        for pid, mid, starts in rows:
            h = hist.get((pid, mid))
            if h is None:
                missing += 1
                w.writerow(
                    [
                        pid,
                        mid,
                        "",
                        "",
                        "",
                        "",
                        "",
                        "not in source",
                        "",
                        "not in source",
                        "",
                        ";".join(starts),
                        "",
                        "",
                        "",
                        "",
                        "not in source",
                        "",
                    ]
                )
                continue
            w.writerow(
                [
                    pid,
                    mid,
                    h["first_seen"],
                    h["prices_last_changed"],
                    h["n_price_changes"],
                    h["checked_on"],
                    h["first_seen_after"],
                    h["first_seen_basis"],
                    h["prices_last_changed_after"],
                    h["prices_last_changed_basis"],
                    h["base_price_last_changed"],
                    ";".join(starts),
                    h["first_seen_commit"],
                    h["prices_last_changed_commit"],
                    h["base_rates_since"],
                    h["base_rates_since_after"],
                    h["base_rates_since_basis"],
                    h["base_rates_since_commit"],
                ]
            )
    if FIRST_ENTRY_CONSTRAINED:
        print(
            f"WARNING: first price entry has a constraint for {len(FIRST_ENTRY_CONSTRAINED)} keys: "
            f"{sorted(FIRST_ENTRY_CONSTRAINED)[:10]}",
            file=sys.stderr,
        )
    print(f"wrote {args.out}: {len(rows)} rows, {missing} without history", file=sys.stderr)


if __name__ == "__main__":
    main()
