"""The tensor engine's modules import downwards only: no cycle, and each layer uses the ones below.

The imports are read from the source with ``ast`` (no module is executed):
module-level imports count, imports under ``if TYPE_CHECKING:`` (annotations
only) and inside functions do not, since neither runs when a module is loaded.
"""

from __future__ import annotations

import ast
from pathlib import Path

import minigrad.tensor

PACKAGE = "minigrad.tensor"
ROOT = Path(minigrad.tensor.__file__).resolve().parent


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


MODULES = {_module_name(p): p for p in sorted(ROOT.rglob("*.py"))}


def _resolve(name: str) -> str | None:
    """The package module that an import of ``name`` loads (itself or its parent package)."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def _runtime_imports(node: ast.stmt) -> list[ast.Import | ast.ImportFrom]:
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return [node]
    if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
        return []
    if isinstance(node, (ast.If, ast.Try)):
        return [n for n in ast.walk(node) if isinstance(n, (ast.Import, ast.ImportFrom))]
    return []


def _imports_of(module: str) -> set[str]:
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for statement in ast.parse(path.read_text(encoding="utf-8")).body:
        for node in _runtime_imports(statement):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                base = node.module or ""
                if node.level:
                    kept = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                    base = ".".join(kept + ([node.module] if node.module else []))
                subs = [f"{base}.{alias.name}" for alias in node.names]
                # ``from pkg import sub`` loads pkg.sub; a plain name needs pkg itself.
                targets = subs + ([base] if any(s not in MODULES for s in subs) else [])
            for target in targets:
                resolved = _resolve(target) if target.startswith(PACKAGE) else None
                if resolved and resolved != module:
                    found.add(resolved)
    return found


IMPORTS = {module: _imports_of(module) for module in MODULES}


def _cycles() -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []
    for start in IMPORTS:
        if start in index:
            continue
        work = [(start, iter(sorted(IMPORTS[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(IMPORTS[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    components.append(sorted(component))
    return components


def _layer_violations(layer: str, allowed: tuple[str, ...]) -> list[str]:
    prefix = f"{PACKAGE}.{layer}"
    allowed_prefixes = tuple(f"{PACKAGE}.{a}" for a in allowed)
    return [
        f"{module} imports {target}"
        for module, targets in IMPORTS.items()
        if module == prefix or module.startswith(prefix + ".")
        for target in sorted(targets)
        if not (target == prefix or target.startswith(prefix + "."))
        and not any(target == a or target.startswith(a + ".") for a in allowed_prefixes)
    ]


def test_the_import_reader_sees_the_engine_modules() -> None:
    assert f"{PACKAGE}.tensor" in MODULES
    assert f"{PACKAGE}.autograd.record" in IMPORTS[f"{PACKAGE}.tensor"]


def test_the_tensor_package_has_no_import_cycle() -> None:
    assert _cycles() == [], "modules that import each other (directly or through others)"


def test_autograd_imports_nothing_above_it() -> None:
    assert _layer_violations("autograd", ()) == []


def test_the_tensor_class_imports_only_autograd() -> None:
    assert _layer_violations("tensor", ("autograd",)) == []


def test_the_erf_kernels_import_nothing_from_the_package() -> None:
    assert _layer_violations("_erf", ()) == []


def test_ops_import_only_the_tensor_class_and_autograd() -> None:
    # and the plain-NumPy erf kernels (_erf), which import nothing of the package
    assert _layer_violations("ops", ("autograd", "tensor", "_erf")) == []


def test_only_the_command_line_imports_compile() -> None:
    """``compile`` is the top layer: the engine below never needs it, only the training loops."""
    prefix = f"{PACKAGE}.compile"
    importers = {
        module
        for module, targets in IMPORTS.items()
        if not module.startswith(prefix) and any(t.startswith(prefix) for t in targets)
    }
    assert importers <= {f"{PACKAGE}.training", f"{PACKAGE}.lm_training", f"{PACKAGE}.cli"}
