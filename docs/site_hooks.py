"""MkDocs hooks for MiniGrad's documentation site (named in mkdocs.yml).

They add the pages whose sources live outside ``docs/`` or are not written by
hand, so nothing is copied into the repository:

* ``index.md``: the README, its links rewritten for the site (``docs/x`` -> ``x``);
* ``contributing.md``: CONTRIBUTING.md from the root of the clone, when it exists;
* ``api/<module>.md``: one mkdocstrings page per public module of both packages
  (a module is public when no part of its dotted name starts with ``_``).

They also point the links between tutorials (``02_x.ipynb``) at the built
pages, and say plainly, in the build log and on each tutorial page, when the
tutorials were not executed or Graphviz's ``dot`` was missing.
"""

from __future__ import annotations

import html as html_text
import importlib.util
import logging
import os
import posixpath
import re
import shutil
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

ROOT = Path(__file__).resolve().parents[1]
PACKAGE_SOURCES = {
    "minigrad.scalar": ROOT / "packages" / "minigrad-scalar" / "src",
    "minigrad.tensor": ROOT / "packages" / "minigrad-tensor" / "src",
}
# Pages made from files at the root of the clone: source there -> page on the site.
ROOT_PAGES = {"README.md": "index.md", "CONTRIBUTING.md": "contributing.md"}

log = logging.getLogger("mkdocs.hooks.minigrad")

# mkdocs-jupyter loads MathJax from this placeholder URL (mkdocs.yml); each tutorial page gets
# the path to the copy that on_post_build puts into the site, so math renders offline.
MATHJAX_PLACEHOLDER = "MINIGRAD_MATHJAX"
MATHJAX_DIR = "assets/mathjax"
MATHJAX_CONFIG = "?config=TeX-AMS-MML_HTMLorMML-full"  # a config that package ships
# That package ships the STIX-Web fonts only (as Jupyter uses them), not MathJax's default TeX.
# MathJax 2 also declares a test font at url('about:blank'), which Chromium refuses with a
# console error; a local() source needs no request and serves the same test.
MATHJAX_FONTS = """<script type="text/x-mathjax-config">
MathJax.Hub.Config({"HTML-CSS": {availableFonts: ["STIX-Web"], preferredFont: "STIX-Web",
  webFont: "STIX-Web",
  styles: {"@font-face": {"font-family": "MathJax_Blank", src: "local('MathJax_Blank')"}}}});
</script>"""


def mathjax_source() -> Path:
    """MathJax 2's files, as the jupyter-server-mathjax package ships them."""
    spec = importlib.util.find_spec("jupyter_server_mathjax")
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError(
            "the site needs jupyter-server-mathjax (MathJax for the tutorials' formulas): "
            "pip install jupyter-server-mathjax"
        )
    return Path(spec.origin).parent / "static"


def notebooks_executed() -> bool:
    """Whether mkdocs-jupyter runs the tutorials (MINIGRAD_SITE_EXECUTE, default true)."""
    return os.environ.get("MINIGRAD_SITE_EXECUTE", "true").lower() not in {"0", "false", "no"}


def dot_installed() -> bool:
    """Whether Graphviz's ``dot`` program is on the PATH (graph cells then show pictures)."""
    return shutil.which("dot") is not None


def public_modules(package: str) -> list[str]:
    """``package`` and its public submodules, sorted, found from the source files."""
    source_root = PACKAGE_SOURCES[package]
    package_dir = source_root / package.replace(".", "/")
    names = []
    for path in sorted(package_dir.rglob("*.py")):
        parts = path.relative_to(source_root).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        if any(part.startswith("_") for part in parts) or path.name == "__main__.py":
            continue
        names.append(".".join(parts))
    return sorted(names)


