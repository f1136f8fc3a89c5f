"""Promises the repository makes to a new user: the README's commands and CI agree."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _readme_commands() -> list[str]:
    """The shell lines of the first fenced block of the README, in order."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("```", 2)[1]
    lines = block.splitlines()[1:]  # drop the info string (``bash``)
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def test_readme_opens_with_exactly_two_commands() -> None:
    assert len(_readme_commands()) == 2


def test_ci_runs_the_readme_test_command_as_written() -> None:
    test_command = _readme_commands()[1]
    ci_script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    ci_lines = [line.strip() for line in ci_script.splitlines()]
    assert test_command in ci_lines


def test_minigrad_is_a_namespace_in_both_distributions() -> None:
    for package in ("minigrad-scalar", "minigrad-tensor"):
        src = ROOT / "packages" / package / "src" / "minigrad"
        assert src.is_dir()
        assert not (src / "__init__.py").exists(), f"{package} must not ship minigrad/__init__.py"
        sub = next(p for p in src.iterdir() if p.is_dir() and not p.name.startswith("_"))
        assert (sub / "py.typed").exists()
