"""Version counters: a backward pass through a tensor changed in place since recording raises.

MiniGrad's own in-place writes (optimizer steps, BatchNorm's running statistics)
count as new versions; a node whose rule reads an input written after the node
was recorded refuses to run, as PyTorch does, instead of using the new values.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from minigrad.tensor import Tensor, grad, nn, optim
from minigrad.tensor.autograd.version import bump_version, bump_versions, write_clock

STALE = "modified by an inplace operation"
OPTIMIZERS: dict[str, Callable[[list[Tensor]], optim.Optimizer]] = {
    "SGD": lambda params: optim.SGD(params, lr=1.0),
    "Adam": lambda params: optim.Adam(params, lr=0.1),
    "AdamW": lambda params: optim.AdamW(params, lr=0.1),
    "RMSprop": lambda params: optim.RMSprop(params, lr=0.1),
}


def _weights_and_input() -> tuple[Tensor, Tensor]:
    w = Tensor([1.0, 2.0], requires_grad=True)
    x = Tensor([1.0, 1.0], requires_grad=True)
    return w, x


def test_sgd_step_between_forward_and_backward_raises_naming_op_and_tensor() -> None:
    # Issue 15, item 10: this used to give x.grad == [1, 2] instead of [2, 3] (or raise).
    w, x = _weights_and_input()
    y = (w * x).sum()
    w.grad = np.ones(2, dtype=np.float32)
    optim.SGD([w], lr=1).step()
    with pytest.raises(RuntimeError, match=STALE) as caught:
        y.backward()
    message = str(caught.value)
    assert "input 0 of 'mul'" in message
    assert "shape (2,)" in message
    assert "SGD.step" in message
    assert "version 1" in message


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_every_optimizer_step_makes_an_earlier_graph_refuse_backward(name: str) -> None:
    w, x = _weights_and_input()
    y = (w * x).sum()
    w.grad = np.ones(2, dtype=np.float32)
    OPTIMIZERS[name]([w]).step()
    with pytest.raises(RuntimeError, match=f"{STALE}.*{name}.step"):
        y.backward()


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_every_optimizer_step_counts_one_version(name: str) -> None:
    w, _ = _weights_and_input()
    w.grad = np.ones(2, dtype=np.float32)
    optimizer = OPTIMIZERS[name]([w])
    optimizer.step()
    optimizer.step()
    assert w._version == 2


STEPPERS = {
    **OPTIMIZERS,
    "SGD with momentum and weight decay": lambda params: optim.SGD(
        params, lr=0.1, momentum=0.9, weight_decay=0.01
    ),
}


@pytest.mark.parametrize("name", sorted(STEPPERS))
def test_a_step_gives_each_updated_parameter_one_version_at_one_shared_tick(name: str) -> None:
    first, second, untouched = (Tensor([1.0, 2.0], requires_grad=True) for _ in range(3))
    y = (second * second).sum()
    first.grad = np.ones(2, dtype=np.float32)
    second.grad = np.ones(2, dtype=np.float32)
    STEPPERS[name]([first, second, untouched]).step()
    assert (first._version, second._version, untouched._version) == (1, 1, 0)
    assert first._last_write[1] == second._last_write[1]
    with pytest.raises(RuntimeError, match=STALE):  # the last parameter is counted too
        y.backward()


def test_bump_versions_ticks_the_clock_once_for_all_its_tensors() -> None:
    a, b = Tensor([1.0]), Tensor([2.0])
    bump_version(a, "before")
    before = write_clock.now
    bump_versions([a, b], "together")
    assert write_clock.now == before + 1
    assert a._last_write == (2, before + 1, "together")
    assert b._last_write == (1, before + 1, "together")


def test_a_step_that_fails_part_way_still_counts_the_parameters_it_wrote() -> None:
    written, broken = Tensor([1.0, 2.0], requires_grad=True), Tensor([1.0], requires_grad=True)
    y = (written * written).sum()
    written.grad = np.ones(2, dtype=np.float32)
    broken.grad = np.ones(3, dtype=np.float32)  # cannot update a (1,) parameter
    with pytest.raises(ValueError, match="broadcast"):
        optim.SGD([written, broken], lr=1.0).step()
    assert written.data.tolist() == [0.0, 1.0]
    with pytest.raises(RuntimeError, match=STALE):
        y.backward()


def test_a_step_on_a_parameter_seen_through_a_view_raises() -> None:
    w = Tensor(np.arange(6, dtype=np.float32), requires_grad=True)
    x = Tensor(np.ones((3, 2), dtype=np.float32), requires_grad=True)
    y = (w.reshape(2, 3) @ x).sum()  # matmul saved the reshaped view of w
    w.grad = np.ones(6, dtype=np.float32)
    optim.SGD([w], lr=1).step()
    with pytest.raises(
        RuntimeError, match=f"{STALE}.*'matmul'.*shares the memory of a leaf of shape"
    ):
        y.backward()


def test_a_step_on_a_parameter_seen_through_detach_raises() -> None:
    w, x = _weights_and_input()
    y = (w.detach() * x).sum()  # mul saved the detached tensor, which shares w's memory
    w.grad = np.ones(2, dtype=np.float32)
    optim.SGD([w], lr=1).step()
    with pytest.raises(RuntimeError, match=f"{STALE}.*'mul'.*shares the memory of a leaf"):
        y.backward()


def test_batchnorm_running_stat_update_makes_a_graph_that_read_it_raise() -> None:
    bn = nn.BatchNorm1d(2)
    scale = Tensor([1.0, 1.0], requires_grad=True)
    assert bn.running_var is not None
    penalty = (bn.running_var * scale).sum()  # mul saved the running variance
    bn.train()
    bn(Tensor([[1.0, 2.0], [3.0, 5.0]]))  # updates running_var in place
    with pytest.raises(RuntimeError, match=f"{STALE}.*input 0 of 'mul'.*running-statistics"):
        penalty.backward()


def test_batchnorm_eval_graph_keeps_its_gradient_after_a_training_forward() -> None:
    # The eval path copies the running statistics into the graph, so a later
    # update cannot change its gradient: no error, and the gradient of the
    # statistics in force when the graph was recorded.
    bn = nn.BatchNorm1d(2)
    bn.eval()
    x = Tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    y = bn(x).sum()
    expected = np.broadcast_to(1.0 / np.sqrt(1.0 + bn.eps), (2, 2))
    bn.train()
    bn(Tensor([[10.0, 20.0], [30.0, 50.0]]))
    y.backward()
    assert x.grad is not None
    np.testing.assert_allclose(x.grad, expected, rtol=1e-6)


def test_batchnorm_training_forward_counts_a_version_of_each_buffer() -> None:
    bn = nn.BatchNorm1d(2)
    bn(Tensor([[1.0, 2.0], [3.0, 5.0]]))
    assert bn.running_mean is not None
    assert bn.running_var is not None
    assert (bn.running_mean._version, bn.running_var._version) == (1, 1)


def test_a_normal_training_loop_never_raises() -> None:
    rng = np.random.default_rng(0)
    model = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.ReLU(), nn.Linear(4, 1))
    optimizer = optim.Adam(model.parameters(), lr=0.01)
    for _ in range(3):
        x = Tensor(rng.standard_normal((5, 3), dtype=np.float32))
        loss = (model(x) ** 2).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()


def test_retain_graph_passes_before_a_step_work_and_after_it_raise() -> None:
    w, x = _weights_and_input()
    y = (w * x).sum()
    y.backward(retain_graph=True)
    y.backward(retain_graph=True)
    np.testing.assert_allclose(x.grad, [2.0, 4.0])
    optim.SGD([w], lr=1).step()
    with pytest.raises(RuntimeError, match=STALE):
        y.backward()


def test_create_graph_second_derivatives_before_a_step_work() -> None:
    w = Tensor([1.0, 2.0], requires_grad=True, dtype="float64")
    (dw,) = grad((w**3).sum(), w, create_graph=True)
    (dww,) = grad(dw.sum(), w)
    np.testing.assert_allclose(dww.data, [6.0, 12.0])


def test_create_graph_gradient_graph_refuses_after_a_step() -> None:
    w = Tensor([1.0, 2.0], requires_grad=True, dtype="float64")
    (dw,) = grad((w**3).sum(), w, create_graph=True)  # dw's graph saved w
    w.grad = np.ones(2)
    optim.SGD([w], lr=0.5).step()
    with pytest.raises(RuntimeError, match=STALE):
        grad(dw.sum(), w)


def test_a_graph_recorded_after_the_step_is_fine() -> None:
    w, x = _weights_and_input()
    w.grad = np.ones(2, dtype=np.float32)
    optim.SGD([w], lr=1).step()
    (w * x).sum().backward()
    np.testing.assert_allclose(x.grad, [0.0, 1.0])


def test_ops_that_do_not_read_their_inputs_do_not_raise() -> None:
    # add's gradient does not depend on its inputs' values (as in PyTorch, no error).
    w, x = _weights_and_input()
    y = (w + x).sum()
    w.grad = np.ones(2, dtype=np.float32)
    optim.SGD([w], lr=1).step()
    y.backward()
    np.testing.assert_allclose(x.grad, [1.0, 1.0])


def test_load_state_dict_counts_a_version() -> None:
    layer = nn.Linear(2, 1)
    before = layer.weight._version  # nn.init's writes count too
    layer.load_state_dict(nn.Linear(2, 1).state_dict())
    assert layer.weight._version == before + 1
