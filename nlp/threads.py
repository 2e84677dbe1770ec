"""NumPy matrix products beside PyTorch: one BLAS thread.

After each forward pass PyTorch's OpenMP threads keep spinning on the cores for a while. An
OpenBLAS product started in that time on both cores fights them: on 2 cores the tagger's two
small products over a 300-word narrative's token states took far longer right after the encoder
than alone, and `needmatch evaluate-redaction`'s benchmark line went from 218.7 ms to 106.6 ms
with this limit (session 13, README). Products this small gain nothing from a second thread.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from functools import lru_cache

from threadpoolctl import ThreadpoolController


@lru_cache(maxsize=1)
def _controller() -> ThreadpoolController:
    # Built once (scanning the loaded libraries takes about half a millisecond); NumPy's
    # OpenBLAS is loaded by then, since this module's callers import NumPy first.
    return ThreadpoolController()


def one_blas_thread() -> AbstractContextManager[object]:
    """A context in which the BLAS libraries run on one thread (restored on exit)."""
    return _controller().limit(limits=1, user_api="blas")
