from ..conflicts import Conflict


class ConflictError(Exception):
    """A change refused by the clash rules; ``conflicts`` says what clashes with what."""

    def __init__(self, conflicts: list[Conflict]):
        self.conflicts = conflicts
        super().__init__("; ".join(c.message for c in conflicts))
