"""Make the op table and its NumPy references importable from the cross-package tests.

The suite runs with ``--import-mode=importlib``, which puts no test directory on
``sys.path``; the table is shared data, not a test module, so this directory is
added once here.
"""

from __future__ import annotations

import sys
from pathlib import Path

_HERE = str(Path(__file__).resolve().parent)
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)
