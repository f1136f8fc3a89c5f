"""``minigrad train --data names``, ``minigrad sample`` and ``minigrad train --data mnist``."""

from __future__ import annotations

import gzip
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from minigrad.tensor import checkpoint, lm_training, manual_seed, optim
from minigrad.tensor.cli import main
from minigrad.tensor.compile import CompiledFunction
from minigrad.tensor.data import CharVocab
from minigrad.tensor.lm_training import LMConfig, name_rows
from minigrad.tensor.models.gpt import GPT, GPTConfig

STEPS = ("--steps", "12", "--batch-size", "8")


def _val_line(output: str) -> float:
    last = output.strip().splitlines()[-1]
    assert last.startswith("val loss: "), last
    return float(last.removeprefix("val loss: "))


def test_train_names_ends_with_the_val_loss_after_the_bigram_baseline(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["train", "--data", "names", *STEPS, "-q"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[-2].startswith("bigram val loss: ")
    assert 0 < _val_line(lines[-1]) < 10


def test_names_resume_ends_where_an_uninterrupted_run_ends(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["train", "--data", "names", "--batch-size", "8", "-q"]
    assert main([*args, "--steps", "12", "--checkpoint-dir", str(tmp_path / "whole")]) == 0
    assert main([*args, "--steps", "6", "--checkpoint-dir", str(tmp_path / "parts")]) == 0
    assert (
        main([*args, "--steps", "12", "--checkpoint-dir", str(tmp_path / "parts"), "--resume"]) == 0
    )
    whole = checkpoint.load(tmp_path / "whole" / "last.safetensors")
    parts = checkpoint.load(tmp_path / "parts" / "last.safetensors")
    assert whole["step"] == parts["step"] == 12
    for name, value in whole["model"].items():
        np.testing.assert_array_equal(value, parts["model"][name], err_msg=name)
    capsys.readouterr()


def _arrays(value: object) -> dict[str, np.ndarray]:
    """Every array in a checkpoint part, by its path of keys."""
    if isinstance(value, np.ndarray):
        return {"": value}
    found = {}
    if isinstance(value, dict):
        for key, item in value.items():
            found |= {f"{key}/{path}": array for path, array in _arrays(item).items()}
    if isinstance(value, list):
        for index, item in enumerate(value):
            found |= {f"{index}/{path}": array for path, array in _arrays(item).items()}
    return found


def test_names_compiled_and_eager_runs_write_identical_checkpoints(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["train", "--data", "names", *STEPS, "-q"]
    assert main([*args, "--checkpoint-dir", str(tmp_path / "compiled")]) == 0
    assert main([*args, "--checkpoint-dir", str(tmp_path / "eager"), "--eager"]) == 0
    outputs = capsys.readouterr().out.splitlines()
    compiled = checkpoint.load(tmp_path / "compiled" / "last.safetensors")
    eager = checkpoint.load(tmp_path / "eager" / "last.safetensors")
    assert compiled["history"] == eager["history"]
    for part in ("model", "optimizer"):
        arrays, expected = _arrays(compiled[part]), _arrays(eager[part])
        assert sorted(arrays) == sorted(expected)
        for name, value in arrays.items():
            np.testing.assert_array_equal(value, expected[name], err_msg=f"{part}: {name}")
    assert outputs[: len(outputs) // 2] == outputs[len(outputs) // 2 :]


def test_names_compiles_its_step_once_per_batch_width_unless_eager(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    made: list[CompiledFunction[..., object]] = []

    def recording_compile(
        function: Callable[..., object], **options: int
    ) -> CompiledFunction[..., object]:
        made.append(CompiledFunction(function, **options))
        return made[-1]

    monkeypatch.setattr(lm_training, "compile", recording_compile)
    assert main(["train", "--data", "names", *STEPS, "-q", "--eager"]) == 0
    assert made == []
    assert main(["train", "--data", "names", *STEPS, "-q"]) == 0
    (step,) = made
    # Widths are multiples of 4 up to the block: every width seen is recorded once and kept.
    assert 1 <= len(step.recordings) == len(step.plans) <= LMConfig().block_size // 4
    capsys.readouterr()


def test_sample_prints_num_names_the_same_for_the_same_seed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "run"
    assert main(["train", "--data", "names", *STEPS, "--checkpoint-dir", str(folder), "-q"]) == 0
    capsys.readouterr()
    path = str(folder / "last.safetensors")
    assert main(["sample", "--checkpoint", path, "--num", "7", "--seed", "3"]) == 0
    first = capsys.readouterr().out.splitlines()
    assert (
        main(["sample", "--checkpoint", path, "--num", "7", "--seed", "3", "--temperature", "1"])
        == 0
    )
    assert capsys.readouterr().out.splitlines() == first
    assert len(first) == 7
    assert all(name == "" or name.isalpha() for name in first)
    assert main(["eval", "--checkpoint", path]) == 0
    assert capsys.readouterr().out.startswith("val loss: ")


def test_sample_without_a_checkpoint_is_a_one_line_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["sample", "--checkpoint", str(tmp_path / "none.safetensors")]) == 1
    err = capsys.readouterr().err.strip()
    assert "no checkpoint file" in err
    assert len(err.splitlines()) == 1


def test_sample_refuses_a_digits_checkpoint(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "digits"
    assert main(["train", "--epochs", "1", "--checkpoint-dir", str(folder), "-q"]) == 0
    assert main(["sample", "--checkpoint", str(folder / "last.safetensors")]) == 1
    assert "not one written by `minigrad train --data names`" in capsys.readouterr().err


def test_names_refuses_options_of_the_image_models(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["train", "--data", "names", "--epochs", "2"]) == 2
    assert "--data names does not take --epochs" in capsys.readouterr().err


def test_rows_predict_each_character_and_the_end_from_the_names_start() -> None:
    x, y = name_rows(["abc", "b"], CharVocab("abc"), 5)
    assert x.tolist() == [[0, 1, 2, 3, 0], [0, 2, 0, 0, 0]]
    assert y.tolist() == [[1, 2, 3, 0, -1], [2, 0, -1, -1, -1]]


def test_train_step_is_one_eager_training_step_returning_the_loss_as_a_number() -> None:
    x, y = name_rows(["abc", "b"], CharVocab("abc"), 5)
    runs = []
    for _ in range(2):
        manual_seed(0)
        model = GPT(GPTConfig(vocab_size=4, block_size=5, n_layer=1, n_head=1, n_embd=8))
        runs.append((model, optim.AdamW(model.parameters(), lr=0.1)))
    (by_hand, by_hand_optimizer), (stepped, optimizer) = runs
    loss = lm_training.train_step(by_hand, by_hand_optimizer, x, y)
    expected = lm_training.training_step(stepped, optimizer)(x, y)
    assert isinstance(loss, float)
    assert loss == expected.item()
    for name, value in by_hand.state_dict().items():
        np.testing.assert_array_equal(value, stepped.state_dict()[name], err_msg=name)
    manual_seed(0)
    start = GPT(by_hand.config).state_dict()
    assert not np.array_equal(by_hand.state_dict()["lm_head.weight"], start["lm_head.weight"])


def test_the_learning_rate_warms_up_then_decays_to_a_tenth() -> None:
    config = LMConfig(steps=1000, lr=0.01)
    assert config.learning_rate(0) == pytest.approx(1e-4)
    assert config.learning_rate(99) == pytest.approx(0.01)
    assert config.learning_rate(999) == pytest.approx(0.001, rel=1e-3)


# ------------------------------------------------------------------- MNIST files


def _idx(array: np.ndarray) -> bytes:
    code = {np.uint8: 0x08}[array.dtype.type]
    header = bytes([0, 0, code, array.ndim]) + np.array(array.shape, dtype=">u4").tobytes()
    return header + array.tobytes()


def _write_mnist(folder: Path, gz: bool) -> None:
    rng = np.random.default_rng(0)
    for prefix, n in (("train", 40), ("t10k", 20)):
        labels = rng.integers(0, 10, size=n, dtype=np.uint8)
        images = rng.integers(0, 60, size=(n, 28, 28), dtype=np.uint8)
        images[np.arange(n), labels * 2, :] = 255  # a learnable stripe per class
        for kind, idx, array in (("images", "idx3", images), ("labels", "idx1", labels)):
            name = f"{prefix}-{kind}-{idx}-ubyte"
            payload = _idx(array)
            if gz:
                (folder / f"{name}.gz").write_bytes(gzip.compress(payload))
            else:
                (folder / name).write_bytes(payload)


@pytest.mark.parametrize("gz", [False, True], ids=["raw", "gzipped"])
def test_train_on_mnist_files_reports_a_test_accuracy(
    tmp_path: Path, gz: bool, capsys: pytest.CaptureFixture[str]
) -> None:
    _write_mnist(tmp_path, gz)
    args = ["train", "--data", "mnist", "--data-dir", str(tmp_path), "--epochs", "2", "-q"]
    assert main([*args, "--checkpoint-dir", str(tmp_path / "run")]) == 0
    assert capsys.readouterr().out.startswith("test accuracy: ")
    assert main(["eval", "--checkpoint", str(tmp_path / "run" / "last.safetensors")]) == 0
    assert "/20 digits" in capsys.readouterr().out


def test_mnist_without_its_files_names_the_missing_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["train", "--data", "mnist", "--data-dir", str(tmp_path)]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert "train-images-idx3-ubyte" in err


def test_mnist_needs_a_data_dir(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["train", "--data", "mnist"]) == 2
    assert "--data mnist needs --data-dir" in capsys.readouterr().err
