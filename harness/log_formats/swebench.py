"""SWE-bench leaderboards: ``data/leaderboards.json`` of the SWE-bench website repository.

The file has no version field; its shape is whatever the site's ``build.py`` and JavaScript read
(checked against ``SWE-bench/swe-bench.github.io`` at 15491f17, 2026-03). Per leaderboard, per
submission, ``per_instance_details`` maps an instance id to ``{resolved, cost, api_calls}``: one
attempt per instance, with its cost in USD (the harness's own figure at LiteLLM's list prices
on the run date) and no token counts, so the comparison uses that observed cost.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from harness.attempts import epoch
from harness.log_formats._read import Bad, Log, Source, amount, arr, count, decode, loads, text_field
from harness.log_formats.options import LogOptions
from tokenomics.errors import InputError

LICENCE_NOTE = (
    "SWE-bench leaderboard data is licensed CC BY-NC 4.0 (SWE-bench/swe-bench.github.io): "
    "imported for your own non-commercial use, never bundled with tokenomics; credit SWE-bench where you show it"
)


def read(sources: list[Source], options: LogOptions, log: Log) -> list[dict[str, Any]]:
    log.note(LICENCE_NOTE)
    out: list[dict[str, Any]] = []
    for source in sources:
        doc = loads(decode(source), source.name)
        boards = doc.get("leaderboards") if isinstance(doc, dict) else None
        if not isinstance(boards, list):
            raise InputError(
                "not a SWE-bench leaderboards file",
                file=source.name,
                expected='a JSON object with "leaderboards": [...]',
            )
        index, board = _choose(boards, options.leaderboard, source.name, log)
        out.extend(_board(source.name, index, board, log))
    return out


def _details(board: Any) -> bool:
    results = board.get("results") if isinstance(board, dict) else None
    return isinstance(results, list) and any(isinstance(r, dict) and r.get("per_instance_details") for r in results)


def _choose(boards: list[Any], wanted: str | None, name: str, log: Log) -> tuple[int, dict[str, Any]]:
    named = {i: str(b.get("name")) for i, b in enumerate(boards) if isinstance(b, dict)}
    listed = ", ".join(f"{n}{'' if _details(boards[i]) else ' (no per-instance data)'}" for i, n in named.items())
    if wanted is not None:
        hits = [i for i, n in named.items() if n.lower() == wanted.lower()]
        if not hits:
            raise InputError(f"no leaderboard {wanted!r} in the file", file=name, expected=f"one of: {listed}")
        return hits[0], boards[hits[0]]
    usable = [i for i in named if _details(boards[i])]
    if len(usable) == 1:
        return usable[0], boards[usable[0]]
    bash_only = [i for i in usable if named[i] == "bash-only"]
    if bash_only:
        log.note(
            "leaderboard 'bash-only' imported (its per-instance runs are also copied into 'Verified'); "
            "choose another with --leaderboard NAME"
        )
        return bash_only[0], boards[bash_only[0]]
    raise InputError("which leaderboard?", file=name, expected=f"--leaderboard NAME, one of: {listed}")


def _board(name: str, index: int, board: dict[str, Any], log: Log) -> list[dict[str, Any]]:
    board_name = str(board.get("name"))
    results = board.get("results")
    if not isinstance(results, list):
        raise InputError(
            "no submissions",
            file=name,
            column=f"leaderboards[{index}].results",
            column_word="field",
            expected="a list",
        )
    titles = [r.get("name") for r in results if isinstance(r, dict)]
    out: list[dict[str, Any]] = []
    without, warned = 0, 0
    for j, sub in enumerate(results):
        where = f"leaderboards[{index}].results[{j}]"
        try:
            if not isinstance(sub, dict):
                raise Bad("not an object", field=where, found=sub, expected="a submission object")
            if sub.get("warning"):
                warned += 1
                continue
            details = sub.get("per_instance_details")
            if not details:
                without += 1
                continue
            out.extend(_submission(sub, board_name, titles, name))
        except Bad as exc:
            # Field paths stay short (messages are bounded); the message says which submission.
            title = sub.get("name") if isinstance(sub, dict) else None
            exc.message = f"{where} ({str(title)[:40]!r}): {exc.message}" if title else f"{where}: {exc.message}"
            log.bad.append((name, None, exc))
    if not out and not log.bad:
        raise InputError(f"leaderboard {board_name!r} has no per-instance results", file=name)
    if without:
        log.note(f"{without} submission(s) of {board_name!r} without per-instance details were left out")
    if warned:
        log.note(f"{warned} submission(s) of {board_name!r} carrying a warning (hidden by the site) were left out")
    return out


def _submission(sub: dict[str, Any], board: str, titles: list[Any], name: str) -> list[dict[str, Any]]:
    title = text_field(sub.get("name"), "name", required=True)
    assert title is not None
    label = title if titles.count(title) == 1 else f"{title} [{sub.get('folder')}]"
    tags = arr(sub.get("tags"))
    models = [t.split(":", 1)[1].strip() for t in tags if isinstance(t, str) and t.startswith("Model:")]
    model = models[0] if len(models) == 1 and models[0] else title
    day = sub.get("date")
    if day is not None:
        try:
            date.fromisoformat(str(day))
        except ValueError:
            raise Bad("not a date", field="date", found=day, expected="YYYY-MM-DD") from None
    details = sub["per_instance_details"]
    if not isinstance(details, dict):
        raise Bad("not an object", field="per_instance_details", found=details, expected="instance id -> {...}")
    rows = []
    for instance, detail in details.items():
        at = f"per_instance_details[{instance!r}]"
        if not isinstance(detail, dict):
            raise Bad("not an object", field=at, found=detail, expected="{resolved, cost, api_calls}")
        resolved = detail.get("resolved")
        if not isinstance(resolved, bool):
            raise Bad("not true/false", field=f"{at}.resolved", found=resolved, expected="true or false")
        rows.append(
            {
                "label": label,
                "model": model,
                "dataset": f"SWE-bench {board}",
                "task_id": str(instance),
                "success": resolved,
                "cost_usd": amount(detail.get("cost"), f"{at}.cost"),
                "calls": count(detail.get("api_calls"), f"{at}.api_calls"),
                "timestamp": str(day) if day is not None else None,
                "_start": epoch(str(day)) if day is not None else None,
                "_file": name,
            }
        )
    return rows
