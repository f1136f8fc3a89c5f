"""The hand-written NumPy steps in benchmarks/ compute the same gradients as MiniGrad.

They are the benchmarks' physical limit, so they must do the same work: same
loss, same gradients, from the same weights.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import numpy as np

from minigrad.tensor import Tensor, nn
from minigrad.tensor.nn import functional as F

ROOT = Path(__file__).resolve().parents[1]


def _reference() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "numpy_reference", ROOT / "benchmarks" / "numpy_reference.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _minigrad_grads(
    model: nn.Module, x: np.ndarray, y: np.ndarray
) -> tuple[float, dict[str, np.ndarray]]:
    loss = F.cross_entropy(model(Tensor(x)), Tensor(y))
    loss.backward()
    grads = {}
    for name, p in model.named_parameters():
        assert p.grad is not None
        grads[name] = p.grad
    return loss.item(), grads


def test_numpy_mlp_reference_matches_minigrad_loss_and_gradients() -> None:
    rng = np.random.default_rng(0)
    x = rng.standard_normal((16, 12))
    y = rng.integers(0, 5, size=16)
    model = nn.Sequential(
        nn.Linear(12, 8, dtype=np.float64), nn.ReLU(), nn.Linear(8, 5, dtype=np.float64)
    )
    loss, grads = _minigrad_grads(model, x, y)
    state = model.state_dict()
    params = [(np.array(state[f"{i}.weight"]), np.array(state[f"{i}.bias"])) for i in (0, 2)]
    ref_loss, ref_grads = _reference().mlp_loss_and_grads(params, x, y)
    np.testing.assert_allclose(ref_loss, loss, rtol=1e-10)
    for i, (grad_w, grad_b) in zip((0, 2), ref_grads, strict=True):
        np.testing.assert_allclose(grad_w, grads[f"{i}.weight"], rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(grad_b, grads[f"{i}.bias"], rtol=1e-9, atol=1e-12)


def test_numpy_cnn_reference_matches_minigrad_loss_and_gradients() -> None:
    rng = np.random.default_rng(1)
    x = rng.standard_normal((4, 1, 10, 10))
    y = rng.integers(0, 10, size=4)
    model = nn.Sequential(
        nn.Conv2d(1, 3, 3, dtype=np.float64),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(3 * 4 * 4, 10, dtype=np.float64),
    )
    loss, grads = _minigrad_grads(model, x, y)
    state = model.state_dict()
    params = [np.array(state[k]) for k in ("0.weight", "0.bias", "4.weight", "4.bias")]
    ref_loss, ref_grads = _reference().cnn_loss_and_grads(*params, x, y)
    np.testing.assert_allclose(ref_loss, loss, rtol=1e-10)
    for key, ref_grad in zip(("0.weight", "0.bias", "4.weight", "4.bias"), ref_grads, strict=True):
        np.testing.assert_allclose(ref_grad, grads[key], rtol=1e-9, atol=1e-12)
