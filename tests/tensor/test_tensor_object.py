"""The Tensor object: construction, dtypes, properties, conversions and creation functions."""

from __future__ import annotations

import numpy as np
import pytest

import minigrad.tensor as mt
from minigrad.tensor import Tensor


def test_python_floats_default_to_float32() -> None:
    assert Tensor([1.0, 2.0]).dtype == np.float32
    assert Tensor(1.5).dtype == np.float32


def test_ndarrays_keep_their_dtype_and_memory() -> None:
    data = np.zeros(3)
    t = Tensor(data)
    assert t.dtype == np.float64
    assert t.data is data


def test_dtype_argument_wins() -> None:
    assert Tensor([1, 2], dtype="float64").dtype == np.float64
    assert Tensor([1.0], dtype=np.float16).dtype == np.float16


def test_integers_stay_integers() -> None:
    assert Tensor([1, 2]).dtype.kind == "i"


@pytest.mark.parametrize("data", [[1, 2], [True, False]])
def test_integer_and_bool_tensors_cannot_require_grad(data) -> None:
    with pytest.raises(TypeError, match="only floating-point tensors can require gradients"):
        Tensor(data, requires_grad=True)
    with pytest.raises(TypeError, match="got dtype"):
        Tensor(data).requires_grad_()


@pytest.mark.parametrize("bad", ["text", None, [[1.0], [2.0, 3.0]], [1 + 2j]])
def test_non_numeric_data_is_rejected(bad) -> None:
    with pytest.raises((TypeError, ValueError)):
        Tensor(bad)


def test_unsupported_dtype_is_rejected() -> None:
    with pytest.raises(TypeError, match="dtype must be a float, int or bool"):
        Tensor([1.0], dtype=np.complex64)


def test_properties_mirror_numpy() -> None:
    t = Tensor(np.zeros((2, 3, 4), dtype=np.float32))
    assert (t.shape, t.ndim, t.size, t.dtype, len(t)) == ((2, 3, 4), 3, 24, np.float32, 2)
    assert t.T.shape == (4, 3, 2)


def test_is_leaf_and_grad_fn() -> None:
    a = Tensor([1.0], requires_grad=True)
    b = a * 2
    assert a.is_leaf
    assert a.grad_fn is None
    assert not b.is_leaf
    assert b.grad_fn is not None
    assert b.grad_fn.name == "mul"
    c = Tensor([1.0]) * 2
    assert c.is_leaf
    assert not c.requires_grad


def test_conversions() -> None:
    t = Tensor([[1.0, 2.0]])
    assert t.numpy() is t.data
    assert t.tolist() == [[1.0, 2.0]]
    assert np.asarray(t) is t.data
    assert np.asarray(t, dtype=np.float64).dtype == np.float64
    assert Tensor([3.5]).item() == 3.5
    assert float(Tensor(2.0)) == 2.0
    assert int(Tensor(3)) == 3


def test_item_of_many_elements_is_an_error() -> None:
    with pytest.raises(ValueError, match=r"one-element.*shape \(2,\)"):
        Tensor([1.0, 2.0]).item()


def test_len_of_a_scalar_is_an_error() -> None:
    with pytest.raises(TypeError, match="0-d"):
        len(Tensor(1.0))


def test_truth_value_of_many_elements_is_ambiguous() -> None:
    with pytest.raises(ValueError, match="ambiguous"):
        bool(Tensor([1.0, 2.0]))
    assert bool(Tensor([1.0]))


def test_integer_tensor_works_as_an_index() -> None:
    assert [10, 20, 30][Tensor(1)] == 20


def test_repr_shows_data_dtype_and_grad_state() -> None:
    assert repr(Tensor([1.0, 2.0])) == "Tensor([1., 2.], dtype=float32)"
    assert (
        repr(Tensor([1.0], requires_grad=True)) == "Tensor([1.], dtype=float32, requires_grad=True)"
    )
    assert "grad_fn=mul" in repr(Tensor([1.0], requires_grad=True) * 2)


def test_tensors_hash_by_identity() -> None:
    a, b = Tensor([1.0]), Tensor([1.0])
    assert len({a, b}) == 2


# ------------------------------------------------------------------ creation


