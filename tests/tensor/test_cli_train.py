"""`minigrad train` end to end at a small size: output, determinism, checkpoints, resume, Ctrl-C."""

from __future__ import annotations

import contextlib
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from minigrad.tensor import checkpoint, training
from minigrad.tensor.cli import main
from minigrad.tensor.run_checkpoint import CHECKPOINT_NAME

_FAST = ["--quiet", "--batch-size", "64"]


def _train(tmp_path: Path, name: str, *extra: str) -> dict[str, Any]:
    folder = tmp_path / name
    assert main(["train", *_FAST, "--checkpoint-dir", str(folder), *extra]) == 0
    state: dict[str, Any] = checkpoint.load(folder / CHECKPOINT_NAME)
    return state


def _assert_same_run(first: dict[str, Any], second: dict[str, Any]) -> None:
    for key, array in first["model"].items():
        np.testing.assert_array_equal(second["model"][key], array, err_msg=key)
    for index, entries in first["optimizer"]["state"].items():
        for name, value in entries.items():
            np.testing.assert_array_equal(second["optimizer"]["state"][index][name], value)
    assert second["history"] == first["history"]
    assert second["epoch"] == first["epoch"]


def test_train_prints_the_test_accuracy(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["train", *_FAST, "--epochs", "2"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("test accuracy: ")
    assert out.rstrip().endswith("after 2 epochs")
    accuracy = float(out.split()[2].rstrip("%"))
    assert 50.0 < accuracy <= 100.0


def test_train_logs_one_line_per_epoch_unless_quiet(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["train", "--batch-size", "64", "--epochs", "2"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("epoch 1/2: loss ")
    assert lines[1].startswith("epoch 2/2: loss ")
    assert lines[-1].startswith("test accuracy: ")


def test_same_seed_gives_identical_weights(tmp_path: Path) -> None:
    first = _train(tmp_path, "a", "--epochs", "2", "--seed", "3")
    second = _train(tmp_path, "b", "--epochs", "2", "--seed", "3")
    _assert_same_run(first, second)


@pytest.mark.parametrize("model", ["mlp", "cnn"])
def test_compiled_steps_train_bit_for_bit_as_eager_ones(tmp_path: Path, model: str) -> None:
    options = ("--epochs", "1", "--model", model, "--dropout", "0.2", "--optimizer", "sgd")
    compiled = _train(tmp_path, "compiled", *options)
    eager = _train(tmp_path, "eager", *options, "--eager")
    _assert_same_run(compiled, eager)
    assert compiled["rng"] == eager["rng"]


def test_train_help_says_steps_are_compiled_unless_eager(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with contextlib.suppress(SystemExit):
        main(["train", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    assert (
        "--eager run every training step eagerly (digits, MNIST and names alike); by default "
        "each step is compiled" in help_text
    )


def test_different_seeds_give_different_weights(tmp_path: Path) -> None:
    first = _train(tmp_path, "a", "--epochs", "1", "--seed", "1")
    second = _train(tmp_path, "b", "--epochs", "1", "--seed", "2")
    assert not np.array_equal(first["model"]["0.weight"], second["model"]["0.weight"])


def test_checkpoint_holds_model_optimizer_loader_rng_and_history(tmp_path: Path) -> None:
    state = _train(tmp_path, "a", "--epochs", "2")
    assert state["epoch"] == 2
    assert state["model"]["0.weight"].shape == (128, 64)
    assert set(state["optimizer"]["state"]) == {0, 1, 2, 3}
    assert state["loader"]["epoch"] == 2
    assert state["rng"]["bit_generator"] == "PCG64"
    assert len(state["history"]["test_accuracy"]) == 2
    assert state["config"]["model"] == "mlp"


@pytest.mark.parametrize(("model", "first", "total"), [("mlp", "2", "4"), ("cnn", "1", "2")])
def test_resume_ends_with_the_weights_of_an_uninterrupted_run(
    tmp_path: Path, model: str, first: str, total: str
) -> None:
    straight = _train(tmp_path, "straight", "--model", model, "--epochs", total)
    _train(tmp_path, "resumed", "--model", model, "--epochs", first)
    resumed = _train(tmp_path, "resumed", "--resume", "--epochs", total)
    _assert_same_run(straight, resumed)


def test_resume_with_sgd_matches_too(tmp_path: Path) -> None:
    straight = _train(tmp_path, "straight", "--optimizer", "sgd", "--epochs", "3")
    _train(tmp_path, "resumed", "--optimizer", "sgd", "--epochs", "1")
    resumed = _train(tmp_path, "resumed", "--resume", "--epochs", "3")
    _assert_same_run(straight, resumed)


def test_resume_that_is_already_complete_trains_no_further(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _train(tmp_path, "a", "--epochs", "2")
    capsys.readouterr()
    assert (
        main(["train", "--resume", "--checkpoint-dir", str(tmp_path / "a"), "--epochs", "2"]) == 0
    )
    after = checkpoint.load(tmp_path / "a" / CHECKPOINT_NAME)
    _assert_same_run(before, after)
    out = capsys.readouterr().out
    assert "already holds 2 epochs; nothing left to train" in out
    assert "after 2 epochs" in out


def test_resume_without_epochs_continues_to_the_checkpoints_target(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    straight = _train(tmp_path, "straight", "--epochs", "3")
    with monkeypatch.context() as patch:
        _interrupt_at_step(patch, 23 + 5)
        folder = tmp_path / "run"
        assert main(["train", *_FAST, "--epochs", "3", "--checkpoint-dir", str(folder)]) == 130
    resumed = _train(tmp_path, "run", "--resume")
    _assert_same_run(straight, resumed)


def _interrupt_at_step(monkeypatch: pytest.MonkeyPatch, step: int) -> None:
    """Make the optimizer raise KeyboardInterrupt (as Ctrl-C would) at its ``step``-th step."""
    original = training.build_optimizer

    def build(config: training.TrainConfig, model: Any) -> Any:
        optimizer = original(config, model)
        real_step = optimizer.step
        count = 0

        def step_or_interrupt() -> None:
            nonlocal count
            count += 1
            if count == step:
                raise KeyboardInterrupt
            real_step()

        optimizer.step = step_or_interrupt  # type: ignore[method-assign]
        return optimizer

    monkeypatch.setattr(training, "build_optimizer", build)


def test_ctrl_c_saves_the_last_complete_epoch_and_exits_130(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # 1438 training digits in batches of 64: 23 steps per epoch; stop inside epoch 3.
    _interrupt_at_step(monkeypatch, 2 * 23 + 5)
    folder = tmp_path / "run"
    code = main(["train", *_FAST, "--epochs", "4", "--checkpoint-dir", str(folder)])
    assert code == 130
    assert "interrupted after 2 complete epoch(s)" in capsys.readouterr().err
    assert checkpoint.load(folder / CHECKPOINT_NAME)["epoch"] == 2


def test_resume_after_ctrl_c_matches_an_uninterrupted_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    straight = _train(tmp_path, "straight", "--epochs", "4")
    with monkeypatch.context() as patch:
        _interrupt_at_step(patch, 2 * 23 + 5)
        folder = tmp_path / "run"
        assert main(["train", *_FAST, "--epochs", "4", "--checkpoint-dir", str(folder)]) == 130
    resumed = _train(tmp_path, "run", "--resume", "--epochs", "4")
    _assert_same_run(straight, resumed)


def test_ctrl_c_during_a_save_still_saves_that_epoch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = checkpoint._write_all
    calls = 0

    def write_or_interrupt(file: Any, payload: bytes) -> None:
        nonlocal calls
        calls += 1
        if calls == 2:
            file.write(payload[:100])
            raise KeyboardInterrupt
        original(file, payload)

    monkeypatch.setattr(checkpoint, "_write_all", write_or_interrupt)
    folder = tmp_path / "run"
    assert main(["train", *_FAST, "--epochs", "4", "--checkpoint-dir", str(folder)]) == 130
    assert checkpoint.load(folder / CHECKPOINT_NAME)["epoch"] == 2
    assert [p.name for p in folder.iterdir()] == [CHECKPOINT_NAME]


def test_ctrl_c_without_a_checkpoint_folder_says_nothing_was_saved(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _interrupt_at_step(monkeypatch, 3)
    assert main(["train", *_FAST, "--epochs", "2"]) == 130
    assert "nothing saved" in capsys.readouterr().err


def test_ctrl_c_without_a_checkpoint_folder_counts_the_epochs_trained(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _interrupt_at_step(monkeypatch, 2 * 23 + 5)
    assert main(["train", *_FAST, "--epochs", "4"]) == 130
    assert "interrupted after 2 complete epoch(s) (nothing saved" in capsys.readouterr().err


def test_python_dash_m_runs_the_command(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "minigrad.tensor", "train", "--epochs", "1", "--quiet"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("test accuracy: ")
    assert "Traceback" not in result.stderr


def test_ctrl_c_before_the_first_save_does_not_claim_a_save(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _interrupt_at_step(monkeypatch, 3)
    folder = tmp_path / "run"
    assert main(["train", *_FAST, "--epochs", "2", "--checkpoint-dir", str(folder)]) == 130
    err = capsys.readouterr().err
    assert "nothing saved: interrupted before the first epoch ended" in err
    assert "--resume" not in err
    assert not (folder / CHECKPOINT_NAME).exists()


def test_fresh_run_refuses_a_folder_holding_a_checkpoint_and_says_what_it_holds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _train(tmp_path, "run", "--epochs", "1")
    capsys.readouterr()
    folder = str(tmp_path / "run")
    assert main(["train", *_FAST, "--model", "cnn", "--checkpoint-dir", folder]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    assert "already holds a checkpoint (model mlp, optimizer adam, seed 0, 1 of 1 epochs)" in err
    assert "--resume" in err
    assert "--overwrite" in err
    _assert_same_run(before, checkpoint.load(tmp_path / "run" / CHECKPOINT_NAME))


def test_overwrite_starts_afresh_over_an_existing_checkpoint(tmp_path: Path) -> None:
    _train(tmp_path, "run", "--epochs", "2")
    state = _train(tmp_path, "run", "--epochs", "1", "--model", "cnn", "--overwrite")
    assert state["config"]["model"] == "cnn"
    assert state["epoch"] == 1


def test_ctrl_c_before_overwriting_names_the_earlier_run_left_in_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _train(tmp_path, "run", "--epochs", "2")
    capsys.readouterr()
    _interrupt_at_step(monkeypatch, 3)
    folder = str(tmp_path / "run")
    args = ["train", *_FAST, "--model", "cnn", "--overwrite", "--checkpoint-dir", folder]
    assert main(args) == 130
    err = capsys.readouterr().err
    assert "nothing saved" in err
    assert "still holds an earlier run: model mlp, optimizer adam, seed 0, 2 of 2 epochs" in err


def test_resume_refuses_a_checkpoint_of_another_configuration(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _train(tmp_path, "run", "--epochs", "1")
    capsys.readouterr()
    folder = str(tmp_path / "run")
    assert main(["train", *_FAST, "--model", "cnn", "--resume", "--checkpoint-dir", folder]) == 1
    assert "model 'cnn' (checkpoint: 'mlp')" in capsys.readouterr().err


def test_resume_and_overwrite_together_are_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = str(tmp_path)
    assert main(["train", "--resume", "--overwrite", "--checkpoint-dir", folder]) == 2
    assert "exclude each other" in capsys.readouterr().err
