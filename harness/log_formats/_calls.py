"""What the call-level formats share: which calls form an attempt, its task, its success."""

from __future__ import annotations

from typing import Any

from harness.importers import to_bool
from harness.log_formats._read import Bad, dig
from harness.log_formats.options import LogOptions


def keys(
    row: dict[str, Any],
    options: LogOptions,
    *,
    group_default: str,
    task_default: str | None = None,
) -> tuple[str, str]:
    """(task id, attempt key) of one call.

    The attempt key is the value at ``--group-by`` (default ``group_default``: a trace, a
    session). The task id is the value at ``--task-field``, else at ``task_default`` when the
    call has it, else the attempt key itself (every attempt its own task).
    """
    group_path = options.group_by or group_default
    group = dig(row, group_path)
    if group is None or group == "":
        raise Bad(
            "no attempt key",
            field=group_path,
            expected="a value naming the attempt (choose the field with --group-by)",
        )
    if options.task_field:
        task = dig(row, options.task_field)
        if task is None or task == "":
            raise Bad("no task id", field=options.task_field, expected="the task id on every call")
    else:
        task = dig(row, task_default) if task_default else None
        if task is None or task == "":
            task = group
    return _text(task, options.task_field or "task"), _text(group, group_path)


def _text(value: Any, field: str) -> str:
    if isinstance(value, dict | list):
        raise Bad("not a text or number", field=field, found=value, expected="an id")
    return str(value).strip()


def success(row: dict[str, Any], options: LogOptions) -> bool | None:
    """The call's success value at ``--success-field``; None when the call does not carry one."""
    if not options.success_field:
        return None
    value = dig(row, options.success_field)
    if isinstance(value, list) and len(value) == 1:  # Langfuse score columns hold lists
        value = value[0]
    if value is None or value == "":
        return None
    flag = to_bool(value)
    if flag is None:
        raise Bad("not a yes/no value", field=options.success_field, found=value, expected="true/false, 1/0, pass/fail")
    return flag
