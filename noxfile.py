"""Workflows that are not checks: the demo, benchmarks, thorough property tests.

The checks (tests, mypy, ruff) live in tox.ini. Run one workflow with
``python3 -m nox -s NAME``; ``python3 -m nox -l`` lists them.
"""

from __future__ import annotations

import shutil

import nox

nox.options.default_venv_backend = "venv"
nox.options.sessions = ["demo"]

SCALAR = "./packages/minigrad-scalar"
TENSOR = "./packages/minigrad-tensor"


@nox.session
def demo(session: nox.Session) -> None:
    """Train on two moons with the scalar engine, then on the bundled digits with tensors."""
    session.install(SCALAR, TENSOR)
    session.run("python", "-m", "minigrad.scalar")
    session.run("minigrad", "train")


@nox.session
def thorough(session: nox.Session) -> None:
    """The test suite with hypothesis drawing many more examples per property."""
    session.install("-e", SCALAR, "-e", f"{TENSOR}[scalar]", "pytest>=8", "hypothesis>=6.100")
    session.env["HYPOTHESIS_PROFILE"] = "thorough"
    session.run("pytest", *session.posargs)


@nox.session
def bench(session: nox.Session) -> None:
    """Time MiniGrad against micrograd, hand-written NumPy and PyTorch; write docs/benchmarks.md.

    A reference that cannot be installed is skipped with a note in the table.
    """
    session.install(SCALAR, TENSOR)
    for reference in ("micrograd==0.1.0", "torch==2.13.0"):
        try:
            session.install(reference, silent=True)
        except nox.command.CommandFailed:
            session.warn(f"could not install {reference}; its comparisons are skipped")
    session.run(
        "python", "benchmarks/run_all.py", "--output", "docs/benchmarks.md", *session.posargs
    )


@nox.session
def notebooks(session: nox.Session) -> None:
    """Execute every tutorial notebook under docs/tutorials/, fresh, and time each one."""
    session.install(
        "-e", SCALAR, "-e", f"{TENSOR}[scalar,plot,graph]", "pytest>=8", "hypothesis>=6.100"
    )
    session.install("nbclient>=0.10", "nbformat>=5.10", "ipykernel>=6.29")
    session.run("pytest", "tests/test_notebooks.py", "--durations=0", *session.posargs)


SITE_TOOLS = (
    "mkdocs>=1.6",
    "mkdocs-material>=9.5",
    "mkdocs-jupyter>=0.25",
    "mkdocstrings[python]>=0.26",
    "jupyter-server-mathjax>=0.2.6",  # MathJax, served from the site itself
)


@nox.session
def site(session: nox.Session) -> None:
    """Build the documentation site into site/: README tour, executed tutorials, API, benchmarks.

    The tutorials are executed, so their graphs, plots and printouts appear on
    the pages; graphs are pictures when Graphviz's ``dot`` is installed (Debian:
    ``apt-get install graphviz``) and Graphviz text otherwise, which the build
    says. Open site/index.html, or serve it: ``python3 -m http.server -d site``.
    """
    session.install("-e", SCALAR, "-e", f"{TENSOR}[scalar,plot,graph]", "ipykernel>=6.29")
    session.install(*SITE_TOOLS)
    if shutil.which("dot") is None:
        session.warn(
            "Graphviz's dot program is not installed: the tutorials' graphs will show as "
            "Graphviz text, not pictures (Debian: apt-get install graphviz)"
        )
    session.env.update({"MINIGRAD_SITE_EXECUTE": "true", "NO_MKDOCS_2_WARNING": "1"})
    session.env["MPLBACKEND"] = "Agg"
    session.run("mkdocs", "build", "--strict", "--clean", *session.posargs)


@nox.session
def browser(session: nox.Session) -> None:
    """Open every page of the built site in headless Chromium and check what a reader sees.

    Needs Debian's chromium and chromium-driver. Fails on a console error, a
    broken link or image, an empty output cell, or a tutorial graph that is not
    a picture; saves one screenshot per page into site-screenshots/. Builds the
    site first unless given ``-- --no-build``.
    """
    args = list(session.posargs)
    if "--no-build" in args:
        args.remove("--no-build")
    else:
        site(session)
    session.install("selenium>=4.20")
    session.run("python", "docs/check_site.py", "site", "--screenshots", "site-screenshots", *args)


@nox.session
def fuzz(session: nox.Session) -> None:
    """Corrupt a training checkpoint 10,000 ways; each must load whole or raise CheckpointError.

    Pass ``-- N`` to draw N corruptions instead.
    """
    session.install("-e", SCALAR, "-e", TENSOR, "pytest>=8", "hypothesis>=6.100")
    session.env["MINIGRAD_FUZZ_EXAMPLES"] = session.posargs[0] if session.posargs else "10000"
    session.env["HYPOTHESIS_PROFILE"] = "thorough"
    session.run(
        "pytest",
        "tests/tensor/test_checkpoint_fuzz.py",
        "--hypothesis-show-statistics",
        "-p",
        "no:cacheprovider",
    )
