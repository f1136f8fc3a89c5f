"""``python -m minigrad.tensor``: the ``minigrad`` command (``train`` or ``eval``)."""

from __future__ import annotations

import sys

from minigrad.tensor.cli import main

if __name__ == "__main__":
    sys.exit(main())
