"""Workloads 4-6: training steps of the tensor engine against hand-written NumPy and PyTorch.

Every contender starts from the same weights and sees the same batches; a
"step" is forward, cross-entropy, backward and an SGD update. MiniGrad runs
twice: eagerly, and compiled (``minigrad.tensor.compile`` records the step once
and replays it); ratios are to the compiled row.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import numpy_reference as ref
from harness import Row, compare, rows_for

from minigrad.tensor import Tensor, nn, optim
from minigrad.tensor.compile import compile
from minigrad.tensor.data import load_digits
from minigrad.tensor.nn import functional as F

LR = 0.05


def _mlp(sizes: list[int]) -> nn.Sequential:
    layers: list[nn.Module] = []
    for i, (n_in, n_out) in enumerate(itertools.pairwise(sizes)):
        layers.append(nn.Linear(n_in, n_out))
        if i < len(sizes) - 2:
            layers.append(nn.ReLU())
    return nn.Sequential(*layers)


def _torch_like(torch: Any, model: nn.Module, build: Any) -> Any:
    """The same architecture in PyTorch, loaded with MiniGrad's weights."""
    torch_model = build()
    state = {k: torch.from_numpy(np.array(v)) for k, v in model.state_dict().items()}
    torch_model.load_state_dict(state)
    return torch_model


def _contenders(
    torch: Any | None,
    model: nn.Module,
    torch_build: Any,
    numpy_step: Any,
    numpy_params: Any,
    batches: list[tuple[np.ndarray, np.ndarray]],
) -> dict[str, Any]:
    opt = optim.SGD(model.parameters(), lr=LR)
    mg_batches = [(Tensor(x), Tensor(y)) for x, y in batches]

    def step(x: Tensor, y: Tensor) -> None:
        opt.zero_grad()
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        opt.step()

    compiled_step = compile(step)

    def minigrad_epoch() -> None:
        for x, y in mg_batches:
            step(x, y)

    def minigrad_compiled_epoch() -> None:
        for x, y in mg_batches:
            compiled_step(x, y)

    def numpy_epoch() -> None:
        for x, y in batches:
            numpy_step(numpy_params, x, y, LR)

    contenders: dict[str, Any] = {
        "MiniGrad compiled": minigrad_compiled_epoch,
        "MiniGrad eager": minigrad_epoch,
        "hand-written NumPy": numpy_epoch,
    }
    if torch is not None:
        torch.set_num_threads(1)
        torch_model = _torch_like(torch, model, torch_build)
        torch_opt = torch.optim.SGD(torch_model.parameters(), lr=LR)
        torch_batches = [(torch.from_numpy(x), torch.from_numpy(y)) for x, y in batches]

        def torch_epoch() -> None:
            for x, y in torch_batches:
                torch_opt.zero_grad()
                loss = torch.nn.functional.cross_entropy(torch_model(x), y)
                loss.backward()
                torch_opt.step()

        contenders["PyTorch"] = torch_epoch
    return contenders


def _mlp_numpy_params(model: nn.Module) -> list[tuple[np.ndarray, np.ndarray]]:
    state = model.state_dict()
    names = sorted({k.rsplit(".", 1)[0] for k in state}, key=int)
    return [(np.array(state[f"{n}.weight"]), np.array(state[f"{n}.bias"])) for n in names]


def digits_mlp(torch: Any | None, rounds: int) -> list[Row]:
    """Workload 4: digits MLP 64-128-10, batch 32, one epoch."""
    from minigrad.tensor import manual_seed

    manual_seed(0)
    images, labels = load_digits()
    x_all = images.numpy().reshape(len(labels), -1).astype(np.float32)
    y_all = labels.numpy().astype(np.int64)
    batches = [(x_all[i : i + 32], y_all[i : i + 32]) for i in range(0, len(y_all) - 31, 32)]
    model = _mlp([64, 128, 10])
    build = None
    if torch is not None:
        build = lambda: torch.nn.Sequential(  # noqa: E731
            torch.nn.Linear(64, 128), torch.nn.ReLU(), torch.nn.Linear(128, 10)
        )
    contenders = _contenders(
        torch, model, build, ref.mlp_sgd_step, _mlp_numpy_params(model), batches
    )
    targets = {
        "hand-written NumPy": ("MiniGrad compiled within 1.1x", lambda r: 1 / r <= 1.1),
        "PyTorch": (">= 3x slower than MiniGrad compiled", lambda r: r >= 3.0),
    }
    return rows_for(
        "4. digits MLP 64-128-10, batch 32, one epoch",
        compare(contenders, rounds=rounds, warmup=1),
        "MiniGrad compiled",
        targets,
    )


def mlp_784(torch: Any | None, rounds: int) -> list[Row]:
    """Workload 5: MLP 784-256-128-10 on random float32 data, batch 128, one step."""
    from minigrad.tensor import manual_seed

    manual_seed(0)
    rng = np.random.default_rng(0)
    x = rng.standard_normal((128, 784), dtype=np.float32)
    y = rng.integers(0, 10, size=128)
    model = _mlp([784, 256, 128, 10])
    build = None
    if torch is not None:
        build = lambda: torch.nn.Sequential(  # noqa: E731
            torch.nn.Linear(784, 256),
            torch.nn.ReLU(),
            torch.nn.Linear(256, 128),
            torch.nn.ReLU(),
            torch.nn.Linear(128, 10),
        )
    contenders = _contenders(
        torch, model, build, ref.mlp_sgd_step, _mlp_numpy_params(model), [(x, y)]
    )
    targets = {
        "hand-written NumPy": ("MiniGrad compiled within 1.15x", lambda r: 1 / r <= 1.15),
        "PyTorch": ("slower than MiniGrad compiled", lambda r: r > 1.0),
    }
    return rows_for(
        "5. MLP 784-256-128-10, batch 128, one step",
        compare(contenders, rounds=rounds * 3, warmup=3),
        "MiniGrad compiled",
        targets,
    )


def cnn(torch: Any | None, rounds: int) -> list[Row]:
    """Workload 6: Conv2d(1, 8, 3) - ReLU - MaxPool2d(2) - Linear(8*13*13, 10), batch 64."""
    from minigrad.tensor import manual_seed

    manual_seed(0)
    rng = np.random.default_rng(0)
    x = rng.standard_normal((64, 1, 28, 28), dtype=np.float32)
    y = rng.integers(0, 10, size=64)
    model = nn.Sequential(
        nn.Conv2d(1, 8, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(8 * 13 * 13, 10)
    )
    state = model.state_dict()
    params = [np.array(state[k]) for k in ("0.weight", "0.bias", "4.weight", "4.bias")]
    build = None
    if torch is not None:
        build = lambda: torch.nn.Sequential(  # noqa: E731
            torch.nn.Conv2d(1, 8, 3),
            torch.nn.ReLU(),
            torch.nn.MaxPool2d(2),
            torch.nn.Flatten(),
            torch.nn.Linear(8 * 13 * 13, 10),
        )
    contenders = _contenders(torch, model, build, ref.cnn_sgd_step, params, [(x, y)])
    targets = {
        "hand-written NumPy": ("MiniGrad compiled within 1.3x", lambda r: 1 / r <= 1.3),
        "PyTorch": ("slower than MiniGrad compiled", lambda r: r > 1.0),
    }
    return rows_for(
        "6. CNN conv3x3(1->8)-ReLU-maxpool2-linear on 28x28, batch 64, one step",
        compare(contenders, rounds=rounds * 3, warmup=3),
        "MiniGrad compiled",
        targets,
    )
