"""Sphinx extension for the acttutor book: what a reader sees, offline and without errors.

``_config.yml`` loads it as a local extension, and it loads ``acttutor_page`` (the pages'
stylesheet, favicon, template overrides and accessible markup). It does four small jobs:

* **MathJax 3 offline.** The ``sphinx-mathjax-offline`` package (in the ``[book]`` extra)
  ships MathJax 3.2.2; its files are added to the static path, so they land in
  ``_static/mathjax`` and ``mathjax_path: mathjax/tex-chtml.js`` loads them from the book
  itself instead of a CDN. A missing package stops the build with a message saying what
  to install.
* **One copy of each inline script.** Sphinx 7.4 (the last series Jupyter Book 1
  accepts) registers an inline ``<script>`` added after the builder starts twice: once
  under the file name ``None`` and once under ``''``, which compare unequal. sphinx-thebe's
  configuration script is added that way, so every page declared ``const THEBE_JS_URL``
  twice and the browser reported ``Identifier 'THEBE_JS_URL' has already been declared``.
  Normalising the name to ``''`` before the pages are written lets Sphinx's own
  de-duplication work (the same fix as upstream Sphinx 8.2, sphinx-doc/sphinx#13402).
* **Alt text for figures.** A notebook output that carries both an image and a
  ``text/plain`` description (``acttutor.a11y`` gives matplotlib figures one) gets that
  description as the image's ``alt`` text, unless the cell sets one explicitly.
* **Plain-text docstrings read as rST.** The API page (``book/api.md``) renders the
  package's Google/Keras-style docstrings, which are written for ``help()`` as much as
  for Sphinx. Two plain-text habits would break a ``-W`` build there: ``|x|`` for an
  absolute value is an rST substitution reference (the pipes are escaped, outside inline
  code and doctest lines), and napoleon reads a ``#: Name: text`` comment on a constant
  as ``type: description`` (types come from annotations in this package, so that form
  is switched off).
  References to Python's standard library (``timeit``, ``platform.platform``) cannot
  resolve offline either, so they are added to ``nitpick_ignore_regex`` next to the
  third-party names listed in ``_config.yml``; every ``acttutor`` name must still resolve.
* **Execution statistics for pre-executed notebooks.** ``make test`` runs every notebook
  under nbmake and builds the copies with execution off, so MyST-NB records no run times
  for ``{nb-exec-table}``. For a notebook that MyST-NB did not execute, this extension
  takes the run time from the per-cell timestamps that nbclient stores
  (``metadata.execution``), from the first cell's start to the last cell's reply. A
  notebook without such timestamps is left out of the table rather than guessed.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import nbformat
import sphinx
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.errors import ConfigError
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging

logger = logging.getLogger(__name__)

MATHJAX_PACKAGE = "sphinx-mathjax-offline"
#: The repr matplotlib gives a Figure: says nothing about what it shows.
_GENERIC_FIGURE = re.compile(r"^<(Figure|matplotlib\.figure\.Figure)\b.*>$", re.S)


def mathjax_static_dir() -> Path:
    """Return the folder holding ``mathjax/`` from the ``sphinx-mathjax-offline`` package.

    Returns:
        The package's ``static`` folder.

    Raises:
        ConfigError: When the package is not installed.
    """
    spec = importlib.util.find_spec(MATHJAX_PACKAGE)
    locations = list(spec.submodule_search_locations or []) if spec else []
    for location in locations:
        static = Path(location) / "static"
        if (static / "mathjax" / "tex-chtml.js").is_file():
            return static
    raise ConfigError(
        f"MathJax 3 for the offline book comes from the {MATHJAX_PACKAGE!r} package, "
        "which is not installed: run `pip install -e \".[book]\"` (or `make book`)."
    )


def _use_local_mathjax(app: Sphinx, config: Any) -> None:
    path = str(config.mathjax_path or "")
    if "://" in path or path.startswith("//"):
        raise ConfigError(
            f"mathjax_path is {path!r}, a network address; the book must read offline. "
            "Use `mathjax_path: mathjax/tex-chtml.js` in _config.yml."
        )
    config.html_static_path.append(str(mathjax_static_dir()))


def _ignore_stdlib_references(app: Sphinx, config: Any) -> None:
    names = "|".join(sorted(m for m in sys.stdlib_module_names if not m.startswith("_")))
    config.nitpick_ignore_regex = [
        *config.nitpick_ignore_regex,
        ("py:.*", rf"({names})(\..+)?"),
    ]


def _one_copy_of_each_inline_script(app: Sphinx, env: Any) -> None:
    if sphinx.version_info >= (8, 2):  # fixed upstream
        return
    builder = app.builder
    scripts = getattr(builder, "_js_files", None)
    if not scripts:
        return
    asset_type = type(scripts[0])
    fixed = []
    for script in scripts:
        if script.filename is None:
            script = asset_type("", priority=script.priority, **script.attributes)
        if script not in fixed:
            fixed.append(script)
    scripts[:] = fixed


class FigureAltText(SphinxPostTransform):
    """Give an output image the ``text/plain`` description of the same output as alt text.

    Runs before MyST-NB picks one MIME type per output (priority 4), while both the
    image and its ``text/plain`` sibling are still in the document.
    """

    default_priority = 3

    def run(self, **kwargs: Any) -> None:
        """Set ``alt`` on images in notebook outputs that have a descriptive sibling."""
        for bundle in list(self.document.findall(nodes.container)):
            if bundle.get("nb_element") != "mime_bundle":
                continue
            by_type = {child.get("mime_type"): child for child in bundle.children}
            plain = by_type.get("text/plain")
            if plain is None:
                continue
            text = " ".join(plain.astext().split())
            if not text or _GENERIC_FIGURE.match(text):
                continue
            for mime_type, child in by_type.items():
                if not str(mime_type).startswith("image/"):
                    continue
                for image in child.findall(nodes.image):
                    if not image.get("alt"):
                        image["alt"] = text


#: ``|something|`` as rST would read it: a substitution reference.
_SUBSTITUTION = re.compile(r"(?<![\\`|])\|(?=\S)([^|`\n]*?\S)\|(?![|`])")
#: rST line blocks (``| text``) and grid tables (``+---+``), where pipes are syntax.
_BLOCK_SYNTAX = re.compile(r"^(\|( |$)|\+[-=])")
#: Inline literals and roles, whose text must stay as written.
_LITERAL = re.compile(r"(``.+?``|:[\w:.-]+:`[^`]*`|`[^`]*`_?)")


def escape_substitutions(line: str) -> str:
    r"""Escape ``|x|``-style pipes so that rST shows them instead of looking up a substitution.

    Inline literals, roles and doctest lines are left as written.

    Example:

    >>> escape_substitutions("bounded when |x| grows; ``|x|`` stays")
    'bounded when \\|x\\| grows; ``|x|`` stays'

    Args:
        line: One line of a docstring.

    Returns:
        The line with every substitution-like ``|...|`` escaped.
    """
    stripped = line.lstrip()
    if stripped.startswith((">>>", "...")) or _BLOCK_SYNTAX.match(stripped):
        return line
    parts = _LITERAL.split(line)
    for i in range(0, len(parts), 2):  # even parts are outside literals and roles
        parts[i] = _SUBSTITUTION.sub(lambda m: f"\\|{m.group(1)}\\|", parts[i])
    return "".join(parts)


def _plain_text_docstrings(
    app: Sphinx, what: str, name: str, obj: Any, options: Any, lines: list[str]
) -> None:
    in_code = False
    for i, line in enumerate(lines):
        if line.rstrip().endswith("::"):
            in_code = True
        elif in_code and line.strip() and not line.startswith((" ", "\t")):
            in_code = False
        if not in_code:
            lines[i] = escape_substitutions(line)
    for i, line in enumerate(lines):
        # Keras style puts the doctest under "Example:" without indenting it, which napoleon
        # would show as a plain "Example:" paragraph: make it a heading instead.
        if line.strip() in ("Example:", "Examples:"):
            rest = [ln for ln in lines[i + 1:] if ln.strip()]
            indent = len(line) - len(line.lstrip())
            if rest and rest[0].startswith(" " * indent + ">>>"):
                lines[i] = " " * indent + ".. rubric:: " + line.strip().rstrip(":")
    if what in ("data", "attribute") and lines and ":" in lines[0]:
        # An empty type before the colon: napoleon keeps the whole line as the description.
        lines[0] = ": " + lines[0]


def execution_record(path: Path) -> dict[str, Any] | None:
    """Build a MyST-NB execution record from the cell timestamps of an executed notebook.

    Example:

    >>> book = Path(__file__).resolve().parents[2] / "book"
    >>> execution_record(book / "about.ipynb") is None  # stored without outputs
    True

    Args:
        path: An ``.ipynb`` file.

    Returns:
        A dict with ``mtime``, ``runtime``, ``method``, ``succeeded``, ``error`` and
        ``traceback``, or ``None`` when some code cell has no timing (not executed).
    """
    nb = nbformat.read(path, as_version=4)
    starts: list[datetime] = []
    ends: list[datetime] = []
    errors: list[str] = []
    for cell in nb.cells:
        if cell.cell_type != "code" or not cell.source.strip():
            continue
        timing = cell.get("metadata", {}).get("execution", {})
        start = timing.get("iopub.execute_input")
        end = timing.get("shell.execute_reply")
        if not start or not end:
            return None
        starts.append(_timestamp(start))
        ends.append(_timestamp(end))
        errors += [o.get("ename", "Error") for o in cell.get("outputs", [])
                   if o.get("output_type") == "error"]
    if not starts:
        return None
    return {
        "mtime": max(ends).timestamp(),
        "runtime": (max(ends) - min(starts)).total_seconds(),
        "method": "pre-executed",
        "succeeded": not errors,
        "error": errors[0] if errors else None,
        "traceback": None,
    }


def _timestamp(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _record_pre_executed(app: Sphinx, doctree: nodes.document) -> None:
    env = app.env
    docname = env.docname
    source = Path(env.doc2path(docname))
    if source.suffix != ".ipynb" or app.config.nb_execution_mode != "off":
        return
    from myst_nb.sphinx_ import NbMetadataCollector

    if NbMetadataCollector.get_exec_data(env, docname):
        return
    record = execution_record(source)
    if record is not None:
        NbMetadataCollector.set_exec_data(env, docname, record)  # type: ignore[arg-type]


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the extension's event handlers and post-transform.

    Args:
        app: The Sphinx application.

    Returns:
        Extension metadata: safe for parallel reading and writing.
    """
    app.connect("config-inited", _use_local_mathjax)
    app.connect("config-inited", _ignore_stdlib_references)
    app.connect("env-updated", _one_copy_of_each_inline_script, priority=900)
    app.connect("doctree-read", _record_pre_executed)
    # Before napoleon (priority 500) turns the Google sections into rST.
    app.connect("autodoc-process-docstring", _plain_text_docstrings, priority=400)
    app.add_post_transform(FigureAltText)
    # The pages' layout, favicon and accessible markup (tools/sphinxext/acttutor_page.py).
    app.setup_extension("acttutor_page")
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
