"""`Module`: the base class of layers and models, with PyTorch's registration rules.

Assigning a :class:`Parameter` or a ``Module`` to an attribute registers it;
``register_buffer`` registers non-trainable state such as running averages.
Registered names build the dotted keys of ``state_dict()`` (``fc1.weight``,
``0.bias``, ``bn.running_mean``), exactly as PyTorch names them, so a state
dict carries over between the two frameworks.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping
from typing import Any, NamedTuple, TypeVar

import numpy as np
import numpy.typing as npt

from minigrad.tensor.autograd.modes import state, under_capture, watching
from minigrad.tensor.autograd.version import bump_version
from minigrad.tensor.nn.parameter import Parameter
from minigrad.tensor.tensor import Tensor

__all__ = ["IncompatibleKeys", "Module", "Parameter", "structure_version"]

_M = TypeVar("_M", bound="Module")


class IncompatibleKeys(NamedTuple):
    """What ``load_state_dict(strict=False)`` could not match, by name."""

    missing_keys: list[str]
    unexpected_keys: list[str]


class _StructureVersion:
    """How many times a module's parameters, buffers or submodules changed (any module)."""

    __slots__ = ("version",)

    def __init__(self) -> None:
        self.version = 0


_structure = _StructureVersion()


def structure_version() -> int:
    """A number that changes whenever a module gains, loses or replaces a parameter or child.

    A compiled step (``minigrad.tensor.compile``) records it and re-records when
    it moved, so that a swapped layer is never silently replayed with the old one.
    """
    return _structure.version


