"""``python -m minigrad.tensor``: the ``minigrad`` command (``train`` or ``eval``).

By the time this runs, Python has imported the ``minigrad.tensor`` package
itself; a Ctrl-C while the command line's own modules load (the training loop,
tqdm, the data) still ends with one line and exit status 130.
"""

from __future__ import annotations

import sys

from minigrad._tensor_command import main

if __name__ == "__main__":
    sys.exit(main())