@pytest.mark.parametrize(
    ("made", "expected"),
    [
        (mt.zeros(2, 3), np.zeros((2, 3))),
        (mt.zeros((2, 3)), np.zeros((2, 3))),
        (mt.ones(4), np.ones(4)),
        (mt.full((2,), 7.0), np.full(2, 7.0)),
        (mt.eye(3), np.eye(3)),
        (mt.eye(2, 3), np.eye(2, 3)),
        (mt.linspace(0, 1, 5), np.linspace(0, 1, 5)),
        (mt.arange(0.0, 1.0, 0.25), np.arange(0.0, 1.0, 0.25)),
    ],
)
def test_float_creation_matches_numpy_in_float32(made: Tensor, expected: np.ndarray) -> None:
    assert made.dtype == np.float32
    np.testing.assert_array_equal(made.data, expected.astype(np.float32))


def test_empty_has_the_shape() -> None:
    assert mt.empty(2, 5).shape == (2, 5)
    assert mt.empty_like(Tensor(np.zeros((3, 1)))).shape == (3, 1)


def test_integer_arange_gives_int64() -> None:
    t = mt.arange(5)
    assert t.dtype == np.int64
    assert t.tolist() == [0, 1, 2, 3, 4]
    assert mt.arange(2, 8, 3).tolist() == [2, 5]


def test_creation_honours_dtype_and_requires_grad() -> None:
    t = mt.zeros(2, dtype="float64", requires_grad=True)
    assert t.dtype == np.float64
    assert t.requires_grad
    with pytest.raises(TypeError, match="floating-point"):
        mt.zeros(2, dtype="int64", requires_grad=True)


def test_like_forms_copy_shape_and_dtype() -> None:
    ref = Tensor(np.zeros((2, 3), dtype=np.float64))
    for made in (
        mt.zeros_like(ref),
        mt.ones_like(ref),
        mt.full_like(ref, 2.0),
        mt.rand_like(ref),
        mt.randn_like(ref),
    ):
        assert made.shape == (2, 3)
        assert made.dtype == np.float64
    assert mt.ones_like(ref).tolist() == [[1.0] * 3] * 2
    ints = mt.randint_like(ref, 5)
    assert ints.shape == (2, 3)
    assert ints.dtype == np.int64
    assert (ints.data < 5).all()


def test_rand_like_of_an_integer_tensor_is_float32() -> None:
    assert mt.rand_like(Tensor([1, 2])).dtype == np.float32


def test_random_tensors_have_the_right_range_and_dtype() -> None:
    mt.manual_seed(0)
    u = mt.rand(1000)
    assert u.dtype == np.float32
    assert u.data.min() >= 0.0
    assert u.data.max() < 1.0
    n = mt.randn(2000, dtype="float64")
    assert n.dtype == np.float64
    assert abs(n.data.mean()) < 0.1
    assert abs(n.data.std() - 1) < 0.1
    i = mt.randint(3, 6, (1000,))
    assert set(np.unique(i.data)) == {3, 4, 5}


def test_manual_seed_makes_random_tensors_repeat() -> None:
    mt.manual_seed(42)
    first = (mt.rand(3).tolist(), mt.randn(2, 2).tolist(), mt.randint(10, size=(4,)).tolist())
    mt.manual_seed(42)
    second = (mt.rand(3).tolist(), mt.randn(2, 2).tolist(), mt.randint(10, size=(4,)).tolist())
    assert first == second


def test_manual_seed_reseeds_the_generator_others_hold() -> None:
    held = mt.default_generator()
    mt.manual_seed(5)
    first = held.random()
    assert mt.manual_seed(5) is held
    assert held.random() == first


def test_an_explicit_generator_is_used() -> None:
    a = mt.randn(3, generator=np.random.default_rng(1))
    b = mt.randn(3, generator=np.random.default_rng(1))
    assert a.tolist() == b.tolist()


def test_creation_rejects_bad_arguments() -> None:
    with pytest.raises(ValueError, match="negative"):
        mt.zeros(-1)
    with pytest.raises(ValueError, match="high"):
        mt.randint(5, 5)
    with pytest.raises(TypeError, match="float type"):
        mt.rand(2, dtype="int32")
    with pytest.raises(TypeError, match="seed must be an int"):
        mt.manual_seed(1.5)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="step"):
        mt.arange(0, 1, 0)
