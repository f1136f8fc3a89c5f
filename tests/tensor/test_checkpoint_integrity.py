"""Atomic saving, and clear errors for truncated, corrupted and foreign files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import IO

import numpy as np
import pytest
import safetensors.numpy

from minigrad.tensor import checkpoint
from minigrad.tensor.checkpoint import CheckpointError, load, save


def _state(value: float) -> dict[str, object]:
    return {"model": {"w": np.full((64, 64), value, np.float32)}, "epoch": int(value)}


def _write_half_then_fail(file: IO[bytes], payload: bytes) -> None:
    file.write(payload[: len(payload) // 2])
    raise OSError("disk full (simulated)")


def test_failed_save_leaves_the_previous_file_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "ckpt.safetensors"
    save(_state(1.0), path)
    monkeypatch.setattr(checkpoint, "_write_all", _write_half_then_fail)
    with pytest.raises(OSError, match="disk full"):
        save(_state(2.0), path)
    loaded = load(path)
    assert loaded["epoch"] == 1
    np.testing.assert_array_equal(loaded["model"]["w"], np.ones((64, 64)))


def test_failed_save_leaves_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(checkpoint, "_write_all", _write_half_then_fail)
    with pytest.raises(OSError, match="disk full"):
        save(_state(2.0), tmp_path / "ckpt")
    assert list(tmp_path.iterdir()) == []


def test_keyboard_interrupt_during_save_leaves_the_previous_file_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "ckpt"
    save(_state(1.0), path)

    def interrupted(file: IO[bytes], payload: bytes) -> None:
        file.write(payload[:100])
        raise KeyboardInterrupt

    monkeypatch.setattr(checkpoint, "_write_all", interrupted)
    with pytest.raises(KeyboardInterrupt):
        save(_state(2.0), path)
    assert load(path)["epoch"] == 1
    assert [p.name for p in tmp_path.iterdir()] == ["ckpt"]


def test_truncated_file_raises_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "ckpt"
    save(_state(1.0), path)
    path.write_bytes(path.read_bytes()[:-10])
    with pytest.raises(CheckpointError, match=r"ckpt: truncated: its header declares \d+ bytes"):
        load(path)


def test_file_cut_inside_the_header_raises_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "ckpt"
    save(_state(1.0), path)
    path.write_bytes(path.read_bytes()[:50])
    with pytest.raises(CheckpointError, match="not a valid safetensors file"):
        load(path)


def test_empty_file_raises_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "ckpt"
    path.write_bytes(b"")
    with pytest.raises(CheckpointError, match="not a valid safetensors file"):
        load(path)


def test_corrupted_array_bytes_fail_the_checksum(tmp_path: Path) -> None:
    path = tmp_path / "ckpt"
    save(_state(1.0), path)
    raw = bytearray(path.read_bytes())
    raw[-5] ^= 0xFF
    path.write_bytes(bytes(raw))
    with pytest.raises(CheckpointError, match="corrupted: the file does not match its checksum"):
        load(path)


def test_corrupted_header_raises_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "ckpt"
    save(_state(1.0), path)
    raw = path.read_bytes().replace(b'"dtype"', b'"dtypX"', 1)
    path.write_bytes(raw)
    with pytest.raises(CheckpointError, match="not a valid safetensors file"):
        load(path)


def test_foreign_file_raises_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "model.pt"
    path.write_bytes(b"PK\x03\x04 this is a zip archive, as torch.save writes")
    with pytest.raises(CheckpointError, match="not a valid safetensors file"):
        load(path)


def test_safetensors_file_from_another_program_is_called_foreign(tmp_path: Path) -> None:
    path = tmp_path / "other.safetensors"
    safetensors.numpy.save_file({"weight": np.zeros(3)}, str(path))
    with pytest.raises(CheckpointError, match="not a minigrad checkpoint"):
        load(path)


def test_newer_format_version_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "c"
    metadata = {"format": "minigrad-checkpoint", "format_version": "99", "structure": "{}"}
    path.write_bytes(safetensors.numpy.save({"w": np.zeros(1)}, metadata=metadata))
    with pytest.raises(CheckpointError, match="format version '99'"):
        load(path)


def test_structure_that_does_not_match_the_arrays_is_corruption(tmp_path: Path) -> None:
    path = tmp_path / "c"
    structure = json.dumps({"dict": [["w", {"array": "v"}]]})
    path.write_bytes(checkpoint._seal(checkpoint._layout({"w": np.zeros(1)}, structure, "2")))
    with pytest.raises(
        CheckpointError, match=r"corrupted checkpoint structure: .*missing array 'v'"
    ):
        load(path)


def test_missing_file_raises_file_not_found(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        load(tmp_path / "nowhere")


def test_saving_into_a_missing_folder_names_the_folder(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match=r"the folder .*nowhere does not exist"):
        save(_state(1.0), tmp_path / "nowhere" / "ckpt")


def test_a_later_save_removes_temporary_files_a_killed_save_left(tmp_path: Path) -> None:
    path = tmp_path / "ckpt"
    stale = tmp_path / ".ckpt.0badc0de.tmp"
    stale.write_bytes(b"half a checkpoint")  # what kill -9 during a save leaves
    others = [tmp_path / ".other.0badc0de.tmp", tmp_path / ".ckpt.notours.tmp", tmp_path / "x.tmp"]
    for other in others:
        other.write_bytes(b"someone else's")
    save(_state(1.0), path)
    assert not stale.exists()
    assert all(other.exists() for other in others)
    assert load(path)["epoch"] == 1
