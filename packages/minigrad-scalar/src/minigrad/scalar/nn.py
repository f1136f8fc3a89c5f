"""Neural networks built from Values: `Neuron`, `Layer` and `MLP`.

A neuron computes ``activation(w . x + b)``; a layer is several neurons that
read the same inputs; a multi-layer perceptron (MLP) feeds each layer's outputs
to the next. Every weight and bias is a `Value`, so after ``loss.backward()``
each parameter's ``.grad`` says how the loss changes with it.

Example:
    >>> import random
    >>> model = MLP(2, [4, 1], rng=random.Random(0))
    >>> len(model.parameters())   # (2*4 + 4) + (4*1 + 1)
    17
    >>> [score] = model([0.5, -1.0])
    >>> isinstance(score, Value)
    True
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence

from minigrad.scalar.engine import Value
from minigrad.scalar.fused import linear

__all__ = ["ACTIVATIONS", "MLP", "Layer", "Module", "Neuron"]


def _linear(x: Value) -> Value:
    """The identity: a linear neuron passes its weighted sum through unchanged."""
    return x


ACTIVATIONS: dict[str, Callable[[Value], Value]] = {
    "linear": _linear,
    "relu": Value.relu,
    "sigmoid": Value.sigmoid,
    "tanh": Value.tanh,
}
"""The activation functions a neuron can apply, by name."""


def _activation_function(activation: str) -> Callable[[Value], Value]:
    """The function named ``activation``, or a ValueError listing the valid names."""
    if activation not in ACTIVATIONS:
        valid = ", ".join(repr(name) for name in ACTIVATIONS)
        raise ValueError(f"unknown activation {activation!r}; valid activations: {valid}")
    return ACTIVATIONS[activation]


def _check_size(name: str, size: object, what: str) -> None:
    """Raise unless ``size`` is a positive int (bool excluded)."""
    if not isinstance(size, int) or isinstance(size, bool):
        raise TypeError(f"{name} expects {what} to be an int, got {type(size).__name__}")
    if size < 1:
        raise ValueError(f"{name} expects {what} to be at least 1, got {size}")


def _check_inputs(name: str, expected: int, inputs: Sequence[Value | float]) -> None:
    """Raise a ValueError unless there are exactly ``expected`` inputs."""
    if len(inputs) != expected:
        raise ValueError(f"{name} expects {expected} inputs, got {len(inputs)}")


class Module:
    """Base class of everything with parameters: a neuron, a layer, a network.

    Subclasses override `parameters` and `__call__`.
    """

    def parameters(self) -> list[Value]:
        """Every trainable Value of this module (none for the base class)."""
        return []

    def zero_grad(self) -> None:
        """Set the gradient of every parameter to 0.0, ready for the next backward."""
        for parameter in self.parameters():
            parameter.grad = 0.0

    def __call__(self, inputs: Sequence[Value | float]) -> Value | list[Value]:
        """Compute the module's output for ``inputs`` (recording the graph)."""
        raise NotImplementedError(f"{type(self).__name__} does not define __call__")


class Neuron(Module):
    """One neuron: ``activation(w . x + b)`` over ``nin`` inputs.

    Args:
        nin: how many inputs it reads.
        activation: one of ``ACTIVATIONS``: "relu" (default), "tanh",
            "sigmoid" or "linear" (no activation).
        rng: the random generator the weights are drawn from, uniform in
            [-1, 1]; None draws from Python's global ``random`` module, so
            ``random.seed(...)`` makes it reproducible. The bias starts at 0.

    Example:
        >>> import random
        >>> neuron = Neuron(3, activation="tanh", rng=random.Random(0))
        >>> -1.0 < neuron([1.0, 2.0, 3.0]).data < 1.0
        True
    """

    def __init__(
        self, nin: int, activation: str = "relu", rng: random.Random | None = None
    ) -> None:
        _check_size("Neuron", nin, "nin")
        self._activate = _activation_function(activation)
        self.activation = activation
        uniform = rng.uniform if rng is not None else random.uniform
        self.w = [Value(uniform(-1.0, 1.0)) for _ in range(nin)]
        self.b = Value(0.0)

    def __call__(self, inputs: Sequence[Value | float]) -> Value:
        """``activation(w . inputs + b)``; inputs may be Values or plain floats."""
        _check_inputs("Neuron", len(self.w), inputs)
        # The same as `sum((w * x for w, x in zip(self.w, inputs)), self.b)`,
        # recorded as one node instead of two per input (see fused.linear).
        return self._activate(linear(inputs, self.w, self.b))

    def parameters(self) -> list[Value]:
        """The weights, then the bias."""
        return [*self.w, self.b]

    def __repr__(self) -> str:
        return f"Neuron({len(self.w)}, activation={self.activation!r})"


