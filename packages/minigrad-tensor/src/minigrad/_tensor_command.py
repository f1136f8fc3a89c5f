"""The ``minigrad`` console command's entry point.

It lives outside ``minigrad.tensor`` on purpose: importing the package (NumPy,
the engine, the training loop) takes about half a second, and a Ctrl-C in that
time should end the command like any other Ctrl-C (one line, exit 130), not
with a traceback from inside an import. This module imports nothing else at
load time.
"""

from __future__ import annotations

import sys

__all__ = ["main"]

_EXIT_INTERRUPTED = 130


def main() -> int:
    """Import the command line and run it; a Ctrl-C during the imports exits 130 quietly."""
    try:
        from minigrad.tensor.cli import main as run
    except KeyboardInterrupt:
        print("\nminigrad: interrupted", file=sys.stderr)
        return _EXIT_INTERRUPTED
    return run()
