"""Random corruption of a real training checkpoint: the original state or CheckpointError.

Hypothesis truncates the file, flips, overwrites, inserts and deletes bytes at
random places and lengths, and forges the header: keeping the old checksum, or
writing a fresh valid checksum over the forged file (as an attacker who knows
the format would). Every outcome must be exactly the saved state or a
:class:`CheckpointError`; never another exception, never a partly restored run.
A forged file with a fresh checksum may be a valid checkpoint of some other
run; then the training layer must restore it whole or refuse it whole.

The test line draws a few hundred corruptions (``MINIGRAD_FUZZ_EXAMPLES``,
default 200); ``nox -s fuzz`` draws 10,000 with fresh randomness.
"""

from __future__ import annotations

import contextlib
import io
import math
import os
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from minigrad.tensor import Tensor, checkpoint, training
from minigrad.tensor.checkpoint import CheckpointError
from minigrad.tensor.cli import main
from minigrad.tensor.data import DataLoader, TensorDataset
from minigrad.tensor.run_checkpoint import CHECKPOINT_NAME

_EXAMPLES = int(os.environ.get("MINIGRAD_FUZZ_EXAMPLES", "200"))
_CONFIG = training.TrainConfig(epochs=1, batch_size=64)


@pytest.fixture(scope="module")
def saved(tmp_path_factory: pytest.TempPathFactory) -> tuple[bytes, Any, Path]:
    folder = tmp_path_factory.mktemp("fuzz")
    training.train(_CONFIG, checkpoint_dir=folder, progress=False, log=None)
    path = folder / CHECKPOINT_NAME
    return path.read_bytes(), checkpoint.load(path), folder / "corrupted.safetensors"


def _same(actual: Any, expected: Any) -> bool:
    if type(actual) is not type(expected):
        return False
    if isinstance(expected, np.ndarray):
        return actual.dtype == expected.dtype and np.array_equal(actual, expected)
    if isinstance(expected, np.generic):
        return bool(actual.dtype == expected.dtype and actual == expected)
    if isinstance(expected, Tensor):
        return actual.requires_grad == expected.requires_grad and _same(actual.data, expected.data)
    if isinstance(expected, dict):
        return list(actual) == list(expected) and all(
            _same(actual[key], expected[key]) for key in expected
        )
    if isinstance(expected, (list, tuple)):
        return len(actual) == len(expected) and all(map(_same, actual, expected))
    if isinstance(expected, float) and math.isnan(expected):
        return math.isnan(actual)
    return bool(actual == expected)


@st.composite
def _corruptions(draw: st.DrawFn, raw: bytes) -> tuple[str, bytes]:
    """A corruption kind and the corrupted bytes."""
    header_end = 8 + int.from_bytes(raw[:8], "little")
    kind = draw(
        st.sampled_from(
            ["truncate", "flip", "overwrite", "insert", "delete", "forge", "forge-resealed"]
        )
    )
    if kind in ("forge", "forge-resealed"):
        # Edits confined to the header after the checksum digits.
        low, high = checkpoint._CHECKSUM_AT + checkpoint._CHECKSUM_HEX, header_end
    else:
        low, high = 0, len(raw)
    data = bytearray(raw)
    edits = draw(st.integers(1, 1 if kind == "truncate" else 4))
    for _ in range(edits):
        position = draw(st.integers(low, max(low, min(high, len(data)) - 1)))
        length = draw(st.one_of(st.integers(1, 4), st.integers(1, 4096)))
        if kind == "truncate":
            del data[draw(st.integers(0, len(raw) - 1)) :]
        elif kind == "flip":
            data[position] ^= draw(st.integers(1, 255))
        elif kind == "insert":
            data[position:position] = draw(st.binary(min_size=1, max_size=length))
        elif kind == "delete":
            del data[position : position + length]
        else:  # overwrite, forge, forge-resealed: bytes replaced by random or JSON-ish ones
            alphabet = st.sampled_from(list(b'0123456789{}[]",:-.eE truefalsnul\\'))
            text = draw(st.lists(alphabet, min_size=1, max_size=min(length, 64)))
            data[position : position + len(text)] = bytes(text)
    if kind == "forge-resealed":
        new_header_length = header_end - 8 + (len(data) - len(raw))
        data[:8] = max(new_header_length, 0).to_bytes(8, "little")
        data = bytearray(checkpoint._seal(data))
    return kind, bytes(data)


def _restore_whole_or_refuse(path: Path) -> str:
    """Resume from ``path`` into fresh objects: all restored, or CheckpointError and untouched."""
    model = training.build_model(_CONFIG.model)
    optimizer = training.build_optimizer(_CONFIG, model)
    train_x, train_y = training.digits_split(_CONFIG, "train")
    loader = DataLoader(TensorDataset(train_x, train_y), batch_size=64, shuffle=True, seed=0)
    before = {name: array.copy() for name, array in model.state_dict().items()}
    try:
        training._restore(path, _CONFIG, model, optimizer, loader, np.random.default_rng())
    except CheckpointError:
        after = model.state_dict()
        assert all(np.array_equal(after[name], array) for name, array in before.items())
        assert optimizer.state == {}
        assert loader.epoch == 0
        return "refused by the training layer"
    return "restored"


@settings(max_examples=_EXAMPLES)
@given(draw=st.data())
def test_corrupted_checkpoint_loads_as_the_original_or_raises_checkpoint_error(
    saved: tuple[bytes, Any, Path], draw: st.DataObject
) -> None:
    raw, original, path = saved
    kind, data = draw.draw(_corruptions(raw), label="corruption")
    path.write_bytes(data)
    try:
        state = checkpoint.load(path)
    except CheckpointError:
        event(f"{kind}: CheckpointError")
        return
    if kind == "forge-resealed" and data != raw:
        # A consistent forgery is a valid file; the run built from it is all or nothing.
        event(f"{kind}: loaded, {_restore_whole_or_refuse(path)}")
        return
    assert data == raw, f"{kind}: a changed file loaded without an error"
    assert _same(state, original), f"{kind}: the state changed silently"
    event(f"{kind}: unchanged bytes, the original state")


@settings(max_examples=max(_EXAMPLES // 10, 10))
@given(draw=st.data())
def test_corrupted_checkpoint_gets_one_line_from_eval_and_resume(
    saved: tuple[bytes, Any, Path], draw: st.DataObject
) -> None:
    raw, _, path = saved
    kind, data = draw.draw(_corruptions(raw), label="corruption")
    folder = path.parent / "cli"
    folder.mkdir(exist_ok=True)
    target = folder / CHECKPOINT_NAME
    target.write_bytes(data)
    for argv in (
        ["eval", "--checkpoint", str(target)],
        ["train", "--quiet", "--resume", "--checkpoint-dir", str(folder)],
    ):
        stderr = io.StringIO()
        with contextlib.redirect_stderr(stderr), contextlib.redirect_stdout(io.StringIO()):
            code = main(argv)
        err = stderr.getvalue()
        assert "Traceback" not in err
        assert "unexpected error" not in err, err
        if code == 0:
            assert data == raw or kind == "forge-resealed", f"{kind}: {argv[0]} accepted it"
            assert err == ""
        else:
            assert code == 1, err
            assert err.count("\n") == 1, err
        target.write_bytes(data)  # a resume that succeeded has rewritten it
    event(f"{kind}: exit {code}")
