"""Ctrl-C while the `minigrad` command is still importing: one line, exit 130, no traceback."""

from __future__ import annotations

import importlib.abc
import subprocess
import sys
from pathlib import Path

import pytest

from minigrad import _tensor_command


class _InterruptingFinder(importlib.abc.MetaPathFinder):
    """Raises KeyboardInterrupt when the command line module is imported, as Ctrl-C would."""

    def find_spec(self, name: str, path: object, target: object = None) -> None:
        if name == "minigrad.tensor.cli":
            raise KeyboardInterrupt


def test_ctrl_c_while_the_command_imports_exits_130_with_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delitem(sys.modules, "minigrad.tensor.cli", raising=False)
    monkeypatch.setattr(sys, "meta_path", [_InterruptingFinder(), *sys.meta_path])
    assert _tensor_command.main() == 130
    err = capsys.readouterr().err
    assert err.strip() == "minigrad: interrupted"


def test_the_entry_module_imports_nothing_heavy() -> None:
    code = "import sys, minigrad._tensor_command; print('numpy' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.strip() == "False"


# Python's own start-up (site, the console script's `import re`) comes before any
# MiniGrad code and is out of reach; this starts the clock once the entry module
# is imported, then interrupts the command's imports or its training.
_INTERRUPT_AFTER = """
import os, signal, sys, threading
from minigrad import _tensor_command
threading.Timer(float(sys.argv[1]), os.kill, (os.getpid(), signal.SIGINT)).start()
sys.argv[1:] = ["train", "--epochs", "2000", "--quiet"]  # far longer than any delay
sys.exit(_tensor_command.main())
"""


@pytest.mark.skipif(sys.platform == "win32", reason="sends SIGINT")
@pytest.mark.parametrize("delay", [0.02, 0.1, 0.25, 0.5])
def test_sigint_while_the_command_starts_exits_130_without_a_traceback(
    tmp_path: Path, delay: float
) -> None:
    result = subprocess.run(
        [sys.executable, "-c", _INTERRUPT_AFTER, str(delay)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        check=False,
    )
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 130, (result.returncode, result.stderr)
    assert result.stderr.count("\n") <= 2, result.stderr  # a blank line, then one line
