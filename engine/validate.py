"""The pandas reader's checks run where the rows are, with its one-line messages.

Each row carries one flag through the pricing scan (``engine.parse.fails_any``: does it fail
any rule?), and repeats are ruled out on the sums' attempt bits (``may_repeat``). Only
when some row fails does ``first_checks`` find, in one aggregate, which rules fail (most as a
minimum or a maximum per column), in the reader's order, then the first such row, its value and
its line; a possible repeat goes to the exact test, which groups a hash of each attempt's key.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import ibis
import ibis.expr.types as ir
import pandas as pd

from engine.backends import Backend
from engine.parse import Layout, Rule, duplicate_keys, late_rules, numbered, rules
from inputs.limits import Limits
from tokenomics.errors import InputError


@dataclass(frozen=True)
class Where:
    """How messages name a source: its name, the line of a row, and the word for a line."""

    name: str
    line: Callable[[int], int | None]
    """A row's line (None for a table: its rows have no lines)."""
    word: str = "line"
    json_values: bool = False
    """Found values are JSON text (a JSON Lines file): quote them as the parsed value."""
    explain: Callable[[Exception], InputError | None] = lambda exc: None
    """The one-line error for a failure of the engine's own reader (a malformed file), if it is one."""
    empty: tuple[str, str] = ("no data rows", "at least one row")
    """Message and expectation when the source has no rows."""


def _found(value: Any, json_values: bool) -> Any:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    if json_values and isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value
    if hasattr(value, "item"):
        return value.item()
    return value


def _fail(backend: Backend, raw: ir.Table, layout: Layout, where: Where, rule: Rule, row: int) -> InputError:
    found: Any = None
    if rule.found is not None:
        rows = numbered(raw, layout)
        picked = backend.execute(rows.filter(rows._row == row).select(value=rows[rule.found].cast("string")).limit(1))
        text = picked["value"].iloc[0] if len(picked) else None
        found = _typed_found(text, layout.kinds.get(rule.found, "string"), where.json_values)
    return InputError(
        rule.message,
        file=where.name,
        line=where.line(row),
        column=rule.column,
        found=found,
        expected=rule.expected,
        line_word=where.word,
    )


def _typed_found(text: Any, kind: str, json_values: bool) -> Any:
    """A found value as the pandas reader quotes it: numbers plain, text quoted, lists as lists."""
    value = _found(text, json_values)
    if not isinstance(value, str) or json_values:
        return value
    if kind == "bool":
        return value.lower() == "true"
    if kind == "other":
        try:
            return json.loads(value)
        except ValueError:
            return value
    if kind in ("csv", "number"):
        stripped = value.strip()
        for parse in (int, float):
            try:
                number = parse(stripped)
            except ValueError:
                continue
            # pandas reads "inf" as a number but keeps "nan" as the text it is.
            return number if number == number else value
    return value


def _per_row(raw: ir.Table, bad: ir.BooleanValue) -> ir.BooleanColumn:
    """A rule as a column (some rules are a constant False for some kinds of storage)."""
    column = bad if isinstance(bad, ir.Column) else raw._row.notnull() & bad
    return column.fill_null(False)


def _locate(backend: Backend, raw: ir.Table, p: ir.Table, layout: Layout, rule: Rule, where: Where) -> InputError:
    first = backend.execute(p.filter(_per_row(p, rule.bad)).aggregate(row=p._row.min()))
    return _fail(backend, raw, layout, where, rule, int(first["row"].iloc[0]))


def _duplicates(backend: Backend, p: ir.Table, layout: Layout, where: Where) -> None:
    keys = duplicate_keys(p, layout)
    if keys is None:
        return
    names = [name for name, _ in keys]
    cols = [f"k{i}" for i in range(len(keys))]
    keyed = p.select(_row=p._row, **{c: value for c, (_, value) in zip(cols, keys, strict=True)})
    keyed = keyed.filter(ibis.and_(*[keyed[c].notnull() for c in cols]))
    # Equal keys have equal hashes: grouping one integer finds every repeat (and, rarely, a
    # collision, which the exact query below tells apart) far faster than grouping the keys.
    hashed = keyed.mutate(_hash=backend.hash64(ibis.struct({c: keyed[c] for c in cols})))
    clashes = hashed.group_by("_hash").aggregate(n=hashed.count()).filter(lambda t: t.n > 1)
    if backend.execute(clashes.limit(1)).empty:
        return
    suspects = hashed.semi_join(clashes, "_hash").drop("_hash")
    repeated = (
        suspects.group_by(cols).aggregate(n=suspects.count(), first=suspects._row.min()).filter(lambda t: t.n > 1)
    )
    if backend.execute(repeated.limit(1)).empty:
        return
    # The first row that repeats an earlier one, and where that one is.
    joined = suspects.join(repeated, cols).filter(lambda t: t._row > t.first)
    second = backend.execute(joined.order_by("_row").limit(1).select("_row", "first", *cols))
    row, first = int(second["_row"].iloc[0]), int(second["first"].iloc[0])
    what = "run" if layout.shape == "aggregated" else "attempt"
    values = ", ".join(f"{name} {_key_text(second[c].iloc[0])}" for name, c in zip(names, cols, strict=True))
    first_line = where.line(first)
    earlier = f"; first on {where.word} {first_line}" if first_line is not None else ""
    raise InputError(
        f"the same {what} twice ({values}{earlier})",
        file=where.name,
        line=where.line(row),
        expected=f"each {what} once",
        line_word=where.word,
    )


