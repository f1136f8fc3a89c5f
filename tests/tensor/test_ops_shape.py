"""Shape operations, indexing and joining: values against NumPy, gradients against differences."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, basic_indices, broadcastable_shapes

from minigrad.tensor import Tensor, concatenate, pad, split, stack, where

RNG = np.random.default_rng(7)
X = RNG.standard_normal((2, 3, 4))

SHAPE_OPS = {
    "reshape": (lambda t: t.reshape(4, 6), lambda x: x.reshape(4, 6)),
    "reshape_tuple": (lambda t: t.reshape((6, -1)), lambda x: x.reshape(6, -1)),
    "view": (lambda t: t.view(-1), lambda x: x.reshape(-1)),
    "flatten": (lambda t: t.flatten(), lambda x: x.reshape(-1)),
    "flatten_tail": (lambda t: t.flatten(1), lambda x: x.reshape(2, 12)),
    "flatten_middle": (lambda t: t.flatten(0, 1), lambda x: x.reshape(6, 4)),
    "transpose": (lambda t: t.transpose(0, 2), lambda x: np.swapaxes(x, 0, 2)),
    "transpose_default": (lambda t: t.transpose(), lambda x: np.swapaxes(x, -1, -2)),
    "T": (lambda t: t.T, lambda x: x.T),
    "permute": (lambda t: t.permute(2, 0, 1), lambda x: x.transpose(2, 0, 1)),
    "permute_tuple": (lambda t: t.permute((1, 2, 0)), lambda x: x.transpose(1, 2, 0)),
    "unsqueeze": (lambda t: t.unsqueeze(1), lambda x: x[:, None]),
    "unsqueeze_end": (lambda t: t.unsqueeze(-1), lambda x: x[..., None]),
    "squeeze": (lambda t: t[:, :1].squeeze(), lambda x: x[:, 0]),
    "squeeze_axis": (lambda t: t[:1].squeeze(0), lambda x: x[0]),
    "expand": (lambda t: t[:, :1].expand(2, 5, -1), lambda x: np.broadcast_to(x[:, :1], (2, 5, 4))),
    "expand_new_axis": (lambda t: t.expand(3, 2, 3, 4), lambda x: np.broadcast_to(x, (3, 2, 3, 4))),
    "broadcast_to": (
        lambda t: t.broadcast_to((2, 2, 3, 4)),
        lambda x: np.broadcast_to(x, (2, 2, 3, 4)),
    ),
}


@pytest.mark.parametrize("name", sorted(SHAPE_OPS))
def test_shape_op_matches_numpy(name: str) -> None:
    op, reference = SHAPE_OPS[name]
    np.testing.assert_array_equal(op(Tensor(X)).data, reference(X))


@pytest.mark.parametrize("name", sorted(SHAPE_OPS))
def test_shape_op_gradient_matches_finite_differences(name: str, check_gradients) -> None:
    op, _ = SHAPE_OPS[name]
    check_gradients(op, X)


def test_reshape_mismatch_names_both_shapes() -> None:
    with pytest.raises(
        ValueError,
        match=r"cannot reshape a tensor of shape \(2, 3, 4\) \(24 elements\) into shape \(5, 5\)",
    ):
        Tensor(X).reshape(5, 5)


def test_squeeze_of_a_longer_axis_is_an_error() -> None:
    with pytest.raises(ValueError, match="squeeze: axis 1 has length 3"):
        Tensor(X).squeeze(1)


def test_unsqueeze_out_of_range_is_an_error() -> None:
    with pytest.raises(ValueError, match="unsqueeze: axis 4 is out of range"):
        Tensor(X).unsqueeze(4)


def test_permute_needs_a_permutation() -> None:
    with pytest.raises(ValueError, match="not a permutation"):
        Tensor(X).permute(0, 0, 1)
    with pytest.raises(ValueError, match="not a permutation"):
        Tensor(X).permute(0, 1)


def test_expand_and_broadcast_errors_name_the_shapes() -> None:
    with pytest.raises(ValueError, match=r"cannot broadcast shape \(2, 3, 4\) to \(2, 5, 4\)"):
        Tensor(X).expand(2, 5, 4)
    with pytest.raises(ValueError, match="fewer axes"):
        Tensor(X).expand(3, 4)


def test_flatten_with_start_after_end_is_an_error() -> None:
    with pytest.raises(ValueError, match="start_axis"):
        Tensor(X).flatten(2, 1)


def test_reshape_shares_memory_with_its_input() -> None:
    t = Tensor(np.zeros(6))
    assert np.shares_memory(t.reshape(2, 3).data, t.data)


@given(shapes=broadcastable_shapes(shape=(3, 1), min_dims=2, max_dims=4, max_side=3))
def test_broadcast_to_gradient_sums_back_to_the_input_shape(shapes) -> None:
    target = np.broadcast_shapes((3, 1), shapes)
    t = Tensor(np.ones((3, 1)), requires_grad=True)
    t.broadcast_to(target).sum().backward()
    assert t.grad is not None
    assert t.grad.shape == (3, 1)
    np.testing.assert_array_equal(t.grad, np.full((3, 1), np.prod(target) / 3))


# ------------------------------------------------------------------ indexing

INDICES = {
    "int": 1,
    "negative_int": -1,
    "slice": slice(0, 1),
    "tuple": (1, slice(None), 2),
    "step_slice": (slice(None), slice(None, None, 2)),
    "none": (None, 0),
    "ellipsis": (Ellipsis, 1),
    "int_list": [1, 0, 1],
    "int_array_axis1": (slice(None), np.array([2, 2, 0])),
    "int_tensor": Tensor(np.array([0, 0, 1])),
    "paired_arrays": (np.array([0, 1, 1]), np.array([2, 2, 2])),
    "bool_mask": X > 0,
    "bool_mask_tensor": Tensor(X[:, :, 0] > 0),
    "bool_list_axis0": [True, False],
}


@pytest.mark.parametrize("name", sorted(INDICES))
def test_getitem_matches_numpy(name: str) -> None:
    index = INDICES[name]
    plain = index.data if isinstance(index, Tensor) else index
    np.testing.assert_array_equal(Tensor(X)[index].data, X[plain])


@pytest.mark.parametrize("name", sorted(INDICES))
def test_getitem_gradient_matches_finite_differences(name: str, check_gradients) -> None:
    index = INDICES[name]
    check_gradients(lambda t: t[index], X)


def test_repeated_indices_accumulate_their_gradients() -> None:
    t = Tensor([1.0, 2.0, 3.0], requires_grad=True)
    t[[0, 0, 2, 0]].sum().backward()
    assert t.grad is not None
    assert t.grad.tolist() == [3.0, 0.0, 1.0]


@given(data=st.data())
def test_basic_index_gradient_has_input_shape(data: st.DataObject) -> None:
    shape = data.draw(array_shapes(min_dims=1, max_dims=3, max_side=4))
    index = data.draw(basic_indices(shape, allow_newaxis=True, allow_ellipsis=True))
    x = np.arange(np.prod(shape), dtype=np.float64).reshape(shape)
    t = Tensor(x, requires_grad=True)
    out = t[index]
    np.testing.assert_array_equal(out.data, x[index])
    out.backward(np.ones(out.shape))
    expected = np.zeros(shape)
    expected[index] = 1.0
    assert t.grad is not None
    assert t.grad.shape == shape
    np.testing.assert_array_equal(t.grad, expected)


@given(data=st.data())
def test_integer_array_index_gradient_counts_picks(data: st.DataObject) -> None:
    shape = data.draw(array_shapes(min_dims=1, max_dims=3, max_side=4))
    picks = data.draw(st.lists(st.integers(-shape[0], shape[0] - 1), min_size=1, max_size=6))
    t = Tensor(np.zeros(shape), requires_grad=True)
    t[picks].sum().backward()
    counts = np.bincount(np.array(picks) % shape[0], minlength=shape[0])
    expected = np.broadcast_to(counts.reshape((-1,) + (1,) * (len(shape) - 1)), shape)
    assert t.grad is not None
    np.testing.assert_array_equal(t.grad, expected)


def test_out_of_range_index_names_the_shape() -> None:
    with pytest.raises(IndexError, match=r"shape \(2, 3, 4\)"):
        Tensor(X)[5]


def test_float_index_array_is_rejected() -> None:
    with pytest.raises(IndexError, match="integers or booleans"):
        Tensor(X)[np.array([0.5])]


def test_iterating_yields_rows() -> None:
    rows = list(Tensor(np.arange(6.0).reshape(3, 2)))
    assert [r.tolist() for r in rows] == [[0.0, 1.0], [2.0, 3.0], [4.0, 5.0]]


# ------------------------------------------------------------------ joining


@pytest.mark.parametrize("axis", [0, 1, -1])
def test_concatenate_matches_numpy_and_splits_the_gradient(axis: int, check_gradients) -> None:
    a, b = RNG.standard_normal((2, 3)), RNG.standard_normal((2, 3))
    c = RNG.standard_normal((2, 3))
    out = concatenate([Tensor(a), Tensor(b), Tensor(c)], axis=axis)
    np.testing.assert_array_equal(out.data, np.concatenate([a, b, c], axis=axis))
    check_gradients(lambda x, y, z: concatenate([x, y, z], axis=axis), a, b, c)


@pytest.mark.parametrize("axis", [0, 1, 2, -1])
def test_stack_matches_numpy_and_splits_the_gradient(axis: int, check_gradients) -> None:
    a, b = RNG.standard_normal((2, 3)), RNG.standard_normal((2, 3))
    np.testing.assert_array_equal(
        stack([Tensor(a), Tensor(b)], axis=axis).data, np.stack([a, b], axis=axis)
    )
    check_gradients(lambda x, y: stack([x, y], axis=axis), a, b)


def test_concatenate_only_differentiates_inputs_that_need_it() -> None:
    a = Tensor([1.0, 2.0], requires_grad=True)
    out = concatenate([a, Tensor([3.0])])
    (out * Tensor([1.0, 2.0, 3.0])).sum().backward()
    assert a.grad is not None
    assert a.grad.tolist() == [1.0, 2.0]


def test_concatenate_mismatch_lists_the_shapes() -> None:
    with pytest.raises(
        ValueError, match=r"shapes \(2, 3\), \(2, 4\) must match except along axis 0"
    ):
        concatenate([Tensor(np.zeros((2, 3))), Tensor(np.zeros((2, 4)))])


def test_stack_mismatch_lists_the_shapes() -> None:
    with pytest.raises(ValueError, match=r"same shape, got \(2,\), \(3,\)"):
        stack([Tensor(np.zeros(2)), Tensor(np.zeros(3))])


def test_join_needs_a_sequence() -> None:
    with pytest.raises(TypeError, match="list or tuple"):
        concatenate(Tensor(np.zeros((2, 2))))  # type: ignore[arg-type]


@pytest.mark.parametrize("spec", [3, [1, 4], [0, 2, 2, 6]])
def test_split_matches_numpy(spec) -> None:
    x = RNG.standard_normal((6, 2))
    pieces = split(Tensor(x), spec)
    expected = np.split(x, spec)
    assert len(pieces) == len(expected)
    for piece, reference in zip(pieces, expected, strict=True):
        np.testing.assert_array_equal(piece.data, reference)


def test_split_gradients_reach_each_piece(check_gradients) -> None:
    def weighted(t: Tensor) -> Tensor:
        first, second = split(t, 2, axis=1)
        return first * 2.0 + second * 3.0

    check_gradients(weighted, RNG.standard_normal((3, 4)))


def test_split_into_unequal_sections_is_an_error() -> None:
    with pytest.raises(ValueError, match="4 sections cannot divide axis 0 of length 6"):
        split(Tensor(np.zeros(6)), 4)


@pytest.mark.parametrize("mode", ["constant", "edge", "reflect", "symmetric", "wrap"])
@pytest.mark.parametrize("width", [1, (1, 2), ((0, 1), (2, 1))])
def test_pad_matches_numpy_and_gradients(mode: str, width, check_gradients) -> None:
    x = RNG.standard_normal((3, 4))
    kwargs = {"constant_values": 1.5} if mode == "constant" else {}
    np.testing.assert_array_equal(
        pad(Tensor(x), width, mode, **kwargs).data, np.pad(x, width, mode, **kwargs)
    )
    check_gradients(lambda t: pad(t, width, mode, **kwargs), x)


def test_pad_rejects_unknown_mode_and_bad_widths() -> None:
    with pytest.raises(ValueError, match="mode must be"):
        pad(Tensor(np.zeros(3)), 1, mode="mean")
    with pytest.raises(ValueError, match="non-negative"):
        pad(Tensor(np.zeros(3)), -1)
    with pytest.raises(ValueError, match="does not fit a tensor with 1 axes"):
        pad(Tensor(np.zeros(3)), ((1, 1), (1, 1), (1, 1)))


def test_where_matches_numpy_and_routes_gradients(check_gradients) -> None:
    a, b = RNG.standard_normal((3, 4)), RNG.standard_normal((4,))
    cond = a > 0
    np.testing.assert_array_equal(
        where(Tensor(cond), Tensor(a), Tensor(b)).data, np.where(cond, a, b)
    )
    check_gradients(lambda x, y: where(cond, x, y), a, b)


def test_where_with_a_scalar_branch_keeps_float32() -> None:
    t = Tensor([-1.0, 2.0], requires_grad=True)
    out = where(t > 0, t, 0.0)
    assert out.dtype == np.float32
    out.sum().backward()
    assert t.grad is not None
    assert t.grad.tolist() == [0.0, 1.0]


def test_where_mismatch_names_the_shapes() -> None:
    with pytest.raises(
        ValueError, match=r"where: shapes \(2,\), \(3,\) and \(\) cannot be broadcast"
    ):
        where(np.array([True, False]), Tensor(np.zeros(3)), 0.0)
