"""save/load: nested training state survives the round trip with its types."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import safetensors.numpy

from minigrad.tensor import Tensor
from minigrad.tensor.checkpoint import check_shapes, load, save


def _training_state() -> dict[str, Any]:
    return {
        "model": {
            "0.weight": np.arange(12, dtype=np.float32).reshape(4, 3),
            "0.bias": np.zeros(4, dtype=np.float32),
            "2.weight": np.ones((10, 4), dtype=np.float64),
        },
        "optimizer": {
            "state": {
                0: {"step": 3, "exp_avg": np.full((4, 3), 0.5, np.float32)},
                1: {"step": np.int64(3), "exp_avg_sq": np.full(4, 0.25, np.float32)},
            },
            "param_groups": [
                {"lr": 1e-3, "betas": (0.9, 0.999), "eps": 1e-8, "params": [0, 1], "amsgrad": False}
            ],
        },
        "epoch": 3,
        "rng": np.random.default_rng(7).bit_generator.state,
        "history": {"loss": [2.3, 1.1, 0.5], "name": "run", "note": None},
    }


def _assert_same(actual: Any, expected: Any) -> None:
    assert type(actual) is type(expected), (actual, expected)
    if isinstance(expected, np.ndarray):
        assert actual.dtype == expected.dtype
        np.testing.assert_array_equal(actual, expected)
    elif isinstance(expected, np.generic):
        assert actual.dtype == expected.dtype
        assert actual == expected
    elif isinstance(expected, Tensor):
        _assert_same(actual.data, expected.data)
        assert actual.requires_grad == expected.requires_grad
    elif isinstance(expected, dict):
        assert list(actual) == list(expected)
        for key in expected:
            _assert_same(actual[key], expected[key])
    elif isinstance(expected, (list, tuple)):
        assert len(actual) == len(expected)
        for a, e in zip(actual, expected, strict=True):
            _assert_same(a, e)
    elif isinstance(expected, float) and math.isnan(expected):
        assert math.isnan(actual)
    else:
        assert actual == expected


def test_nested_training_state_round_trips(tmp_path: Path) -> None:
    state = _training_state()
    save(state, tmp_path / "ckpt.safetensors")
    _assert_same(load(tmp_path / "ckpt.safetensors"), state)


def test_int_dict_keys_stay_ints_and_tuples_stay_tuples(tmp_path: Path) -> None:
    save({"d": {0: "a", "0": "b"}, "t": (1, 2.0)}, tmp_path / "c")
    loaded = load(tmp_path / "c")
    assert loaded["d"] == {0: "a", "0": "b"}
    assert loaded["t"] == (1, 2.0)
    assert type(loaded["t"][1]) is float


def test_special_floats_and_big_ints_round_trip(tmp_path: Path) -> None:
    state = {"nan": float("nan"), "inf": -float("inf"), "big": 2**100 + 1, "tiny": 5e-324}
    save(state, tmp_path / "c")
    _assert_same(load(tmp_path / "c"), state)


def test_tensors_come_back_as_tensors(tmp_path: Path) -> None:
    state = {"w": Tensor([[1.0, 2.0]], requires_grad=True), "b": Tensor([3], dtype=np.int64)}
    save(state, tmp_path / "c")
    _assert_same(load(tmp_path / "c"), state)


def test_numpy_scalars_keep_their_dtype(tmp_path: Path) -> None:
    state = {"f": np.float32(0.1), "i": np.int16(-3), "b": np.bool_(True)}
    save(state, tmp_path / "c")
    _assert_same(load(tmp_path / "c"), state)


def test_odd_arrays_round_trip(tmp_path: Path) -> None:
    state = {
        "zero_d": np.array(2.5),
        "empty": np.zeros((0, 3), np.float32),
        "strided": np.arange(20.0).reshape(4, 5)[:, ::2],
        "big_endian": np.arange(4, dtype=">i4"),
        "bools": np.array([True, False]),
    }
    save(state, tmp_path / "c")
    loaded = load(tmp_path / "c")
    for key, array in state.items():
        np.testing.assert_array_equal(loaded[key], array)
        assert loaded[key].shape == array.shape


def test_random_generator_state_restores_the_same_stream(tmp_path: Path) -> None:
    rng = np.random.default_rng(11)
    rng.random(5)
    save({"rng": rng.bit_generator.state}, tmp_path / "c")
    expected = rng.random(3)
    restored = np.random.default_rng()
    restored.bit_generator.state = load(tmp_path / "c")["rng"]
    np.testing.assert_array_equal(restored.random(3), expected)


def test_arrays_are_plain_safetensors_tensors_named_by_path(tmp_path: Path) -> None:
    save(_training_state(), tmp_path / "c")
    tensors = safetensors.numpy.load_file(str(tmp_path / "c"))
    assert "model/0.weight" in tensors
    assert "optimizer/state/0/exp_avg" in tensors
    np.testing.assert_array_equal(tensors["model/2.weight"], np.ones((10, 4)))


def test_saving_overwrites_an_existing_file(tmp_path: Path) -> None:
    save({"epoch": 1}, tmp_path / "c")
    save({"epoch": 2}, tmp_path / "c")
    assert load(tmp_path / "c") == {"epoch": 2}


def test_file_holds_no_pickle(tmp_path: Path) -> None:
    save(_training_state(), tmp_path / "c")
    raw = (tmp_path / "c").read_bytes()
    header = json.loads(raw[8 : 8 + int.from_bytes(raw[:8], "little")])
    assert header["__metadata__"]["format"] == "minigrad-checkpoint"
    assert b"\x80\x04\x95" not in raw  # the opening of a protocol-4 pickle


def test_unsupported_values_name_their_path(tmp_path: Path) -> None:
    with pytest.raises(TypeError, match=r"got set at 'model/extra'"):
        save({"model": {"extra": {1, 2}}}, tmp_path / "c")
    assert not (tmp_path / "c").exists()


def test_unsupported_keys_are_rejected(tmp_path: Path) -> None:
    with pytest.raises(TypeError, match=r"keys must be str or int, got tuple"):
        save({"model": {(1, 2): 3}}, tmp_path / "c")


def test_unsupported_array_dtypes_are_rejected(tmp_path: Path) -> None:
    with pytest.raises(TypeError, match="safetensors cannot store"):
        save({"z": np.zeros(2, dtype=np.complex128)}, tmp_path / "c")


def test_colliding_array_names_are_rejected(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="same name 'a/b'"):
        save({"a/b": np.zeros(1), "a": {"b": np.zeros(1)}}, tmp_path / "c")


def test_state_must_be_a_dict(tmp_path: Path) -> None:
    with pytest.raises(TypeError, match="state must be a dict, got list"):
        save([1, 2], tmp_path / "c")  # type: ignore[arg-type]


def test_like_names_the_key_and_both_shapes(tmp_path: Path) -> None:
    save({"model": {"0.weight": np.zeros((10, 64))}}, tmp_path / "c")
    existing = {"model": {"0.weight": Tensor(np.zeros((10, 32)))}}
    with pytest.raises(
        ValueError, match=r"'model/0.weight' is \(10, 64\) in the checkpoint but \(10, 32\)"
    ):
        load(tmp_path / "c", like=existing)


def test_like_accepts_matching_shapes(tmp_path: Path) -> None:
    save({"model": {"0.weight": np.zeros((10, 64))}}, tmp_path / "c")
    loaded = load(tmp_path / "c", like={"model": {"0.weight": np.ones((10, 64))}, "extra": 1})
    assert loaded["model"]["0.weight"].shape == (10, 64)


def test_check_shapes_lists_every_mismatch() -> None:
    with pytest.raises(ValueError, match=r"'a' is \(1,\).*'b/0' is \(2,\)"):
        check_shapes({"a": np.zeros(1), "b": [np.zeros(2)]}, {"a": np.zeros(3), "b": [np.zeros(4)]})


def test_save_and_load_are_exported_from_the_package(tmp_path: Path) -> None:
    import minigrad.tensor as mt

    mt.save({"w": mt.Tensor([1.0, 2.0])}, tmp_path / "c")
    assert mt.load(tmp_path / "c")["w"].tolist() == [1.0, 2.0]
