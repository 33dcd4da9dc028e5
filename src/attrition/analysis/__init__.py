"""Analysis: pure functions over the resolved series (no I/O)."""
