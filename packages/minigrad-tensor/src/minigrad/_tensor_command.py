"""The ``minigrad`` console command's entry point.

It lives outside ``minigrad.tensor`` on purpose: importing the package (NumPy,
the engine, the training loop) takes about half a second, and a Ctrl-C in that
time should end the command like any other Ctrl-C (one line, exit 130), not
with a traceback from inside an import. This module imports nothing else at
load time.
"""

from __future__ import annotations

import signal
import sys
from types import FrameType

__all__ = ["main"]

_EXIT_INTERRUPTED = 130


class _DeferredInterrupt:
    """A SIGINT handler that only remembers the signal.

    A KeyboardInterrupt raised inside a C extension's import (NumPy's) comes
    out as an ImportError with a traceback, so during the imports Ctrl-C is
    noted here and acted on once they are done.
    """

    def __init__(self) -> None:
        self.received = False

    def __call__(self, signum: int, frame: FrameType | None) -> None:
        self.received = True


def main() -> int:
    """Import the command line and run it; a Ctrl-C during the imports exits 130 quietly."""
    deferred = _DeferredInterrupt()
    try:
        previous = signal.signal(signal.SIGINT, deferred)
    except ValueError:  # not the main thread: signals are not ours to handle
        previous = None
    try:
        from minigrad.tensor.cli import main as run
    except KeyboardInterrupt:  # raised by an import itself (as a test does)
        deferred.received = True
    finally:
        if previous is not None:
            signal.signal(signal.SIGINT, previous)
    try:
        if deferred.received:
            raise KeyboardInterrupt
        # A Ctrl-C that arrived just before the handler was restored is handled
        # by the restored one a few instructions later, possibly in here.
        return run()
    except KeyboardInterrupt:
        print("\nminigrad: interrupted", file=sys.stderr)
        return _EXIT_INTERRUPTED
