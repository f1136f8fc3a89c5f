"""Ctrl-C while the `minigrad` command is still importing: one line, exit 130, no traceback."""

from __future__ import annotations

import importlib.abc
import signal
import subprocess
import sys
import time
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


@pytest.mark.skipif(sys.platform == "win32", reason="sends SIGINT")
@pytest.mark.parametrize("delay", [0.05, 0.15, 0.3])
def test_sigint_soon_after_start_never_shows_a_traceback(tmp_path: Path, delay: float) -> None:
    command = Path(sys.executable).with_name("minigrad")
    if not command.exists():
        pytest.skip("the minigrad console script is not installed next to this Python")
    process = subprocess.Popen(
        [str(command), "train", "--epochs", "30", "--quiet"],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
        cwd=tmp_path,
    )
    time.sleep(delay)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert "Traceback" not in err, err
    assert process.returncode in (130, -signal.SIGINT), (process.returncode, err)
