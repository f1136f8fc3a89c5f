"""Derive MiniGrad's bundled name lists from the 1990 US Census files in PyPI ``names==0.3.0``.

Run from the repository root, with the sdist downloaded beforehand::

    pip download --no-deps --no-binary :all: names==0.3.0 -d /tmp/names
    python tools/make_names.py /tmp/names/names-0.3.0.tar.gz

The sdist's sha256 is checked, the three Census files are read straight from the archive,
and the lists are written (and their sha256 printed) to:

- packages/minigrad-tensor/src/minigrad/tensor/data/_files/first_names.txt
- packages/minigrad-tensor/src/minigrad/tensor/data/_files/last_names.txt.gz
- packages/minigrad-scalar/src/minigrad/scalar/_files/first_names.txt

Each list holds the distinct names, lowercased, keeping only names of the letters a-z,
sorted alphabetically, one per line with a final newline. The first names are the union of
``dist.male.first`` and ``dist.female.first``; the surnames come from ``dist.all.last``.
The gzip file is written with mtime 0 and no file name, so with the same zlib it is
byte-identical; the sha256 of the text inside is what the tests pin regardless.
"""

from __future__ import annotations

import gzip
import hashlib
import re
import sys
import tarfile
from pathlib import Path

SDIST_SHA256 = "726e46254f2ed03f1ffb5d941dae3bc67c35123941c29becd02d48d0caa2a671"
ROOT = Path(__file__).resolve().parents[1]
TENSOR_FILES = ROOT / "packages/minigrad-tensor/src/minigrad/tensor/data/_files"
SCALAR_FILES = ROOT / "packages/minigrad-scalar/src/minigrad/scalar/_files"
LETTERS = re.compile(r"[a-z]+")


def census_names(archive: tarfile.TarFile, member: str) -> list[str]:
    """The first column of one Census file (``NAME  freq  cumfreq  rank``), lowercased."""
    handle = archive.extractfile(f"names-0.3.0/names/{member}")
    if handle is None:
        raise SystemExit(f"{member} is not a regular file in the sdist")
    lines = handle.read().decode("ascii").splitlines()
    return [line.split()[0].lower() for line in lines if line.strip()]


def keep_letters(names: list[str], label: str) -> list[str]:
    """Distinct names of a-z only, sorted; reports what was dropped."""
    distinct = sorted(set(names))
    kept = [name for name in distinct if LETTERS.fullmatch(name)]
    dropped = sorted(set(distinct) - set(kept))
    print(
        f"{label}: {len(names)} rows, {len(distinct)} distinct, {len(kept)} kept, "
        f"dropped {len(dropped)}: {dropped[:20]}"
    )
    return kept


def write(path: Path, names: list[str], *, compress: bool) -> None:
    """One name per line; gzip with a fixed header when ``compress``."""
    text = ("\n".join(names) + "\n").encode("ascii")
    data = gzip.compress(text, compresslevel=9, mtime=0) if compress else text
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    print(
        f"{path.relative_to(ROOT)}: {len(data)} bytes, sha256 {hashlib.sha256(data).hexdigest()}"
        f"; text sha256 {hashlib.sha256(text).hexdigest()}"
    )


def main(sdist: str) -> None:
    """Check the sdist, derive the lists and write them."""
    digest = hashlib.sha256(Path(sdist).read_bytes()).hexdigest()
    if digest != SDIST_SHA256:
        raise SystemExit(f"expected names-0.3.0.tar.gz with sha256 {SDIST_SHA256}, got {digest}")
    with tarfile.open(sdist, "r:gz") as archive:
        male = census_names(archive, "dist.male.first")
        female = census_names(archive, "dist.female.first")
        last = census_names(archive, "dist.all.last")
    first = keep_letters(male + female, "first names")
    surnames = keep_letters(last, "surnames")
    write(TENSOR_FILES / "first_names.txt", first, compress=False)
    write(TENSOR_FILES / "last_names.txt.gz", surnames, compress=True)
    write(SCALAR_FILES / "first_names.txt", first, compress=False)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit("usage: python tools/make_names.py PATH/TO/names-0.3.0.tar.gz")
    main(sys.argv[1])
