"""Rows written of rows to write, for an export that someone is watching.

A writer wraps each table's rows in :meth:`Progress.rows`; the counting is a single addition
per row, and the report (an export job's database row) is made at most every ``every``
seconds, so a progress bar moves without slowing the export.
"""

import time
from collections.abc import Callable, Iterable, Iterator


class Progress:
    """Counts rows; calls ``report(done, total)`` at most every ``every`` seconds."""

    CHECK = 512  # rows between looks at the clock

    def __init__(self, report: Callable[[int, int], None] | None = None, every: float = 1.0):
        self.report = report
        self.every = every
        self.total = 0
        self.done = 0
        self._last = time.monotonic()

    def expect(self, rows: int) -> None:
        """Add ``rows`` to the rows to write (announced before they are written)."""
        self.total += rows
        self.flush()

    def rows(self, rows: Iterable) -> Iterator:
        """The rows, counted as they are taken."""
        if self.report is None:
            yield from rows
            return
        check = self.CHECK
        for row in rows:
            yield row
            self.done += 1
            check -= 1
            if not check:
                check = self.CHECK
                if time.monotonic() - self._last >= self.every:
                    self.flush()

    def flush(self) -> None:
        if self.report is not None:
            self.report(self.done, max(self.total, self.done))
            self._last = time.monotonic()


def sized(tables) -> int:
    """The rows of those tables whose rows are already a list (the small ones)."""
    return sum(len(table.rows) for table in tables if isinstance(table.rows, list | tuple))