def _api_page(module: str) -> str:
    return f"api/{module}.md"


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Append Contributing (when CONTRIBUTING.md exists) and the API reference to the nav."""
    nav: list[Any] = config.nav or []
    if (ROOT / "CONTRIBUTING.md").exists():
        nav.append({"Contributing": "contributing.md"})
    else:
        log.info("No CONTRIBUTING.md at the root of the clone: the site has no Contributing page")
    nav.append(
        {
            "API reference": [
                {package: [{module: _api_page(module)} for module in public_modules(package)]}
                for package in PACKAGE_SOURCES
            ]
        }
    )
    config.nav = nav
    if not notebooks_executed():
        log.info(
            "Tutorials NOT executed (MINIGRAD_SITE_EXECUTE=false): their pages show code "
            "without outputs. `python3 -m nox -s site` executes them."
        )
    elif not dot_installed():
        log.info(
            "Graphviz's dot program is NOT installed: graph cells of the tutorials show DOT "
            "text instead of pictures (Debian: apt-get install graphviz)."
        )
    else:
        log.info("Tutorials executed with Graphviz's dot: graph cells show pictures.")
    return config


def _rewrite_repository_links(markdown: str) -> str:
    """Links of a root-level Markdown file, made to work from the site's root.

    ``docs/x`` becomes ``x``, a root file with a page becomes that page, and
    any other repository path (no page on the site) becomes inline code.
    """

    def rewrite(match: re.Match[str]) -> str:
        text, target = match.group(1), match.group(2)
        if re.match(r"^[a-z]+:|^#", target):
            return match.group(0)
        path, _, anchor = target.partition("#")
        anchor = f"#{anchor}" if anchor else ""
        if path.startswith("docs/"):
            return f"[{text}]({path.removeprefix('docs/')}{anchor})"
        if path in ROOT_PAGES:
            return f"[{text}]({ROOT_PAGES[path]}{anchor})"
        return f"{text} (`{path}`)" if text.strip("`") != path else f"`{path}`"

    return re.sub(r"(?<!!)\[([^\]]+)\]\(([^)\s]+)\)", rewrite, markdown).replace("](docs/", "](")


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Add the README, CONTRIBUTING and the API pages as generated files."""
    for source, page in ROOT_PAGES.items():
        path = ROOT / source
        if path.exists():
            content = _rewrite_repository_links(path.read_text(encoding="utf-8"))
            files.append(File.generated(config, page, content=content))
    for package in PACKAGE_SOURCES:
        for module in public_modules(package):
            files.append(File.generated(config, _api_page(module), content=f"::: {module}\n"))
    return files


def on_post_build(config: MkDocsConfig) -> None:
    """Copy MathJax into the site, so the tutorials' formulas render without the internet."""
    shutil.copytree(mathjax_source(), Path(config.site_dir) / MATHJAX_DIR, dirs_exist_ok=True)


def _notebook_link_target(href: str, page: Page, files: Files) -> str | None:
    """The site URL for a relative link in a notebook, or None to leave it alone."""
    if re.match(r"^[a-z]+:|^#|^/", href):
        return None
    path, _, anchor = href.partition("#")
    source_dir = posixpath.dirname(page.file.src_uri)
    target = posixpath.normpath(posixpath.join(source_dir, path))
    if target.startswith("../") and target.removeprefix("../") in ROOT_PAGES:
        target = ROOT_PAGES[target.removeprefix("../")]
    file = files.get_file_from_path(target)
    if file is None or not file.is_documentation_page():
        return None
    return file.url_relative_to(page.file) + (f"#{anchor}" if anchor else "")


def _flatten(items: Any) -> list[Any]:
    """Every entry of a table of contents, in document order."""
    flat = []
    for item in items:
        flat.append(item)
        flat.extend(_flatten(item.children))
    return flat


def _align_toc_with_headings(html: str, page: Page) -> None:
    """Give a tutorial's table of contents the ids and titles of the headings it lists.

    mkdocs-jupyter's contents leave ``code`` out of each title and anchor (so
    "The same computation with `Value`" links to ``#the-same-computation-with``),
    while the headings keep it; entries and headings come in the same order.
    """
    headings = re.findall(r'<h[1-6][^>]*\bid="([^"]+)"[^>]*>(.*?)</h[1-6]>', html, flags=re.S)
    entries = _flatten(page.toc)
    if len(headings) != len(entries):
        log.warning(
            "%s: %d headings but %d contents entries; contents left as they are",
            page.file.src_uri,
            len(headings),
            len(entries),
        )
        return
    for entry, (anchor, inner) in zip(entries, headings, strict=True):
        entry.id = anchor
        entry.title = html_text.unescape(re.sub(r"<[^>]+>", "", inner)).rstrip("¶ \n")


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Point a tutorial's links at the built pages; note missing outputs or pictures."""
    if not page.file.src_uri.endswith(".ipynb"):
        return html

    def rewrite(match: re.Match[str]) -> str:
        target = _notebook_link_target(match.group(2), page, files)
        return match.group(0) if target is None else f"{match.group(1)}{target}{match.group(3)}"

    html = re.sub(r'(<a [^>]*href=")([^"]+)(")', rewrite, html)
    _align_toc_with_headings(html, page)
    mathjax = posixpath.relpath(f"{MATHJAX_DIR}/MathJax.js", posixpath.dirname(page.file.dest_uri))
    html = html.replace(
        f'<script src="{MATHJAX_PLACEHOLDER}">',
        f'{MATHJAX_FONTS}\n<script src="{mathjax}{MATHJAX_CONFIG}">',
    )
    if not notebooks_executed():
        note = "This page was built without running the notebook, so it shows no outputs."
    elif not dot_installed() and "digraph" in html:
        note = (
            "This page was built without Graphviz's <code>dot</code> program: the graphs "
            "appear as Graphviz text instead of pictures."
        )
    else:
        return html
    return f'<div class="admonition warning"><p>{note}</p></div>\n{html}'
