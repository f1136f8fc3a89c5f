"""Autograd semantics: accumulation, released graphs, grad(), grad modes, anomaly detection."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from minigrad.tensor import (
    Tensor,
    detect_anomaly,
    enable_grad,
    grad,
    is_anomaly_enabled,
    is_grad_enabled,
    no_grad,
    set_grad_enabled,
)


def test_leaf_gradients_accumulate_across_backward_calls() -> None:
    x = Tensor([1.0, 2.0], requires_grad=True)
    (x * 3).sum().backward()
    (x * x).sum().backward()
    assert x.grad is not None
    assert x.grad.tolist() == [5.0, 7.0]


def test_zero_grad_forgets_the_gradient() -> None:
    x = Tensor([1.0], requires_grad=True)
    (x * 2).sum().backward()
    x.zero_grad()
    assert x.grad is None


def test_gradient_has_shape_and_dtype_of_its_tensor() -> None:
    x = Tensor(np.ones((2, 1), dtype=np.float32), requires_grad=True)
    (x + np.ones((3, 2, 4))).sum().backward()
    assert x.grad is not None
    assert x.grad.shape == (2, 1)
    assert x.grad.dtype == np.float32
    assert x.grad.tolist() == [[12.0], [12.0]]


def test_leaf_gradient_is_its_own_writable_array() -> None:
    x = Tensor(np.ones(3), requires_grad=True)
    seed = np.ones(3)
    x.backward(seed)
    assert x.grad is not None
    assert x.grad is not seed
    assert x.grad.flags.writeable


def test_second_pass_over_a_released_graph_says_what_to_pass() -> None:
    x = Tensor([1.0], requires_grad=True)
    y = (x * x).sum()
    y.backward()
    with pytest.raises(RuntimeError, match=r"already released.*retain_graph=True"):
        y.backward()


def test_retain_graph_allows_a_second_pass() -> None:
    x = Tensor([3.0], requires_grad=True)
    y = (x * x).sum()
    y.backward(retain_graph=True)
    y.backward()
    assert x.grad is not None
    assert x.grad.tolist() == [12.0]


def test_non_scalar_backward_without_gradient_asks_for_it() -> None:
    x = Tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match=r"shape \(2,\); pass gradient="):
        (x * 2).backward()


def test_explicit_gradient_is_used_and_checked() -> None:
    x = Tensor([1.0, 2.0], requires_grad=True)
    (x * 2).backward(np.array([1.0, 10.0]))
    assert x.grad is not None
    assert x.grad.tolist() == [2.0, 20.0]
    with pytest.raises(
        ValueError, match=r"gradient has shape \(3,\) but the output has shape \(2,\)"
    ):
        (x * 2).backward(np.ones(3))


def test_backward_on_a_tensor_without_graph_is_an_error() -> None:
    with pytest.raises(RuntimeError, match="does not require grad"):
        Tensor([1.0]).sum().backward()


def test_inputs_that_do_not_require_grad_get_none() -> None:
    a = Tensor([1.0], requires_grad=True)
    b = Tensor([2.0])
    (a * b).sum().backward()
    assert b.grad is None
    assert a.grad is not None


def test_shared_subexpressions_are_differentiated_once_per_use() -> None:
    x = Tensor([2.0], requires_grad=True)
    h = x * x
    (h + h * h).sum().backward()  # d/dx (x^2 + x^4) = 2x + 4x^3
    assert x.grad is not None
    assert x.grad.tolist() == [36.0]


# ---------------------------------------------------------------------- grad()


def test_grad_returns_gradients_without_touching_dot_grad() -> None:
    x = Tensor([1.0, 2.0], requires_grad=True)
    w = Tensor([3.0, 4.0], requires_grad=True)
    gx, gw = grad((x * w).sum(), [x, w])
    assert gx.tolist() == [3.0, 4.0]
    assert gw.tolist() == [1.0, 2.0]
    assert x.grad is None
    assert w.grad is None
    assert not gx.requires_grad


def test_grad_of_an_intermediate_tensor() -> None:
    x = Tensor([1.0, 2.0], requires_grad=True)
    h = x * 2
    (gh,) = grad((h * h).sum(), h)
    assert gh.tolist() == [4.0, 8.0]


def test_grad_with_grad_outputs() -> None:
    x = Tensor([1.0, 2.0], requires_grad=True)
    (gx,) = grad(x * 3, x, grad_outputs=np.array([1.0, -1.0], dtype=np.float32))
    assert gx.tolist() == [3.0, -3.0]


def test_grad_of_an_unused_input_needs_allow_unused() -> None:
    x = Tensor([1.0], requires_grad=True)
    unused = Tensor([1.0], requires_grad=True)
    with pytest.raises(ValueError, match="was not used"):
        grad((x * 2).sum(), [x, unused], retain_graph=True)
    _, g_unused = grad((x * 2).sum(), [x, unused], allow_unused=True)
    assert g_unused.tolist() == [0.0]


def test_grad_of_an_input_without_requires_grad_is_an_error() -> None:
    x = Tensor([1.0], requires_grad=True)
    with pytest.raises(ValueError, match="does not require grad"):
        grad((x * 2).sum(), Tensor([1.0]))


def test_grad_result_can_be_modified_in_place() -> None:
    x = Tensor(np.ones((2, 2)), requires_grad=True)
    (gx,) = grad(x.sum(), x)
    gx.data += 1
    assert gx.tolist() == [[2.0, 2.0], [2.0, 2.0]]


def test_create_graph_gives_differentiable_gradients() -> None:
    x = Tensor([1.0, 3.0], dtype="float64", requires_grad=True)
    (dx,) = grad((x**3).sum(), x, create_graph=True)
    assert dx.requires_grad
    np.testing.assert_allclose(dx.data, 3 * x.data**2)
    (dxx,) = grad(dx.sum(), x, create_graph=True)
    np.testing.assert_allclose(dxx.data, 6 * x.data)
    (dxxx,) = grad(dxx.sum(), x)
    np.testing.assert_allclose(dxxx.data, [6.0, 6.0])


def test_backward_with_create_graph_keeps_the_graph() -> None:
    x = Tensor([2.0], requires_grad=True)
    y = (x * x).sum()
    y.backward(create_graph=True)
    y.backward()
    assert x.grad is not None
    assert x.grad.tolist() == [8.0]


# ------------------------------------------------------------------ grad modes


def test_no_grad_records_nothing() -> None:
    w = Tensor([1.0], requires_grad=True)
    with no_grad():
        assert not is_grad_enabled()
        y = w * 2
    assert is_grad_enabled()
    assert not y.requires_grad
    assert y.is_leaf


def test_no_grad_as_a_decorator() -> None:
    w = Tensor([1.0], requires_grad=True)

    @no_grad()
    def predict(x: Tensor) -> Tensor:
        return x * w

    assert not predict(Tensor([2.0])).requires_grad
    assert (w * 2).requires_grad


def test_enable_grad_inside_no_grad() -> None:
    w = Tensor([1.0], requires_grad=True)
    with no_grad():
        with enable_grad():
            assert (w * 2).requires_grad
        assert not (w * 2).requires_grad


def test_enable_grad_as_a_decorator() -> None:
    w = Tensor([1.0], requires_grad=True)

    @enable_grad()
    def train_step() -> Tensor:
        return w * 2

    with no_grad():
        assert train_step().requires_grad


def test_set_grad_enabled_as_context_decorator_and_call() -> None:
    w = Tensor([1.0], requires_grad=True)
    with set_grad_enabled(False):
        assert not (w * 2).requires_grad
    assert is_grad_enabled()

    @set_grad_enabled(False)
    def frozen() -> Tensor:
        return w * 2

    assert is_grad_enabled(), "decorating must not switch the mode"
    assert not frozen().requires_grad
    assert is_grad_enabled()
    set_grad_enabled(False)
    try:
        assert not is_grad_enabled()
    finally:
        set_grad_enabled(True)
    assert is_grad_enabled()


def test_grad_mode_is_restored_after_an_exception() -> None:
    with pytest.raises(KeyError), no_grad():
        raise KeyError("boom")
    assert is_grad_enabled()


def test_grad_mode_belongs_to_each_thread() -> None:
    w = Tensor([1.0], requires_grad=True)
    started, release = threading.Event(), threading.Event()
    seen: dict[str, bool] = {}

    def worker() -> None:
        started.wait()
        seen["enabled"] = is_grad_enabled()
        seen["recorded"] = (w * 2).requires_grad
        release.set()

    thread = threading.Thread(target=worker)
    thread.start()
    with no_grad():
        started.set()
        release.wait(timeout=10)
        assert not (w * 2).requires_grad
    thread.join()
    assert seen == {"enabled": True, "recorded": True}


def test_no_grad_in_a_thread_leaves_the_main_thread_recording() -> None:
    w = Tensor([1.0], requires_grad=True)

    def worker() -> None:
        with no_grad():
            inside.set()
            done.wait(timeout=10)

    inside, done = threading.Event(), threading.Event()
    thread = threading.Thread(target=worker)
    thread.start()
    inside.wait(timeout=10)
    try:
        assert (w * 2).requires_grad
    finally:
        done.set()
        thread.join()


def test_one_no_grad_object_shared_by_two_threads_restores_each_threads_mode() -> None:
    # Main thread records (mode on), the worker does not (mode off); both enter the
    # same object, the main thread leaves first. Each must get its own mode back.
    shared = no_grad()
    worker_inside, main_left = threading.Event(), threading.Event()
    seen: dict[str, bool] = {}

    def worker() -> None:
        set_grad_enabled(False)
        with shared:
            worker_inside.set()
            main_left.wait(timeout=10)
        seen["worker after"] = is_grad_enabled()

    thread = threading.Thread(target=worker)
    with shared:
        thread.start()
        worker_inside.wait(timeout=10)
    seen["main after"] = is_grad_enabled()
    set_grad_enabled(True)  # a failure must not leave later tests without grad mode
    main_left.set()
    thread.join()
    assert seen == {"main after": True, "worker after": False}


# ---------------------------------------------------------- detach / requires_grad_


def test_detach_shares_data_and_cuts_the_graph() -> None:
    x = Tensor([1.0], requires_grad=True)
    y = x * 2
    d = y.detach()
    assert d.is_leaf
    assert not d.requires_grad
    assert d.data is y.data


def test_requires_grad_underscore_on_a_leaf() -> None:
    x = Tensor([1.0])
    assert x.requires_grad_() is x
    assert x.requires_grad
    x.requires_grad_(False)
    assert not x.requires_grad


def test_requires_grad_underscore_on_a_computed_tensor_is_an_error() -> None:
    y = Tensor([1.0], requires_grad=True) * 2
    with pytest.raises(RuntimeError, match="only leaf tensors"):
        y.requires_grad_(False)


# ------------------------------------------------------------- detect_anomaly


def test_detect_anomaly_names_the_forward_op_and_input_shapes() -> None:
    x = Tensor(np.array([[1.0, -1.0]]), requires_grad=True)
    with detect_anomaly():  # NumPy's warning is silenced: the error says more
        assert is_anomaly_enabled()
        expected = r"^log produced nan in its forward result \(input shapes: \(1, 2\)\)$"
        with pytest.raises(FloatingPointError, match=expected):
            x.log()
    assert not is_anomaly_enabled()


def test_detect_anomaly_names_the_backward_op() -> None:
    x = Tensor([0.0, 1.0], requires_grad=True)
    y = x.sqrt().sum()
    expected = r"sqrt produced inf in its gradient \(input shapes: \(2,\)\)"
    with detect_anomaly(), pytest.raises(FloatingPointError, match=expected):
        y.backward()


def test_detect_anomaly_as_a_decorator() -> None:
    @detect_anomaly()
    def divide(x: Tensor) -> Tensor:
        return x / Tensor([0.0])

    with pytest.raises(FloatingPointError, match="div produced inf"):
        divide(Tensor([1.0], requires_grad=True))


def test_without_detect_anomaly_nan_flows_on_with_numpys_warning() -> None:
    x = Tensor([-1.0], requires_grad=True)
    with pytest.warns(RuntimeWarning, match="invalid value"):
        y = x.log()
    assert np.isnan(y.data).all()
    y.sum().backward()  # the backward pass itself does not warn
    assert x.grad is not None
    assert x.grad.tolist() == [-1.0]
