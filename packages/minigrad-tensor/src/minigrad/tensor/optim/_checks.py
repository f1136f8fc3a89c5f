"""Hyperparameter checks shared by the optimizers; errors name the value given."""

from __future__ import annotations

from typing import Any

__all__ = ["check_betas", "check_non_negative"]


def check_non_negative(group: dict[str, Any], names: tuple[str, ...], op: str) -> None:
    """Raise unless each of ``names`` in ``group`` is a number >= 0."""
    for name in names:
        value = group[name]
        if not isinstance(value, (int, float)) or isinstance(value, bool) or value < 0:
            raise ValueError(f"{op}: {name} must be a number >= 0, got {value!r}")


def check_betas(group: dict[str, Any], op: str) -> None:
    """Raise unless ``group["betas"]`` is a pair of numbers in [0, 1)."""
    betas = group["betas"]
    if (
        not isinstance(betas, (tuple, list))
        or len(betas) != 2
        or not all(isinstance(b, (int, float)) and 0.0 <= b < 1.0 for b in betas)
    ):
        raise ValueError(f"{op}: betas must be a pair of numbers in [0, 1), got {betas!r}")
