"""Checkpoints forged with a valid checksum: `eval` and `train --resume` answer in one line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from minigrad.tensor import checkpoint
from minigrad.tensor.cli import main
from minigrad.tensor.run_checkpoint import CHECKPOINT_NAME

Forgery = Callable[[dict[str, Any]], None]


def _set(*keys: Any, to: Any) -> Forgery:
    def forge(state: dict[str, Any]) -> None:
        target = state
        for key in keys[:-1]:
            target = target[key]
        target[keys[-1]] = to

    return forge


def _drop(*keys: Any) -> Forgery:
    def forge(state: dict[str, Any]) -> None:
        target = state
        for key in keys[:-1]:
            target = target[key]
        del target[keys[-1]]

    return forge


def _rename_model(state: dict[str, Any]) -> None:
    state["modeL"] = state.pop("model")


FORGERIES: dict[str, Forgery] = {
    "model key renamed": _rename_model,
    "kind missing": _drop("kind"),
    "config not a dict": _set("config", to=5),
    "config key unknown": _set("config", "colour", to="red"),
    "config lr a string": _set("config", "lr", to="fast"),
    "config test_fraction out of range": _set("config", "test_fraction", to=7.0),
    "config split_seed negative": _set("config", "split_seed", to=-1),
    "config label_smoothing a list": _set("config", "label_smoothing", to=[1]),
    "weights a list": _set("model", to=[1, 2]),
    "weight a string": _set("model", "0.weight", to="w"),
    "weight of another shape": _set("model", "0.bias", to=np.zeros(3, np.float32)),
    "epoch a string": _set("epoch", to="2"),
    "epoch negative": _set("epoch", to=-1),
    "history too short": _set("history", "loss", to=[0.5]),
    "history of strings": _set("history", "loss", to=["a", "b"]),
    "history a list": _set("history", to=[]),
    "rng a string": _set("rng", to="pcg"),
    "rng of another generator": _set("rng", "bit_generator", to="MT19937"),
    "rng state not ints": _set("rng", "state", to={"state": "x", "inc": 1}),
    "loader a list": _set("loader", to=[0]),
    "loader seed negative": _set("loader", "seed", to=-4),
    "loader epoch elsewhere": _set("loader", "epoch", to=7),
    "optimizer lr forged": _set("optimizer", "param_groups", 0, "lr", to=0.9),
    "optimizer lr a string": _set("optimizer", "param_groups", 0, "lr", to="x"),
    "optimizer groups a dict": _set("optimizer", "param_groups", to={}),
    "optimizer step a string": _set("optimizer", "state", 0, "step", to="3"),
    "optimizer moment an int array": _set("optimizer", "state", 0, "exp_avg", to=np.zeros(2)),
    "optimizer state for no parameter": _set("optimizer", "state", 99, to={"step": 1}),
    "optimizer state key unknown": _set("optimizer", "state", 0, "velocity", to=np.zeros(1)),
    "optimizer state a list": _set("optimizer", "state", to=[1]),
}


@pytest.fixture(scope="module")
def genuine(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("genuine")
    args = ["train", "--quiet", "--batch-size", "64", "--epochs", "2"]
    assert main([*args, "--checkpoint-dir", str(folder)]) == 0
    state: dict[str, Any] = checkpoint.load(folder / CHECKPOINT_NAME)
    return state


def _forged(genuine: dict[str, Any], forgery: Forgery, folder: Path) -> Path:
    path = folder / "genuine.safetensors"
    checkpoint.save(genuine, path)
    state = checkpoint.load(path)
    forgery(state)
    folder.mkdir(exist_ok=True)
    target = folder / CHECKPOINT_NAME
    checkpoint.save(state, target)
    path.unlink()
    return target


def _assert_one_line_error(capsys: pytest.CaptureFixture[str], code: int) -> str:
    err = capsys.readouterr().err
    assert code == 1, err
    assert "Traceback" not in err
    assert err.count("\n") == 1, err
    assert "unexpected error" not in err, err
    return err


@pytest.mark.parametrize("name", sorted(FORGERIES))
def test_forged_checkpoint_gets_a_one_line_error_from_eval_and_resume(
    genuine: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    path = _forged(genuine, FORGERIES[name], tmp_path)
    code = main(["eval", "--checkpoint", str(path)])
    eval_error = capsys.readouterr().err
    assert "Traceback" not in eval_error
    assert eval_error.count("\n") <= 1, eval_error
    assert "unexpected error" not in eval_error, eval_error
    assert code in (0, 1)  # eval reads only the config and weights; others may be ignored
    code = main(
        ["train", "--quiet", "--checkpoint-dir", str(tmp_path), "--resume", "--epochs", "3"]
    )
    _assert_one_line_error(capsys, code)


def test_a_same_length_lr_edit_is_refused_by_resume(
    genuine: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / CHECKPOINT_NAME
    checkpoint.save(genuine, path)
    raw = path.read_bytes()
    assert raw.count(b'\\"lr\\",0.003') == 1  # the optimizer group's lr, inside the JSON
    path.write_bytes(raw.replace(b'\\"lr\\",0.003', b'\\"lr\\",0.903'))
    code = main(
        ["train", "--quiet", "--checkpoint-dir", str(tmp_path), "--resume", "--epochs", "3"]
    )
    assert "does not match its checksum" in _assert_one_line_error(capsys, code)
