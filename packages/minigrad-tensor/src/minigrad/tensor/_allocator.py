"""Let the C allocator keep freed memory, so a training loop's arrays reuse warm pages.

A training step frees and allocates the same large arrays (activations, gradients)
every time. glibc returns each freed block above a threshold to the kernel and maps
a fresh one for the next allocation, and every page of that fresh block then costs
a page fault on first write: a tiny GPT's step took about 1,700 of them (7 MB), a
tenth of its time. Raising the two thresholds keeps the memory in the process.
This is process-wide, so only applications call it (``minigrad train``, the
benchmarks, for every contender alike), never the library on import.

Example:
    >>> from minigrad.tensor._allocator import retain_freed_memory
    >>> retain_freed_memory() in (True, False)
    True
"""

from __future__ import annotations

import ctypes
import sys

__all__ = ["retain_freed_memory"]

# glibc's mallopt parameters (malloc.h).
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
# The largest mmap threshold glibc accepts on 64-bit systems.
_MMAP_THRESHOLD = 32 * 2**20
_TRIM_THRESHOLD = 512 * 2**20


def retain_freed_memory() -> bool:
    """Ask glibc to serve blocks up to 32 MiB from its heap and keep up to 512 MiB free there.

    Returns whether the setting took effect (False off Linux or on a libc without
    ``mallopt``, such as musl).
    """
    if not sys.platform.startswith("linux"):
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    return bool(mallopt(_M_MMAP_THRESHOLD, _MMAP_THRESHOLD)) and bool(
        mallopt(_M_TRIM_THRESHOLD, _TRIM_THRESHOLD)
    )
