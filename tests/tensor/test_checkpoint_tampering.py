"""Checkpoints refuse every changed byte, foreign dtypes, deep nesting and lying lengths."""

from __future__ import annotations

import json
import os
import tracemalloc
from pathlib import Path

import numpy as np
import pytest
import safetensors.numpy

from minigrad.tensor import checkpoint
from minigrad.tensor.checkpoint import CheckpointError, load, save


def _small_state() -> dict[str, object]:
    return {
        "model": {"w": np.arange(6, dtype=np.float32).reshape(2, 3)},
        "optimizer": {"param_groups": [{"lr": 0.003, "params": [0]}]},
        "epoch": 2,
    }


def _sealed(structure: str, arrays: dict[str, np.ndarray] | None = None) -> bytes:
    """A checkpoint with a correct checksum around whatever structure text it is given."""
    return checkpoint._seal(checkpoint._layout(arrays or {}, structure, "2"))


def test_same_length_change_of_a_metadata_number_is_detected(tmp_path: Path) -> None:
    path = tmp_path / "c"
    save(_small_state(), path)
    raw = path.read_bytes()
    assert raw.count(b'\\"lr\\",0.003]') == 1
    path.write_bytes(raw.replace(b'\\"lr\\",0.003]', b'\\"lr\\",0.903]'))
    with pytest.raises(CheckpointError, match="does not match its checksum"):
        load(path)


def test_same_length_rename_of_a_key_is_detected(tmp_path: Path) -> None:
    path = tmp_path / "c"
    save(_small_state(), path)
    raw = path.read_bytes()
    assert raw.count(b'[\\"model\\"') == 1
    path.write_bytes(raw.replace(b'[\\"model\\"', b'[\\"modeL\\"'))
    with pytest.raises(CheckpointError, match="does not match its checksum"):
        load(path)


def test_every_single_byte_flip_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "c"
    save(_small_state(), path)
    raw = path.read_bytes()
    accepted = []
    for position in range(len(raw)):
        changed = bytearray(raw)
        changed[position] ^= 0x01
        path.write_bytes(bytes(changed))
        try:
            load(path)
        except CheckpointError:
            continue
        accepted.append(position)
    assert accepted == []


def test_a_bf16_safetensors_file_names_its_dtype_and_the_readable_ones(tmp_path: Path) -> None:
    header = json.dumps({"weight": {"dtype": "BF16", "shape": [2], "data_offsets": [0, 4]}})
    path = tmp_path / "hf.safetensors"
    path.write_bytes(len(header).to_bytes(8, "little") + header.encode() + b"\0" * 4)
    with pytest.raises(CheckpointError, match=r"dtype BF16, which minigrad does not read; .*F32"):
        load(path)


def test_an_f8_tensor_in_a_checkpoint_is_refused_by_name(tmp_path: Path) -> None:
    unsealed = checkpoint._layout({"w": np.zeros(2, np.uint8)}, '{"dict":[]}', "2")
    header = unsealed[8:].replace(b'"dtype":"U8"', b'"dtype":"F8_E4M3"').rstrip(b"\0")
    path = tmp_path / "c"
    forged = bytearray(len(header).to_bytes(8, "little")) + header + b"\0\0"
    path.write_bytes(checkpoint._seal(forged))
    with pytest.raises(CheckpointError, match="dtype F8_E4M3"):
        load(path)


@pytest.mark.parametrize("depth", [1_000, 100_000])
def test_deeply_nested_structure_is_refused_without_recursion_error(
    tmp_path: Path, depth: int
) -> None:
    path = tmp_path / "c"
    path.write_bytes(_sealed('{"dict":[["a",' + '{"list":[' * depth + "]}" * depth + "]]}"))
    with pytest.raises(CheckpointError, match="nested deeper than"):
        load(path)


def test_deeply_nested_header_is_refused_without_recursion_error(tmp_path: Path) -> None:
    header = '{"__metadata__":{"format":"minigrad-checkpoint"},"x":' + "[" * 5000 + "]" * 5000 + "}"
    path = tmp_path / "c"
    path.write_bytes(len(header).to_bytes(8, "little") + header.encode())
    with pytest.raises(CheckpointError, match="nested deeper than"):
        load(path)


def test_header_length_beyond_the_file_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "c"
    path.write_bytes((2**40).to_bytes(8, "little") + b"{}")
    with pytest.raises(CheckpointError, match="header length says 1099511627776 bytes"):
        load(path)


def test_a_huge_file_behind_a_small_header_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "c"
    save(_small_state(), path)
    os.truncate(path, 256 * 2**20)  # sparse: costs no disk space
    tracemalloc.start()
    try:
        with pytest.raises(CheckpointError, match=r"extended .*declares \d+ bytes"):
            load(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 2**20


def test_a_version_1_checkpoint_is_refused_by_name(tmp_path: Path) -> None:
    path = tmp_path / "old"
    metadata = {"format": "minigrad-checkpoint", "format_version": "1", "structure": "{}"}
    path.write_bytes(safetensors.numpy.save({"w": np.zeros(1)}, metadata=metadata))
    with pytest.raises(CheckpointError, match="format version '1'; this minigrad reads version 2"):
        load(path)


def test_a_checkpoint_opens_in_safetensors_with_its_metadata(tmp_path: Path) -> None:
    path = tmp_path / "c"
    save(_small_state(), path)
    with safetensors.safe_open(str(path), framework="numpy") as opened:
        metadata = opened.metadata()
        np.testing.assert_array_equal(opened.get_tensor("model/w"), _small_state()["model"]["w"])  # type: ignore[index]
    assert metadata["format_version"] == "2"
    assert metadata["checksum"].startswith("sha256:")


def test_a_folder_is_not_a_checkpoint(tmp_path: Path) -> None:
    with pytest.raises(CheckpointError, match="a folder, not a checkpoint file"):
        load(tmp_path)


def test_save_refuses_a_state_nested_deeper_than_load_accepts(tmp_path: Path) -> None:
    state: dict[str, object] = {"leaf": 1}
    for _ in range(120):
        state = {"d": state}
    with pytest.raises(ValueError, match="nested deeper than 300 levels"):
        save(state, tmp_path / "c")
    assert not (tmp_path / "c").exists()


def test_a_state_nested_90_dicts_deep_round_trips(tmp_path: Path) -> None:
    state: dict[str, object] = {"leaf": np.ones(2)}
    for _ in range(90):
        state = {"d": state}
    save(state, tmp_path / "c")
    loaded = load(tmp_path / "c")
    for _ in range(90):
        loaded = loaded["d"]
    np.testing.assert_array_equal(loaded["leaf"], np.ones(2))
