"""User-facing input errors: every one names where the problem is and what was expected."""

from __future__ import annotations

FOUND_CHARS = 60
"""At most this many characters of a found value are quoted: a message never grows with the input."""
PART_CHARS = 200
"""At most this many characters of each other part (file name, message, column, expectation)."""


def clip(text: str, limit: int = PART_CHARS) -> str:
    """``text`` on one line and at most ``limit`` characters, an ellipsis marking a cut.

    >>> clip("a" * 10, 6)
    'aaaaa…'
    >>> clip("two\\nlines")
    'two\\\\nlines'
    """
    one_line = text.replace("\r", "\\r").replace("\n", "\\n")
    return one_line if len(one_line) <= limit else one_line[: limit - 1] + "…"


def shown(value: object, limit: int = FOUND_CHARS) -> str:
    """A found value as the message quotes it: ``repr`` for text, plain for numbers, cut to ``limit``.

    The value is never turned into text in full: a 10^9-item list or a 400-digit number costs no
    more than a short one.

    >>> shown("x" * 100)[-3:], len(shown("x" * 100))
    ("x…'", 60)
    >>> shown(10**400)
    'an integer of about 401 digits'
    >>> shown([1, [2, [3, [4]]]])
    '[1, [2, [3, […]]]]'
    """
    return _shown(value, limit, 3)


def _shown(value: object, limit: int, depth: int) -> str:
    if isinstance(value, str):
        head = value[: limit + 2]
        text = repr(head)
        if len(head) < len(value) or len(text) > limit:
            return repr(head[: max(1, limit - 3)])[: limit - 2] + "…" + text[0]
        return text
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 3 * limit:
        # str() of a huge int is quadratic (and refused above 4300 digits): show its size instead.
        return clip(f"an integer of about {int(value.bit_length() * 0.30103) + 1} digits", limit)
    if isinstance(value, list | tuple | dict | set) and len(value) > limit:
        return clip(f"a {type(value).__name__} of {len(value)} items", limit)
    if isinstance(value, list | tuple | dict) and depth == 0:
        return "[…]" if isinstance(value, list) else "(…)" if isinstance(value, tuple) else "{…}"
    if isinstance(value, list | tuple):
        items = [_shown(v, limit, depth - 1) for v in value[:limit]]
        opening, closing = ("[", "]") if isinstance(value, list) else ("(", ")")
        return clip(opening + ", ".join(items) + closing, limit)
    if isinstance(value, dict):
        items = [
            f"{_shown(k, limit, depth - 1)}: {_shown(v, limit, depth - 1)}" for k, v in list(value.items())[:limit]
        ]
        return clip("{" + ", ".join(items) + "}", limit)
    return clip(repr(value), limit)


class InputError(ValueError):
    """Bad input: a file, a line, a column, what was found and what was expected.

    ``str(error)`` is one line fit for a terminal or a page; no traceback is needed to act on it.
    Each part is cut to a fixed length (the found value to ``FOUND_CHARS``), so the message is
    bounded whatever the input.
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        column: str | None = None,
        expected: str | None = None,
        found: object = None,
        column_word: str = "column",
    ) -> None:
        self.file = file
        self.line = line
        self.column = column
        self.expected = expected
        self.found = found
        self.message = message
        self.column_word = column_word
        super().__init__(self._render())

    def _render(self) -> str:
        where = []
        if self.file:
            where.append(clip(str(self.file)))
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.column:
            where.append(f"{self.column_word} '{clip(str(self.column), FOUND_CHARS)}'")
        message = clip(self.message, 2 * PART_CHARS)
        text = ", ".join(where) + ": " + message if where else message
        if self.found is not None:
            text += f" (found {shown(self.found)})"
        if self.expected:
            text += f"; expected {clip(self.expected)}"
        return text
