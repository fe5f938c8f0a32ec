"""The one YAML reader: the safe loader without aliases, duplicate keys or implicit dates.

Aliases are refused as the parser meets them, before anything is built: a 453-byte sheet of
nested aliases (the "billion laughs") would otherwise expand to 10^9 items. Dates stay text, so
an impossible date (2025-02-30) is refused by the validator with the field's name instead of
escaping as a bare ``ValueError``; a key given twice is an error, not a silent overwrite.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.events import AliasEvent, CollectionStartEvent
from yaml.nodes import MappingNode, Node

from inputs.safe_json import MAX_DEPTH, MAX_DOCUMENT_BYTES
from tokenomics.errors import InputError


class _Refused(yaml.YAMLError):
    def __init__(self, message: str, mark: Any) -> None:
        super().__init__(message)
        self.message = message
        self.problem_mark = mark


class StrictLoader(yaml.SafeLoader):
    """``SafeLoader`` that refuses aliases and deep nesting while composing, and duplicate keys."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        if self.check_event(AliasEvent):
            event = self.peek_event()
            raise _Refused("aliases (*name) are not accepted", event.start_mark)
        if self.check_event(CollectionStartEvent):
            self._depth += 1
            if self._depth > MAX_DEPTH:
                raise _Refused(f"nested deeper than {MAX_DEPTH} levels", self.peek_event().start_mark)
            try:
                return super().compose_node(parent, index)
            finally:
                self._depth -= 1
        return super().compose_node(parent, index)

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise _Refused("merge keys (<<) are not accepted", key_node.start_mark)
            key = self.construct_object(key_node, deep=True)  # type: ignore[no-untyped-call]
            try:
                duplicate = key in seen
            except TypeError:  # an unhashable key: the base class says so with its mark
                break
            if duplicate:
                raise _Refused(f"the key {str(key)[:60]!r} twice in one mapping", key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


# Dates stay strings: the validators parse them and name the field on a bad one.
StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load(text: str, name: str) -> Any:
    """Parse one YAML document; any problem is an ``InputError`` naming the file and line."""
    if len(text) > MAX_DOCUMENT_BYTES:
        raise InputError(
            f"YAML of {len(text):,} characters", file=name, expected=f"at most {MAX_DOCUMENT_BYTES:,} characters"
        )
    loader = None
    try:
        loader = StrictLoader(text)  # reading starts here: a control character is refused already
        return loader.get_single_data()
    except _Refused as exc:
        raise InputError(exc.message, file=name, line=exc.problem_mark.line + 1) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None)
        reason = problem or getattr(exc, "reason", None)
        raise InputError(
            "not valid YAML" + (f" ({reason})" if reason else ""), file=name, line=mark.line + 1 if mark else None
        ) from None
    except (ValueError, TypeError, RecursionError) as exc:  # a constructor refusing a scalar (e.g. a huge int)
        raise InputError(f"not valid YAML ({type(exc).__name__})", file=name) from None
    finally:
        if loader is not None:
            loader.dispose()