class Module:
    """Base class of every layer and model.

    Subclasses call ``super().__init__()`` first, assign their parameters and
    submodules as attributes, and define ``forward``. Calling the module calls
    ``forward``.

    Example:
        >>> from minigrad.tensor import nn
        >>> class TwoLayer(nn.Module):
        ...     def __init__(self) -> None:
        ...         super().__init__()
        ...         self.fc1 = nn.Linear(4, 8)
        ...         self.fc2 = nn.Linear(8, 2)
        ...
        ...     def forward(self, x):
        ...         return self.fc2(self.fc1(x).relu())
        >>> [name for name, _ in TwoLayer().named_parameters()]
        ['fc1.weight', 'fc1.bias', 'fc2.weight', 'fc2.bias']
    """

    training: bool
    _parameters: dict[str, Parameter | None]
    _buffers: dict[str, Tensor | None]
    _non_persistent_buffers: set[str]
    _modules: dict[str, Module | None]

    def __init__(self) -> None:
        object.__setattr__(self, "training", True)
        object.__setattr__(self, "_parameters", {})
        object.__setattr__(self, "_buffers", {})
        object.__setattr__(self, "_non_persistent_buffers", set())
        object.__setattr__(self, "_modules", {})

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        """The computation of the module; subclasses define it."""
        raise NotImplementedError(f"{type(self).__name__} does not define forward()")

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """Run ``forward`` with the arguments: ``model(x)`` is ``model.forward(x)``."""
        if watching.on and state.capture is not None:
            state.capture.module(self)  # a compiled step guards the module's train()/eval()
        return self.forward(*args, **kwargs)

    # ----------------------------------------------------------- registration

    def _check_initialized(self, name: str) -> None:
        if "_parameters" not in self.__dict__:
            raise AttributeError(
                f"cannot assign {name!r} before Module.__init__() was called; "
                f"call super().__init__() first in {type(self).__name__}.__init__"
            )

    def __setattr__(self, name: str, value: Any) -> None:
        if isinstance(value, (Parameter, Module)) or name in self.__dict__.get("_buffers", ()):
            _structure.version += 1
        if isinstance(value, Parameter):
            self._check_initialized(name)
            self._forget(name)
            self._parameters[name] = value
        elif isinstance(value, Module):
            self._check_initialized(name)
            self._forget(name)
            self._modules[name] = value
        elif "_parameters" in self.__dict__ and name in self._parameters:
            if value is not None:
                raise TypeError(
                    f"cannot assign {type(value).__name__} to parameter {name!r} "
                    "(expected a Parameter or None)"
                )
            self._parameters[name] = None
        elif "_modules" in self.__dict__ and name in self._modules:
            if value is not None:
                raise TypeError(
                    f"cannot assign {type(value).__name__} to submodule {name!r} "
                    "(expected a Module or None)"
                )
            self._modules[name] = None
        elif "_buffers" in self.__dict__ and name in self._buffers:
            if value is not None and not isinstance(value, Tensor):
                raise TypeError(
                    f"cannot assign {type(value).__name__} to buffer {name!r} "
                    "(expected a Tensor or None)"
                )
            self._buffers[name] = value
        else:
            object.__setattr__(self, name, value)

    def _forget(self, name: str) -> None:
        """Remove ``name`` from every registry and the plain attributes."""
        _structure.version += 1
        self.__dict__.pop(name, None)
        self._parameters.pop(name, None)
        self._modules.pop(name, None)
        self._buffers.pop(name, None)
        self._non_persistent_buffers.discard(name)

    def __getattr__(self, name: str) -> Tensor | Module:
        # Only called when normal lookup fails, i.e. for registered names.
        registries = ("_parameters", "_buffers", "_modules")
        for registry in registries:
            entries = self.__dict__.get(registry)
            if entries is not None and name in entries:
                value: Tensor | Module = entries[name]
                return value
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def __delattr__(self, name: str) -> None:
        if name in self._parameters or name in self._modules or name in self._buffers:
            self._forget(name)
        else:
            object.__delattr__(self, name)

    def register_parameter(self, name: str, param: Parameter | None) -> None:
        """Register ``param`` (or an absent parameter, None) under ``name``."""
        self._check_name(name, "parameter")
        if param is not None and not isinstance(param, Parameter):
            raise TypeError(
                f"register_parameter: {name!r} must be a Parameter or None, "
                f"got {type(param).__name__}"
            )
        self._forget(name)
        self._parameters[name] = param

    def register_buffer(self, name: str, tensor: Tensor | None, persistent: bool = True) -> None:
        """Register non-trainable state (e.g. running statistics) under ``name``.

        Persistent buffers are part of ``state_dict()``; non-persistent ones are not.
        """
        self._check_name(name, "buffer")
        if tensor is not None and not isinstance(tensor, Tensor):
            raise TypeError(
                f"register_buffer: {name!r} must be a Tensor or None, got {type(tensor).__name__}"
            )
        self._forget(name)
        self._buffers[name] = tensor
        if not persistent:
            self._non_persistent_buffers.add(name)

    def add_module(self, name: str, module: Module | None) -> None:
        """Register ``module`` as a child named ``name``."""
        self._check_name(name, "module")
        if module is not None and not isinstance(module, Module):
            raise TypeError(
                f"add_module: {name!r} must be a Module or None, got {type(module).__name__}"
            )
        self._forget(name)
        self._modules[name] = module

    def _check_name(self, name: str, kind: str) -> None:
        self._check_initialized(name)
        if not isinstance(name, str):
            raise TypeError(f"{kind} name must be a str, got {type(name).__name__}")
        if not name or "." in name:
            raise KeyError(f"{kind} name must be a non-empty string without '.', got {name!r}")

    # -------------------------------------------------------------- traversal

    def named_modules(self, prefix: str = "") -> Iterator[tuple[str, Module]]:
        """This module and every descendant, each once, with its dotted name ('' for self)."""
        seen: set[int] = set()
        stack: list[tuple[str, Module]] = [(prefix, self)]
        while stack:
            name, module = stack.pop()
            if id(module) in seen:
                continue
            seen.add(id(module))
            yield name, module
            children = [
                (f"{name}.{child_name}" if name else child_name, child)
                for child_name, child in module._modules.items()
                if child is not None
            ]
            stack.extend(reversed(children))

    def modules(self) -> Iterator[Module]:
        """This module and every descendant, each once."""
        for _, module in self.named_modules():
            yield module

    def named_children(self) -> Iterator[tuple[str, Module]]:
        """The direct submodules with their attribute names."""
        seen: set[int] = set()
        for name, module in self._modules.items():
            if module is not None and id(module) not in seen:
                seen.add(id(module))
                yield name, module

    def children(self) -> Iterator[Module]:
        """The direct submodules."""
        for _, module in self.named_children():
            yield module

    def _named_members(
        self, registry: str, prefix: str, recurse: bool
    ) -> Iterator[tuple[str, Tensor]]:
        seen: set[int] = set()
        modules = self.named_modules(prefix) if recurse else iter([(prefix, self)])
        for module_name, module in modules:
            entries: dict[str, Any] = getattr(module, registry)
            for name, value in entries.items():
                if value is None or id(value) in seen:
                    continue
                seen.add(id(value))
                yield (f"{module_name}.{name}" if module_name else name), value

    def named_parameters(
        self, prefix: str = "", recurse: bool = True
    ) -> Iterator[tuple[str, Parameter]]:
        """Every parameter with its dotted name, each shared parameter once.

        Example:
            >>> from minigrad.tensor import nn
            >>> [name for name, _ in nn.Sequential(nn.Linear(2, 3)).named_parameters()]
            ['0.weight', '0.bias']
        """
        for name, value in self._named_members("_parameters", prefix, recurse):
            assert isinstance(value, Parameter)
            yield name, value

    def parameters(self, recurse: bool = True) -> Iterator[Parameter]:
        """Every parameter, each shared parameter once, in registration order."""
        for _, param in self.named_parameters(recurse=recurse):
            yield param

    def named_buffers(self, prefix: str = "", recurse: bool = True) -> Iterator[tuple[str, Tensor]]:
        """Every buffer with its dotted name."""
        yield from self._named_members("_buffers", prefix, recurse)

    def buffers(self, recurse: bool = True) -> Iterator[Tensor]:
        """Every buffer."""
        for _, buffer in self.named_buffers(recurse=recurse):
            yield buffer

    def apply(self: _M, fn: Callable[[Module], object]) -> _M:
        """Call ``fn`` on every submodule (children first) and then on this module."""
        for child in self.children():
            child.apply(fn)
        fn(self)
        return self

    # ------------------------------------------------------------------ modes

    def train(self: _M, mode: bool = True) -> _M:
        """Set training mode (dropout active, batch norm uses batch statistics) recursively."""
        if not isinstance(mode, bool):
            raise TypeError(f"train: mode must be a bool, got {type(mode).__name__}")
        for module in self.modules():
            object.__setattr__(module, "training", mode)
        return self

    def eval(self: _M) -> _M:
        """Set evaluation mode recursively; the same as ``train(False)``."""
        return self.train(False)

    def requires_grad_(self: _M, requires_grad: bool = True) -> _M:
        """Set ``requires_grad`` on every parameter (e.g. to freeze a model)."""
        for param in self.parameters():
            param.requires_grad_(requires_grad)
        return self

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Reset every parameter's gradient: to None (default) or to zeros in place."""
        under_capture(Module.zero_grad, self, set_to_none)
        for param in self.parameters():
            if set_to_none or param.grad is None:
                param.grad = None
            else:
                param.grad.fill(0)

    def to(self: _M, dtype: npt.DTypeLike) -> _M:
        """Convert floating parameters and buffers to ``dtype`` in place; returns self.

        The Parameter objects stay the same, so an optimizer built before still
        updates them. Gradients are dropped.
        """
        wanted = np.dtype(dtype)
        if wanted.kind != "f":
            raise TypeError(f"to: dtype must be a floating type, got {wanted}")
        for param in self.parameters():
            param.data = param.data.astype(wanted)
            param.grad = None
            bump_version(param, f"{type(self).__name__}.to")
        for buffer in self.buffers():
            if buffer.dtype.kind == "f":
                buffer.data = buffer.data.astype(wanted)
                bump_version(buffer, f"{type(self).__name__}.to")
        return self

    def float(self: _M) -> _M:
        """Convert floating parameters and buffers to float32."""
        return self.to(np.float32)

    def double(self: _M) -> _M:
        """Convert floating parameters and buffers to float64 (for gradient checks)."""
        return self.to(np.float64)

    # ------------------------------------------------------------ state dicts

    def _state_tensors(self) -> OrderedDict[str, Tensor]:
        """The tensors behind ``state_dict()``: module by module, parameters then buffers."""
        state: OrderedDict[str, Tensor] = OrderedDict()
        for module_name, module in self.named_modules():
            prefix = f"{module_name}." if module_name else ""
            for name, param in module._parameters.items():
                if param is not None:
                    state[prefix + name] = param
            for name, buffer in module._buffers.items():
                if buffer is not None and name not in module._non_persistent_buffers:
                    state[prefix + name] = buffer
        return state

    def state_dict(self) -> OrderedDict[str, np.ndarray]:
        """Every parameter and persistent buffer as a copy of its array, by dotted name.

        The names are PyTorch's for the same architecture (``0.weight``,
        ``bn.running_mean``, ``bn.num_batches_tracked``) and the shapes are too.

        Example:
            >>> from minigrad.tensor import nn
            >>> {k: v.shape for k, v in nn.Linear(3, 2).state_dict().items()}
            {'weight': (2, 3), 'bias': (2,)}
        """
        return OrderedDict(
            (name, tensor.data.copy()) for name, tensor in self._state_tensors().items()
        )

    def load_state_dict(
        self, state_dict: Mapping[str, Any], strict: bool = True
    ) -> IncompatibleKeys:
        """Copy the arrays of ``state_dict`` into this module's parameters and buffers in place.

        A key whose shape differs always raises. With ``strict`` (the default)
        missing and unexpected keys raise too; every problem is listed by name
        in one error. Without ``strict`` they are returned instead.

        Returns:
            ``IncompatibleKeys(missing_keys, unexpected_keys)``.
        """
        if not isinstance(state_dict, Mapping):
            raise TypeError(
                f"load_state_dict: expected a mapping of names to arrays, "
                f"got {type(state_dict).__name__}"
            )
        own = self._state_tensors()
        missing = [name for name in own if name not in state_dict]
        unexpected = [name for name in state_dict if name not in own]
        problems: list[str] = []
        arrays: dict[str, np.ndarray] = {}
        for name, tensor in own.items():
            if name not in state_dict:
                continue
            value = state_dict[name]
            array = np.asarray(value.data if isinstance(value, Tensor) else value)
            if array.shape != tensor.shape:
                problems.append(
                    f"  {name}: shape {array.shape} in the state dict, {tensor.shape} in the model"
                )
            else:
                arrays[name] = array
        if strict:
            problems += [f"  missing key {name!r}" for name in missing]
            problems += [f"  unexpected key {name!r}" for name in unexpected]
        if problems:
            raise RuntimeError(
                f"error(s) in loading the state dict of {type(self).__name__}:\n"
                + "\n".join(problems)
            )
        for name, array in arrays.items():
            np.copyto(own[name].data, array, casting="unsafe")
            bump_version(own[name], f"{type(self).__name__}.load_state_dict")
        return IncompatibleKeys(missing, unexpected)

    # ------------------------------------------------------------------- repr

    def extra_repr(self) -> str:
        """The arguments shown inside this module's parentheses in its repr."""
        return ""

    def __repr__(self) -> str:
        lines = []
        extra = self.extra_repr()
        if extra:
            lines.extend(extra.split("\n"))
        for name, module in self._modules.items():
            body = repr(module).replace("\n", "\n  ")
            lines.append(f"({name}): {body}")
        main = type(self).__name__ + "("
        if not lines:
            return main + ")"
        if len(lines) == 1 and not self._modules:
            return main + lines[0] + ")"
        return main + "\n  " + "\n  ".join(lines) + "\n)"