class Layer(Module):
    """``nout`` neurons reading the same ``nin`` inputs; returns ``nout`` outputs.

    Args:
        nin: inputs per neuron.
        nout: number of neurons, hence of outputs.
        activation: applied by every neuron (see `Neuron`).
        rng: the random generator for the weights (see `Neuron`).

    Example:
        >>> import random
        >>> layer = Layer(2, 3, rng=random.Random(0))
        >>> len(layer([1.0, -1.0]))
        3
    """

    def __init__(
        self,
        nin: int,
        nout: int,
        activation: str = "relu",
        rng: random.Random | None = None,
    ) -> None:
        _check_size("Layer", nin, "nin")
        _check_size("Layer", nout, "nout")
        self.nin = nin
        self.neurons = [Neuron(nin, activation=activation, rng=rng) for _ in range(nout)]

    def __call__(self, inputs: Sequence[Value | float]) -> list[Value]:
        """One output per neuron, always as a list (even for a single neuron)."""
        _check_inputs("Layer", self.nin, inputs)
        return [neuron(inputs) for neuron in self.neurons]

    def parameters(self) -> list[Value]:
        """Every neuron's parameters, neuron by neuron."""
        return [p for neuron in self.neurons for p in neuron.parameters()]

    def __repr__(self) -> str:
        activation = self.neurons[0].activation
        return f"Layer({self.nin}, {len(self.neurons)}, activation={activation!r})"


class MLP(Module):
    """A multi-layer perceptron: layers of sizes ``nouts``, applied in turn.

    Hidden layers use ``activation``; the last layer is linear, so its outputs
    are unbounded scores (as in micrograd).

    Args:
        nin: number of inputs.
        nouts: the size of each layer, e.g. ``[16, 16, 1]``.
        activation: the hidden layers' activation (see `Neuron`).
        rng: the random generator for all weights (see `Neuron`).

    Example:
        >>> import random
        >>> model = MLP(2, [16, 16, 1], rng=random.Random(0))
        >>> len(model.parameters())
        337
    """

    def __init__(
        self,
        nin: int,
        nouts: Sequence[int],
        activation: str = "relu",
        rng: random.Random | None = None,
    ) -> None:
        _check_size("MLP", nin, "nin")
        if len(nouts) == 0:
            raise ValueError("MLP expects at least one layer size in nouts, got none")
        _activation_function(activation)  # an unknown name fails here, not in some layer
        sizes = [nin, *nouts]
        last = len(nouts) - 1
        self.layers = [
            Layer(sizes[i], sizes[i + 1], activation="linear" if i == last else activation, rng=rng)
            for i in range(len(nouts))
        ]

    def __call__(self, inputs: Sequence[Value | float]) -> list[Value]:
        """The last layer's outputs, as a list."""
        _check_inputs("MLP", self.layers[0].nin, inputs)
        outputs = self.layers[0](inputs)
        for layer in self.layers[1:]:
            outputs = layer(outputs)
        return outputs

    def parameters(self) -> list[Value]:
        """Every layer's parameters, layer by layer."""
        return [p for layer in self.layers for p in layer.parameters()]

    def __repr__(self) -> str:
        return "MLP(" + ", ".join(repr(layer) for layer in self.layers) + ")"
