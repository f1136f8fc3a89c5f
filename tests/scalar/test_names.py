"""minigrad.scalar.names: the scalar package's own copy of the Census first names."""

from __future__ import annotations

import doctest
import hashlib
from importlib import resources

import minigrad.scalar.names as names_module
from minigrad.scalar.names import load_first_names

SHA256 = "cba14f452b7768bd7fe093035a67491d4a334061634ccfd51522fb796910e75e"


def test_bundled_file_has_the_documented_size_and_checksum() -> None:
    raw = resources.files("minigrad.scalar").joinpath("_files", "first_names.txt").read_bytes()
    assert len(raw) == 36122
    assert hashlib.sha256(raw).hexdigest() == SHA256


def test_first_names_are_distinct_sorted_lowercase_letters() -> None:
    names = load_first_names()
    assert len(names) == len(set(names)) == 5163
    assert names == sorted(names)
    assert set("".join(names)) == set("abcdefghijklmnopqrstuvwxyz")
    assert {"emma", "olivia", "james"} <= set(names)


def test_each_call_returns_a_fresh_list() -> None:
    names = load_first_names()
    names.clear()
    assert len(load_first_names()) == 5163


def test_docstring_examples_run() -> None:
    assert doctest.testmod(names_module, optionflags=doctest.ELLIPSIS).failed == 0
