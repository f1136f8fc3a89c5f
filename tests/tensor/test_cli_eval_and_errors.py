"""`minigrad eval`, `--plot`, and one-line errors for bad arguments and files."""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import numpy as np
import pytest
import safetensors.numpy

from minigrad.tensor import checkpoint, cli, training
from minigrad.tensor.cli import main
from minigrad.tensor.run_checkpoint import CHECKPOINT_NAME


def _checkpoint(tmp_path: Path, *extra: str) -> Path:
    folder = tmp_path / "run"
    args = ["train", "--quiet", "--batch-size", "64", "--epochs", "2"]
    assert main([*args, "--checkpoint-dir", str(folder), *extra]) == 0
    return folder / CHECKPOINT_NAME


def _one_line_error(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert err.count("\n") == 1, err
    return err


def test_eval_reports_the_accuracy_train_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _checkpoint(tmp_path)
    trained = capsys.readouterr().out.split()[2]
    assert main(["eval", "--checkpoint", str(path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"test accuracy: {trained} (")
    assert "/359 digits), model mlp" in out


def test_eval_builds_the_checkpoints_architecture(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _checkpoint(tmp_path, "--model", "cnn")
    capsys.readouterr()
    assert main(["eval", "--checkpoint", str(path)]) == 0
    assert "model cnn" in capsys.readouterr().out


def test_plot_writes_a_png(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("matplotlib")
    target = tmp_path / "curves.png"
    assert main(["train", "--batch-size", "64", "--epochs", "2", "--plot", str(target)]) == 0
    assert target.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert f"curves saved to {target}" in capsys.readouterr().out


def test_plot_without_matplotlib_says_how_to_install_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    assert main(["train", "--epochs", "1", "--plot", str(tmp_path / "c.png")]) == 1
    assert "pip install minigrad-tensor[plot]" in _one_line_error(capsys)
    assert not (tmp_path / "c.png").exists()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        ([], "the following arguments are required"),
        (["fit"], "invalid choice: 'fit'"),
        (["train", "--epochs", "0"], "--epochs: expected a positive integer, got '0'"),
        (["train", "--epochs", "two"], "--epochs: expected a positive integer, got 'two'"),
        (["train", "--batch-size", "-4"], "--batch-size: expected a positive integer"),
        (["train", "--lr", "-0.1"], "--lr: expected a positive number, got '-0.1'"),
        (["train", "--lr", "nan"], "--lr: expected a positive number, got 'nan'"),
        (["train", "--seed", "-1"], "--seed: expected an integer >= 0"),
        (["train", "--model", "rnn"], "--model: invalid choice: 'rnn'"),
        (["train", "--optimizer", "lbfgs"], "--optimizer: invalid choice: 'lbfgs'"),
        (["train", "--resume"], "--resume needs --checkpoint-dir"),
        (["train", "--bogus"], "unrecognized arguments: --bogus"),
        (["train", "--plot", "/no/such/folder/c.png"], "--plot: no folder /no/such/folder"),
        (["eval"], "the following arguments are required: --checkpoint"),
        (["train", "--plot", ""], "--plot: expected a path, got ''"),
        (["train", "--plot", "/"], "--plot: / is a folder, expected a file"),
        (["train", "--checkpoint-dir", ""], "--checkpoint-dir: expected a path, got ''"),
        (["eval", "--checkpoint", ""], "--checkpoint: expected a path, got ''"),
        (["train", "--dropout", "1"], "--dropout: expected a probability in [0, 1), got '1'"),
    ],
)
def test_bad_arguments_get_a_one_line_usage_error(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    assert message in _one_line_error(capsys)


def test_help_exits_zero(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["train", "--help"]) == 0
    assert "--checkpoint-dir" in capsys.readouterr().out


def test_eval_of_a_missing_file_is_a_one_line_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["eval", "--checkpoint", str(tmp_path / "nope.safetensors")]) == 1
    assert "no checkpoint file at" in _one_line_error(capsys)


def test_eval_of_a_truncated_file_is_a_one_line_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _checkpoint(tmp_path)
    path.write_bytes(path.read_bytes()[:-100])
    capsys.readouterr()
    assert main(["eval", "--checkpoint", str(path)]) == 1
    assert "truncated: its header declares" in _one_line_error(capsys)


def test_eval_of_a_foreign_safetensors_file_is_a_one_line_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "model.safetensors"
    safetensors.numpy.save_file({"weight": np.zeros(2)}, str(path))
    assert main(["eval", "--checkpoint", str(path)]) == 1
    assert "not a minigrad checkpoint" in _one_line_error(capsys)


def test_resume_from_an_empty_folder_is_a_one_line_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["train", "--resume", "--checkpoint-dir", str(tmp_path)]) == 1
    assert "no checkpoint to resume from" in _one_line_error(capsys)


def test_resume_with_a_different_model_is_a_one_line_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _checkpoint(tmp_path)
    capsys.readouterr()
    argv = ["train", "--resume", "--checkpoint-dir", str(path.parent), "--model", "cnn"]
    assert main(argv) == 1
    assert "model 'cnn' (checkpoint: 'mlp')" in _one_line_error(capsys)


def test_eval_of_weights_that_do_not_fit_the_model_is_a_one_line_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _checkpoint(tmp_path)
    state = checkpoint.load(path)
    state["model"]["0.weight"] = np.zeros((128, 32), np.float32)
    checkpoint.save(state, path)
    capsys.readouterr()
    assert main(["eval", "--checkpoint", str(path)]) == 1
    err = _one_line_error(capsys)
    assert "do not fit the mlp model" in err
    assert "(128, 32)" in err


def test_a_plot_that_fails_after_training_still_prints_the_accuracy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("matplotlib")

    def fail(history: object, path: Path) -> None:
        raise PermissionError(f"[Errno 13] Permission denied: '{path}'")

    monkeypatch.setattr(cli, "_plot", fail)
    target = tmp_path / "c.png"
    assert main(["train", "--quiet", "--epochs", "1", "--plot", str(target)]) == 1
    captured = capsys.readouterr()
    assert captured.out.startswith("test accuracy: ")
    assert "could not save the curves: [Errno 13] Permission denied" in captured.err
    assert "Traceback" not in captured.err


def test_a_diverging_run_stops_with_one_line_and_no_numpy_warnings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "run"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        code = main(["train", "--quiet", "--lr", "1e30", "--checkpoint-dir", str(folder)])
    assert code == 1
    err = _one_line_error(capsys)
    assert "(not a finite number) at epoch 1, step" in err
    assert "learning rate 1e+30 is probably too high" in err
    assert [w for w in caught if issubclass(w.category, RuntimeWarning)] == []
    assert not (folder / CHECKPOINT_NAME).exists()


def test_resume_accepts_the_default_lr_given_explicitly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _checkpoint(tmp_path)
    capsys.readouterr()
    folder = str(path.parent)
    args = ["train", "--quiet", "--resume", "--checkpoint-dir", folder, "--epochs", "3"]
    assert main([*args, "--lr", str(training.DEFAULT_LR["adam"])]) == 0
    assert checkpoint.load(path)["epoch"] == 3


def test_resume_still_refuses_another_lr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _checkpoint(tmp_path)
    capsys.readouterr()
    args = ["train", "--resume", "--checkpoint-dir", str(path.parent), "--lr", "0.01"]
    assert main(args) == 1
    assert "lr 0.01 (checkpoint: 0.003)" in _one_line_error(capsys)


def test_the_module_docstring_states_the_default_epochs() -> None:
    assert cli.__doc__ is not None
    assert f"MLP, {training.TrainConfig().epochs} epochs" in cli.__doc__
