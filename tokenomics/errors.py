"""User-facing input errors: every one names where the problem is and what was expected."""

from __future__ import annotations


class InputError(ValueError):
    """Bad input: a file, a line, a column, what was found and what was expected.

    ``str(error)`` is one line fit for a terminal or a page; no traceback is needed to act on it.
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
            where.append(self.file)
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.column:
            where.append(f"{self.column_word} '{self.column}'")
        text = ", ".join(where) + ": " + self.message if where else self.message
        if self.found is not None:
            text += f" (found {self.found!r})"
        if self.expected:
            text += f"; expected {self.expected}"
        return text
