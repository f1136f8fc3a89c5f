"""The checkpoint helpers both training commands share (minigrad.tensor.run_checkpoint)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from minigrad.tensor import checkpoint, nn
from minigrad.tensor.run_checkpoint import (
    CHECKPOINT_NAME,
    copy_arrays,
    load_run_checkpoint,
    load_weights,
    restoring,
    run_paths,
    setup_differences,
)


@dataclasses.dataclass(frozen=True)
class _Config:
    lr: float = 0.1
    steps: int = 10


def test_setup_differences_names_each_changed_field_but_the_ignored_one() -> None:
    assert setup_differences(_Config(lr=0.2, steps=5), _Config(), ignore="steps") == [
        "lr 0.2 (checkpoint: 0.1)"
    ]
    assert setup_differences(_Config(steps=3), _Config(), ignore="steps") == []


def test_a_checkpoint_of_another_kind_is_refused_naming_the_command(tmp_path: Path) -> None:
    path = tmp_path / "run.safetensors"
    checkpoint.save({"kind": "other", "config": {}}, path)
    with pytest.raises(checkpoint.CheckpointError, match="not one written by `minigrad x`"):
        load_run_checkpoint(
            path, kind="k", parts=("kind",), config_type=_Config, command="minigrad x"
        )


def test_a_saved_config_with_an_unknown_field_is_one_checkpoint_error(tmp_path: Path) -> None:
    path = tmp_path / "run.safetensors"
    checkpoint.save({"kind": "k", "config": {"lr": 0.1, "momentum": 0.9}}, path)
    with pytest.raises(checkpoint.CheckpointError, match="training config is invalid"):
        load_run_checkpoint(
            path, kind="k", parts=("kind", "config"), config_type=_Config, command="c"
        )


def test_a_checkpoint_lacking_a_part_names_it(tmp_path: Path) -> None:
    path = tmp_path / "run.safetensors"
    checkpoint.save({"kind": "k", "config": {}}, path)
    with pytest.raises(checkpoint.CheckpointError, match="lacks model"):
        load_run_checkpoint(
            path, kind="k", parts=("kind", "config", "model"), config_type=_Config, command="c"
        )


def test_weights_that_do_not_fit_give_one_line_naming_the_model(tmp_path: Path) -> None:
    model = nn.Linear(2, 3)
    wrong = nn.Linear(3, 3).state_dict()
    with pytest.raises(checkpoint.CheckpointError) as caught:
        load_weights(model, wrong, tmp_path / "x", "toy model")
    message = str(caught.value)
    assert "do not fit the toy model" in message
    assert "\n" not in message


def test_restoring_turns_a_restore_error_into_one_checkpoint_error() -> None:
    expected = "its optimizer state cannot be restored"
    with (
        pytest.raises(checkpoint.CheckpointError, match=expected),
        restoring(Path("f"), "optimizer"),
    ):
        raise KeyError("exp_avg\nmissing")


def test_copy_arrays_copies_every_nested_array() -> None:
    array = np.zeros(2)
    copied = copy_arrays({"a": [array, 1], "b": array})
    copied["a"][0][0] = 5.0
    copied["b"][1] = 7.0
    assert array.tolist() == [0.0, 0.0]
    assert copied["a"][1] == 1


def test_run_paths_name_the_folder_and_its_checkpoint_file(tmp_path: Path) -> None:
    folder, path = run_paths(tmp_path / "run", resume=False, overwrite=False)
    assert folder == tmp_path / "run"
    assert path == tmp_path / "run" / CHECKPOINT_NAME
    assert run_paths(None, resume=False, overwrite=False) == (None, None)


def test_run_paths_refuse_to_resume_without_a_folder() -> None:
    with pytest.raises(ValueError, match="resume needs a checkpoint folder"):
        run_paths(None, resume=True, overwrite=False)


def test_run_paths_refuse_a_fresh_run_over_a_checkpoint_saying_what_it_holds(
    tmp_path: Path,
) -> None:
    (tmp_path / CHECKPOINT_NAME).write_bytes(b"x")
    with pytest.raises(FileExistsError, match=r"already holds a checkpoint \(an old run\)"):
        run_paths(tmp_path, resume=False, overwrite=False, describe=lambda path: "an old run")
    assert run_paths(tmp_path, resume=False, overwrite=True)[1] == tmp_path / CHECKPOINT_NAME
    assert run_paths(tmp_path, resume=True, overwrite=False)[1] == tmp_path / CHECKPOINT_NAME
