"""The first names shipped with the scalar engine, for a character-level language model.

5,163 distinct first names, lowercase, letters a-z only, in alphabetical order: the union
of the public-domain 1990 US Census lists ``dist.male.first`` and ``dist.female.first``
(as carried by the PyPI package ``names`` 0.3.0). ``_files/README.md`` records the
provenance; ``tools/make_names.py`` in the MiniGrad repository derives the file.

Example:
    >>> from minigrad.scalar.names import load_first_names
    >>> names = load_first_names()
    >>> len(names), names[:3]
    (5163, ['aaron', 'abbey', 'abbie'])
"""

from __future__ import annotations

from importlib import resources

__all__ = ["load_first_names"]

_COUNT = 5163


def load_first_names() -> list[str]:
    """All 5,163 bundled first names, lowercase a-z, in alphabetical order.

    Raises:
        ValueError: if the bundled file does not hold the expected names (a damaged install).
    """
    source = resources.files("minigrad.scalar").joinpath("_files").joinpath("first_names.txt")
    names = source.read_text(encoding="ascii").split()
    if len(names) != _COUNT or not all(name.isalpha() and name.islower() for name in names):
        raise ValueError(
            f"load_first_names: the bundled first_names.txt should hold {_COUNT} lowercase "
            f"names of a-z, it holds {len(names)} lines; the installation is damaged"
        )
    return names
