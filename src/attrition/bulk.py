"""Bulk work (an ingest, the first run's load of the bundled snapshot) with the cyclic garbage
collector paused.

Such work makes ~100k tuples and records that all stay alive until it ends and are then freed
by their reference counts, never by the collector; but their number sets off collections
(each young one, and every so often a full one over everything alive) that find nothing and
cost a tenth of an ingest into an empty store."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """The collector off for the block, and back as it was after (nested blocks leave it
    off until the outermost ends)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()
