"""Every tutorial notebook runs top to bottom, quietly, and is committed without outputs.

Each notebook is executed fresh with nbclient in a kernel that runs this very
interpreter (so it sees the packages under test, whatever other kernels are
installed). A cell that raises, or writes to stderr (a warning, say), fails the
test. The Jupyter pieces (nbclient, nbformat, ipykernel) and matplotlib are
dependencies of the tox ``tests`` environment.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

# The Jupyter pieces are test dependencies of tox's tests environment; without
# them (a bare `pip install pytest`) these tests are skipped, not errors.
nbformat = pytest.importorskip("nbformat")
NotebookClient = pytest.importorskip("nbclient").NotebookClient

ROOT = Path(__file__).resolve().parents[1]
TUTORIALS = ROOT / "docs" / "tutorials"
NOTEBOOKS = sorted(TUTORIALS.glob("*.ipynb"))


@pytest.fixture
def this_python_kernel(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A kernel spec named "python3" that starts this interpreter; JUPYTER_PATH comes first."""
    spec = tmp_path / "kernels" / "python3"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(
        json.dumps(
            {
                "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                "display_name": "Python 3 (tests)",
                "language": "python",
            }
        ),
        encoding="utf-8",
    )
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path))
    monkeypatch.setenv("MPLBACKEND", "Agg")  # the notebooks switch to inline themselves
    return "python3"


def test_the_tutorials_are_numbered_from_zero_to_six() -> None:
    assert [path.name[:3] for path in NOTEBOOKS] == [f"{number:02d}_" for number in range(7)]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.stem)
def test_notebook_is_committed_without_outputs(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{path.name}: clear the outputs before committing"
            assert cell.execution_count is None, f"{path.name}: clear the execution counts"


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.stem)
def test_notebook_runs_top_to_bottom_without_errors_or_warnings(
    path: Path, this_python_kernel: str
) -> None:
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=120,
        kernel_name=this_python_kernel,
        resources={"metadata": {"path": str(path.parent)}},
    )
    # The per-cell timeout only guards against a hang. How long each notebook
    # takes is reported by `nox -s notebooks` (pytest --durations), not asserted:
    # timings on shared machines belong to benchmarks, never to tests.
    client.execute()  # raises CellExecutionError, naming the cell, if one fails

    for number, cell in enumerate(notebook.cells):
        for output in cell.get("outputs", []):
            if output.output_type == "stream" and output.name == "stderr":
                pytest.fail(f"{path.name} cell {number} wrote to stderr:\n{output.text}")