def _key_text(value: Any) -> str:
    return str(float(value)) if isinstance(value, int | float) and not isinstance(value, bool) else str(value)


T = TypeVar("T")


def explained(where: Where, step: Callable[[], T]) -> T:
    """Run ``step``; a failure of the engine's reader on a malformed source becomes its one-line error."""
    try:
        return step()
    except InputError:
        raise
    except Exception as exc:
        error = where.explain(exc)
        if error is None:
            raise
        raise error from None


@dataclass(frozen=True)
class Checked:
    """A source that passed the checks made before duplicates (``first_checks``)."""

    raw: ir.Table
    parsed: ir.Table
    layout: Layout
    where: Where
    references: list[tuple[str, str]]
    """The distinct (provider, model) references (provider '' when none)."""
    late: Rule | None
    """The first check made after duplicates that some row fails."""


def first_checks(backend: Backend, raw: ir.Table, p: ir.Table, layout: Layout, limits: Limits, where: Where) -> Checked:
    """Raise the pandas reader's error for the first check before duplicates the rows fail, in its
    order; else what ``last_checks`` needs, with the references found in the same scan.

    ``p`` is ``engine.parse.parsed(raw, layout)`` (computed once by the caller); ``raw`` is read
    only to quote a bad value as the file has it.
    """
    early, late = rules(p, layout, limits), late_rules(p, layout, limits)
    checks = [*early, *late]
    aggregates = {
        f"r{i}": rule.test if rule.test is not None else _per_row(p, rule.bad).any() for i, rule in enumerate(checks)
    }
    keyed = _keyed(p, layout).group_by(["_provider", "_model"]).aggregate(**aggregates)
    flags = explained(where, lambda: backend.execute(keyed))
    references = _references(flags, where)
    failed = [i for i in range(len(checks)) if bool(flags[f"r{i}"].fillna(False).any())]
    if failed and failed[0] < len(early):
        raise _locate(backend, raw, p, layout, checks[failed[0]], where)
    return Checked(raw, p, layout, where, references, checks[failed[0]] if failed else None)


def _keyed(p: ir.Table, layout: Layout) -> ir.Table:
    """The ``parsed`` rows with their reference as ``_provider`` ('' when none) and ``_model``."""
    provider = p.provider.fill_null("") if "provider" in layout.kinds else ibis.literal("")
    return p.mutate(_provider=provider, _model=p.model)


def _references(found: pd.DataFrame, where: Where) -> list[tuple[str, str]]:
    """The sorted (provider, model) references of ``found`` (per ``_keyed`` reference), or the error
    for a source without rows."""
    if found.empty:
        raise InputError(where.empty[0], file=where.name, expected=where.empty[1])
    pairs = zip(found["_provider"], found["_model"], strict=True)
    return sorted((str(provider), str(model)) for provider, model in pairs if isinstance(model, str))


def references_of(backend: Backend, p: ir.Table, layout: Layout, where: Where) -> list[tuple[str, str]]:
    """The distinct (provider, model) references of the ``parsed`` rows (provider '' when none), or
    the error for a source without rows: ``first_checks``' scan without the checks."""
    distinct = _keyed(p, layout).select("_provider", "_model").distinct()
    return _references(explained(where, lambda: backend.execute(distinct)), where)


def last_checks(backend: Backend, checked: Checked, *, repeats: bool = True) -> None:
    """Raise the error for a repeated attempt or run, else for the first later check that fails.

    ``repeats``: whether an attempt may be repeated (False when the sums said no: ``may_repeat``).
    """
    if repeats:
        _duplicates(backend, checked.parsed, checked.layout, checked.where)
    if checked.late is not None:
        raise _locate(backend, checked.raw, checked.parsed, checked.layout, checked.late, checked.where)


def repeat_sums(t: ir.Table) -> dict[str, ir.Value]:
    """Aggregates of rows with an ``_bit`` column (``engine.parse.attempt_bit``), for
    ``relations.fine_sums``'s ``extra``: the sum (a double) and the bitwise OR of the attempt bits,
    and how many attempts were too large for a bit."""
    small = t._bit >= 0
    return {
        "attempt_sum": ibis.ifelse(small, t._bit.cast("float64"), 0.0).sum(),
        "attempt_or": ibis.ifelse(small, t._bit, 0).bit_or(),
        "attempt_wide": ibis.ifelse(t._bit < 0, 1, 0).sum(),
    }


def may_repeat(backend: Backend, groups: ir.Table) -> bool:
    """Whether some (label, task) of ``groups`` (with ``repeat_sums``) may repeat an attempt.

    False is exact: every attempt had a bit, and per (label, task) the bits' sum equals their OR.
    True only says the exact test (``last_checks``) must look.
    """
    keyed = groups.filter(groups.task_id.notnull())
    per_task = keyed.group_by(["label", "task_id"]).aggregate(
        total=keyed.attempt_sum.sum(), bits=keyed.attempt_or.bit_or(), wide=keyed.attempt_wide.sum()
    )
    suspect = per_task.filter((per_task.wide > 0) | (per_task.total > per_task.bits.cast("float64")))
    return not backend.execute(suspect.limit(1)).empty
