"""The two-moons demo: it learns, prints its progress, and refuses bad arguments."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from minigrad.scalar.demo import main


def _final_accuracy(output: str) -> int:
    match = re.search(r"final accuracy (\d+)% on (\d+) points", output)
    assert match, output
    return int(match.group(1))


def test_demo_reaches_at_least_95_percent_on_a_small_run(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["--points", "40", "--steps", "40", "--seed", "0", "--quiet"]) == 0
    assert _final_accuracy(capsys.readouterr().out) >= 95


def test_demo_prints_one_progress_line_per_step(capsys: pytest.CaptureFixture[str]) -> None:
    main(["--points", "10", "--steps", "3"])
    lines = capsys.readouterr().out.splitlines()
    steps = [line for line in lines if line.startswith("step ")]
    assert len(steps) == 3
    assert re.fullmatch(r"step 3/3  loss \d+\.\d{4}  accuracy \d+%", steps[-1])


def test_demo_draws_the_decision_boundary_with_the_training_points(
    capsys: pytest.CaptureFixture[str],
) -> None:
    main(["--points", "10", "--steps", "2"])
    lines = capsys.readouterr().out.splitlines()
    picture = lines[-20:]
    assert all(len(row) == 40 and set(row) <= set(".:ox") for row in picture)
    drawn = "".join(picture)
    assert "o" in drawn
    assert "x" in drawn


def test_demo_quiet_prints_only_the_final_accuracy(capsys: pytest.CaptureFixture[str]) -> None:
    main(["--points", "10", "--steps", "2", "--quiet"])
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("final accuracy")


def test_demo_is_reproducible_for_a_seed(capsys: pytest.CaptureFixture[str]) -> None:
    main(["--points", "12", "--steps", "3", "--seed", "5"])
    first = [line for line in capsys.readouterr().out.splitlines() if "ms per step" not in line]
    main(["--points", "12", "--steps", "3", "--seed", "5"])
    second = [line for line in capsys.readouterr().out.splitlines() if "ms per step" not in line]
    assert first == second


@pytest.mark.parametrize(
    "argv",
    [["--steps", "0"], ["--points", "-5"], ["--steps", "many"], ["--seed", "x"], ["--bogus"]],
)
def test_demo_bad_arguments_exit_with_argparse_error(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    error = capsys.readouterr().err.strip().splitlines()[-1]
    assert error.startswith("python -m minigrad.scalar: error:")


def test_python_dash_m_runs_the_demo() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "minigrad.scalar", "--points", "10", "--steps", "2", "--quiet"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert result.stdout.startswith("final accuracy")
