"""A training run is determined by its config alone: in threads, and across a resume."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from minigrad.tensor import training
from minigrad.tensor.creation import default_generator, use_generator
from minigrad.tensor.run_checkpoint import CHECKPOINT_NAME


def _weights(result: training.TrainResult) -> dict[str, np.ndarray]:
    return {name: array.copy() for name, array in result.model.state_dict().items()}


def test_two_runs_in_two_threads_match_the_same_runs_one_after_the_other(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    configs = [training.TrainConfig(epochs=1, batch_size=128, seed=s) for s in (1, 2)]
    sequential = [_weights(training.train(c, progress=False, log=None)) for c in configs]

    # Both threads seed, then both build their models at the same moment: a
    # shared generator would hand each run draws meant for the other.
    barrier = threading.Barrier(2)
    build = training.build_model

    def build_together(*args: Any, **kwargs: Any) -> Any:
        barrier.wait(timeout=30)
        return build(*args, **kwargs)

    monkeypatch.setattr(training, "build_model", build_together)
    results: dict[int, dict[str, np.ndarray]] = {}

    def run(index: int) -> None:
        results[index] = _weights(training.train(configs[index], progress=False, log=None))

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    for index, expected in enumerate(sequential):
        for name, array in expected.items():
            np.testing.assert_array_equal(results[index][name], array, err_msg=name)


def test_a_run_leaves_the_process_wide_generator_alone() -> None:
    before = default_generator().bit_generator.state
    training.train(training.TrainConfig(epochs=1, batch_size=128), progress=False, log=None)
    assert default_generator().bit_generator.state == before


def test_use_generator_is_the_default_inside_the_block_only() -> None:
    outer = default_generator()
    inner = np.random.default_rng(5)
    with use_generator(inner) as active:
        assert default_generator() is inner is active
    assert default_generator() is outer


def test_use_generator_refuses_what_is_not_a_generator() -> None:
    with (
        pytest.raises(TypeError, match=r"expected a numpy\.random\.Generator, got int"),
        use_generator(5),  # type: ignore[arg-type]
    ):
        pass


def _interrupt_after(monkeypatch: pytest.MonkeyPatch, steps: int) -> None:
    """Raise KeyboardInterrupt (as Ctrl-C would) instead of optimizer step ``steps + 1``."""
    build = training.build_optimizer

    def build_then_count(config: training.TrainConfig, model: Any) -> Any:
        optimizer = build(config, model)
        step, count = optimizer.step, 0

        def step_or_interrupt() -> None:
            nonlocal count
            count += 1
            if count > steps:
                raise KeyboardInterrupt
            step()

        optimizer.step = step_or_interrupt  # type: ignore[method-assign]
        return optimizer

    monkeypatch.setattr(training, "build_optimizer", build_then_count)


def test_dropout_run_interrupted_and_resumed_ends_bit_identical(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Dropout draws a mask from the run's generator at every step, so the
    # resumed run matches only if the checkpoint restored the generator.
    config = training.TrainConfig(epochs=2, batch_size=128, dropout=0.5)
    straight = training.train(config, checkpoint_dir=tmp_path / "a", progress=False, log=None)
    with monkeypatch.context() as patch:
        _interrupt_after(patch, 12 + 5)  # 1438 digits in batches of 128: 12 steps an epoch
        with pytest.raises(training.TrainingInterrupted) as stop:
            training.train(config, checkpoint_dir=tmp_path / "b", progress=False, log=None)
    assert stop.value.epochs_completed == 1
    resumed = training.train(
        config, checkpoint_dir=tmp_path / "b", resume=True, progress=False, log=None
    )
    assert resumed.history == straight.history
    for name, array in _weights(straight).items():
        np.testing.assert_array_equal(_weights(resumed)[name], array, err_msg=name)


def test_dropout_changes_the_model_and_is_stored_in_the_config(tmp_path: Path) -> None:
    config = training.TrainConfig(epochs=1, batch_size=128, dropout=0.25)
    result = training.train(config, checkpoint_dir=tmp_path, progress=False, log=None)
    assert any(type(layer).__name__ == "Dropout" for layer in result.model.modules())
    saved, _ = training.load_checkpoint(tmp_path / CHECKPOINT_NAME)
    assert saved.dropout == 0.25
