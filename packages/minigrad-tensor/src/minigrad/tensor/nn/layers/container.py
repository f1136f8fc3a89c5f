"""Containers: `Sequential` (a pipeline), `ModuleList` (a list), `ModuleDict` (modules by name).

Children are registered under their positions ``"0"``, ``"1"``, … so parameter
names are PyTorch's (``0.weight``, ``2.bias``).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, overload

from minigrad.tensor.nn.module import Module

__all__ = ["ModuleDict", "ModuleList", "Sequential"]


def _check_module(module: object, container: str, position: object) -> Module:
    if not isinstance(module, Module):
        raise TypeError(
            f"{container}: element {position} must be a Module, got {type(module).__name__}"
        )
    return module


def _index(index: int, size: int, container: str) -> int:
    if not -size <= index < size:
        raise IndexError(f"{container}: index {index} is out of range for {size} modules")
    return index % size


class Sequential(Module):
    """Modules applied in turn, each to the output of the one before.

    Accepts modules as arguments, or one ``OrderedDict`` of names to modules.

    Example:
        >>> import numpy as np
        >>> from minigrad.tensor import Tensor, nn
        >>> model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))
        >>> model(Tensor(np.zeros((3, 4), dtype=np.float32))).shape
        (3, 2)
        >>> list(model.state_dict())
        ['0.weight', '0.bias', '2.weight', '2.bias']
    """

    def __init__(self, *modules: Module | OrderedDict[str, Module]) -> None:
        super().__init__()
        named: Iterable[tuple[str, object]]
        if len(modules) == 1 and isinstance(modules[0], OrderedDict):
            named = modules[0].items()
        else:
            named = ((str(i), module) for i, module in enumerate(modules))
        for name, module in named:
            self.add_module(name, _check_module(module, "Sequential", name))

    def forward(self, input: Any) -> Any:
        """Feed ``input`` through every module in order."""
        for module in self._modules.values():
            if module is not None:
                input = module(input)
        return input

    def append(self, module: Module) -> Sequential:
        """Add ``module`` at the end; returns self."""
        self.add_module(str(len(self._modules)), _check_module(module, "Sequential", "appended"))
        return self

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self) -> Iterator[Module]:
        return (m for m in self._modules.values() if m is not None)

    @overload
    def __getitem__(self, index: int) -> Module: ...

    @overload
    def __getitem__(self, index: slice) -> Sequential: ...

    def __getitem__(self, index: int | slice) -> Module | Sequential:
        items = list(self._modules.items())
        if isinstance(index, slice):
            return Sequential(OrderedDict((k, m) for k, m in items[index] if m is not None))
        _name, module = items[_index(index, len(items), "Sequential")]
        assert module is not None
        return module


class ModuleList(Module):
    """A list of modules, registered so their parameters belong to the parent.

    Example:
        >>> from minigrad.tensor import nn
        >>> layers = nn.ModuleList([nn.Linear(2, 2) for _ in range(3)])
        >>> len(list(layers.parameters()))
        6
    """

    def __init__(self, modules: Iterable[Module] | None = None) -> None:
        super().__init__()
        if modules is not None:
            self.extend(modules)

    def append(self, module: Module) -> ModuleList:
        """Add ``module`` at the end; returns self."""
        self.add_module(str(len(self._modules)), _check_module(module, "ModuleList", "appended"))
        return self

    def extend(self, modules: Iterable[Module]) -> ModuleList:
        """Add every module of ``modules`` at the end; returns self."""
        for module in modules:
            self.append(module)
        return self

    def insert(self, index: int, module: Module) -> None:
        """Insert ``module`` before position ``index``."""
        items = list(self._modules.values())
        items.insert(index, _check_module(module, "ModuleList", index))
        self._modules.clear()
        for i, item in enumerate(items):
            self._modules[str(i)] = item

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self) -> Iterator[Module]:
        return (m for m in self._modules.values() if m is not None)

    def __getitem__(self, index: int) -> Module:
        module = self._modules[str(_index(index, len(self._modules), "ModuleList"))]
        assert module is not None
        return module

    def __setitem__(self, index: int, module: Module) -> None:
        position = _index(index, len(self._modules), "ModuleList")
        self._modules[str(position)] = _check_module(module, "ModuleList", index)

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        """A ModuleList is not called; iterate over it in the parent's forward."""
        raise NotImplementedError(
            "ModuleList has no forward(); call its modules in the parent's forward"
        )


class ModuleDict(Module):
    """Modules by name, registered so their parameters belong to the parent (as PyTorch).

    Keys keep their insertion order; parameter names are ``<key>.<name>``.

    Example:
        >>> from minigrad.tensor import nn
        >>> blocks = nn.ModuleDict({"wte": nn.Embedding(5, 2), "head": nn.Linear(2, 5)})
        >>> list(blocks.keys()), list(blocks.state_dict())
        (['wte', 'head'], ['wte.weight', 'head.weight', 'head.bias'])
    """

    def __init__(
        self, modules: Mapping[str, Module] | Iterable[tuple[str, Module]] | None = None
    ) -> None:
        super().__init__()
        if modules is not None:
            self.update(modules)

    def update(self, modules: Mapping[str, Module] | Iterable[tuple[str, Module]]) -> None:
        """Add (or replace) every ``key: module`` of a mapping or of ``(key, module)`` pairs."""
        pairs = modules.items() if isinstance(modules, Mapping) else modules
        for key, module in pairs:
            self[key] = module

    def __getitem__(self, key: str) -> Module:
        module = self._modules.get(key)
        if module is None:
            raise KeyError(f"ModuleDict: no module named {key!r}; it has {list(self._modules)}")
        return module

    def __setitem__(self, key: str, module: Module) -> None:
        if not isinstance(key, str):
            raise TypeError(f"ModuleDict: keys must be strings, got {type(key).__name__}")
        self.add_module(key, _check_module(module, "ModuleDict", repr(key)))

    def __delitem__(self, key: str) -> None:
        del self._modules[key]

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self) -> Iterator[str]:
        return iter(self._modules)

    def __contains__(self, key: object) -> bool:
        return key in self._modules

    def keys(self) -> Iterable[str]:
        """The names, in insertion order."""
        return self._modules.keys()

    def items(self) -> Iterable[tuple[str, Module]]:
        """``(name, module)`` pairs, in insertion order."""
        return [(k, m) for k, m in self._modules.items() if m is not None]

    def values(self) -> Iterable[Module]:
        """The modules, in insertion order."""
        return [m for m in self._modules.values() if m is not None]

    def pop(self, key: str) -> Module:
        """Remove the module ``key`` and return it."""
        module = self[key]
        del self._modules[key]
        return module

    def clear(self) -> None:
        """Remove every module."""
        self._modules.clear()

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        """A ModuleDict is not called; use its modules in the parent's forward."""
        raise NotImplementedError(
            "ModuleDict has no forward(); call its modules in the parent's forward"
        )
