"""Module: registration, traversal, modes, state dicts and repr, as PyTorch does them."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

import numpy as np
import pytest

from minigrad.tensor import Tensor, nn


class TwoLayer(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.fc1 = nn.Linear(4, 8)
        self.bn = nn.BatchNorm1d(8)
        self.fc2 = nn.Linear(8, 2)

    def forward(self, x: Tensor) -> Tensor:
        out: Tensor = self.fc2(self.bn(self.fc1(x)).relu())
        return out


def test_parameters_are_registered_in_assignment_order_with_dotted_names() -> None:
    names = [name for name, _ in TwoLayer().named_parameters()]
    assert names == ["fc1.weight", "fc1.bias", "bn.weight", "bn.bias", "fc2.weight", "fc2.bias"]


def test_state_dict_has_pytorch_names_including_batch_norm_buffers() -> None:
    assert list(TwoLayer().state_dict()) == [
        "fc1.weight",
        "fc1.bias",
        "bn.weight",
        "bn.bias",
        "bn.running_mean",
        "bn.running_var",
        "bn.num_batches_tracked",
        "fc2.weight",
        "fc2.bias",
    ]


def test_sequential_names_children_by_position() -> None:
    model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))
    shapes = {k: v.shape for k, v in model.state_dict().items()}
    assert shapes == {"0.weight": (4, 3), "0.bias": (4,), "2.weight": (2, 4), "2.bias": (2,)}


def test_num_batches_tracked_is_a_0d_int64_array() -> None:
    value = TwoLayer().state_dict()["bn.num_batches_tracked"]
    assert value.shape == ()
    assert value.dtype == np.int64


def test_shared_parameters_are_listed_once() -> None:
    layer = nn.Linear(2, 2)
    model = nn.Sequential(layer, layer)
    assert len(list(model.parameters())) == 2


def test_children_and_modules() -> None:
    model = TwoLayer()
    assert [name for name, _ in model.named_children()] == ["fc1", "bn", "fc2"]
    assert [name for name, _ in model.named_modules()] == ["", "fc1", "bn", "fc2"]


def test_buffers_are_not_parameters() -> None:
    model = TwoLayer()
    assert [name for name, _ in model.named_buffers()] == [
        "bn.running_mean",
        "bn.running_var",
        "bn.num_batches_tracked",
    ]
    assert all(p.requires_grad for p in model.parameters())


def test_non_persistent_buffer_is_left_out_of_state_dict() -> None:
    module = nn.Module()
    module.register_buffer("cache", Tensor(np.zeros(2)), persistent=False)
    module.register_buffer("kept", Tensor(np.zeros(2)))
    assert list(module.state_dict()) == ["kept"]


def test_reassigning_a_name_replaces_the_registration() -> None:
    module = nn.Module()
    module.thing = nn.Linear(2, 2)
    module.thing = nn.Parameter(np.zeros(3))
    assert list(module.state_dict()) == ["thing"]
    assert dict(module.named_children()) == {}


def test_assigning_before_init_names_the_fix() -> None:
    class Broken(nn.Module):
        def __init__(self) -> None:
            self.fc = nn.Linear(2, 2)

    with pytest.raises(AttributeError, match=r"call super\(\).__init__\(\) first"):
        Broken()


def test_parameter_slot_rejects_plain_tensor() -> None:
    layer = nn.Linear(2, 2)
    with pytest.raises(TypeError, match="expected a Parameter or None"):
        layer.weight = Tensor(np.zeros((2, 2)))


def test_missing_attribute_raises_attribute_error() -> None:
    with pytest.raises(AttributeError, match="'Linear' object has no attribute 'wieght'"):
        _ = nn.Linear(2, 2).wieght


def test_train_and_eval_set_training_recursively() -> None:
    model = TwoLayer()
    model.eval()
    assert not any(m.training for m in model.modules())
    assert model.train() is model
    assert all(m.training for m in model.modules())


def test_zero_grad_sets_gradients_to_none_by_default() -> None:
    model = nn.Linear(2, 1)
    model(Tensor(np.ones((3, 2), dtype=np.float32))).sum().backward()
    model.zero_grad()
    assert all(p.grad is None for p in model.parameters())


def test_zero_grad_can_fill_zeros_in_place() -> None:
    model = nn.Linear(2, 1)
    model(Tensor(np.ones((3, 2), dtype=np.float32))).sum().backward()
    grad = model.weight.grad
    model.zero_grad(set_to_none=False)
    assert model.weight.grad is grad
    assert grad is not None
    assert not grad.any()


def test_state_dict_round_trip_restores_every_value() -> None:
    source, target = TwoLayer(), TwoLayer()
    source(Tensor(np.random.default_rng(0).standard_normal((5, 4)).astype(np.float32)))
    target.load_state_dict(source.state_dict())
    for (name, a), b in zip(source.state_dict().items(), target.state_dict().values(), strict=True):
        np.testing.assert_array_equal(a, b, err_msg=name)


def test_state_dict_returns_copies() -> None:
    layer = nn.Linear(2, 2)
    state = layer.state_dict()
    state["weight"][...] = 7.0
    assert not (layer.weight.data == 7.0).any()


def test_load_state_dict_copies_in_place_and_keeps_dtype() -> None:
    layer = nn.Linear(2, 2)
    weight = layer.weight
    layer.load_state_dict({"weight": np.ones((2, 2)), "bias": np.zeros(2)})
    assert layer.weight is weight
    assert weight.dtype == np.float32
    assert weight.data.tolist() == [[1.0, 1.0], [1.0, 1.0]]


def test_strict_load_lists_every_problem_by_name() -> None:
    state: dict[str, Any] = dict(TwoLayer().state_dict())
    del state["fc1.bias"]
    state["fc2.weight"] = np.zeros((3, 8))
    state["extra.weight"] = np.zeros(1)
    with pytest.raises(RuntimeError) as error:
        TwoLayer().load_state_dict(state)
    message = str(error.value)
    assert "fc2.weight: shape (3, 8) in the state dict, (2, 8) in the model" in message
    assert "missing key 'fc1.bias'" in message
    assert "unexpected key 'extra.weight'" in message


def test_non_strict_load_reports_keys_but_still_rejects_shapes() -> None:
    state: dict[str, Any] = {"weight": np.zeros((2, 3)), "other": np.zeros(1)}
    result = nn.Linear(3, 2).load_state_dict(state, strict=False)
    assert result.missing_keys == ["bias"]
    assert result.unexpected_keys == ["other"]
    with pytest.raises(RuntimeError, match=r"weight: shape \(3, 3\)"):
        nn.Linear(3, 2).load_state_dict({"weight": np.zeros((3, 3))}, strict=False)


def test_failed_load_changes_nothing() -> None:
    layer = nn.Linear(2, 2)
    before = layer.state_dict()
    with pytest.raises(RuntimeError):
        layer.load_state_dict({"weight": np.ones((2, 2)), "bias": np.ones(3)})
    np.testing.assert_array_equal(layer.weight.data, before["weight"])


def test_repr_prints_the_module_tree_like_pytorch() -> None:
    model = nn.Sequential(OrderedDict(fc=nn.Linear(2, 3), act=nn.ReLU()))
    assert repr(model) == (
        "Sequential(\n  (fc): Linear(in_features=2, out_features=3, bias=True)\n  (act): ReLU()\n)"
    )


def test_apply_visits_children_before_parent() -> None:
    visited: list[str] = []
    TwoLayer().apply(lambda m: visited.append(type(m).__name__))
    assert visited == ["Linear", "BatchNorm1d", "Linear", "TwoLayer"]


def test_double_converts_parameters_in_place() -> None:
    model = TwoLayer()
    weight = model.fc1.weight
    model.double()
    assert model.fc1.weight is weight
    assert {p.dtype for p in model.parameters()} == {np.dtype(np.float64)}
    assert model.bn.running_mean.dtype == np.float64
    assert model.bn.num_batches_tracked.dtype == np.int64


def test_requires_grad_false_freezes_parameters() -> None:
    model = TwoLayer().requires_grad_(False)
    assert not any(p.requires_grad for p in model.parameters())


def test_parameter_requires_grad_and_results_are_plain_tensors() -> None:
    p = nn.Parameter(np.ones(2, dtype=np.float32))
    assert p.requires_grad
    assert type(p * 2) is Tensor
    assert repr(p).startswith("Parameter containing:\nTensor(")


def test_forward_must_be_defined() -> None:
    with pytest.raises(NotImplementedError, match="Module does not define forward"):
        nn.Module()(1)
