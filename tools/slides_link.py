"""Sphinx extension: a "Slides" link and "run it yourself" instructions on every chapter page.

Chapter pages are the documents under ``notebooks/``; the link points to the reveal.js deck
that ``tools/build_slides.py`` writes to ``<html>/slides/<chapter>.slides.html``.  Enable it in
``_config.yml``::

    sphinx:
      local_extensions:
        slides_link: tools/

Options (``sphinx: config:``): ``slides_link_docs_prefix`` (default ``"notebooks/"``),
``slides_link_dir`` (default ``"slides"``), ``slides_link_text`` (default ``"Slides"``).

Repository links and launch buttons appear only when a real repository is configured for
the build: the environment variable ``CNNLIB_REPOSITORY_URL`` (e.g.
``https://github.com/me/cnn-arithmetic``, with ``CNNLIB_REPOSITORY_BRANCH``, default
``main``).  Then the theme gets the repository button and Binder/Colab launch buttons, and
the "run it yourself" box says how to install cnnlib first in Colab.  Without it the book
links to no repository at all (``_config.yml`` names none: a placeholder URL would be a
dead link).
The link is added to the page body, so it works with any HTML theme and needs no template.
"""

from __future__ import annotations

import html
import os
import posixpath
import re

__version__ = "1.0"


def slides_href(pagename: str, slides_dir: str = "slides") -> str:
    """Relative URL from the page ``pagename`` (e.g. ``notebooks/01_convolution``) to its deck.

    >>> slides_href("notebooks/01_convolution")
    '../slides/01_convolution.slides.html'
    """
    depth = pagename.count("/")
    return "../" * depth + f"{slides_dir}/{posixpath.basename(pagename)}.slides.html"


def link_html(pagename: str, slides_dir: str = "slides", text: str = "Slides") -> str:
    href = html.escape(slides_href(pagename, slides_dir), quote=True)
    return (f'<p class="slides-link"><a class="slides-link reference external" href="{href}" '
            f'title="Open this chapter as a reveal.js slide deck">'
            f"{html.escape(text)}</a></p>\n")


def repository() -> tuple[str, str] | None:
    """(url, branch) from CNNLIB_REPOSITORY_URL / CNNLIB_REPOSITORY_BRANCH, or None.

    Only an http(s) URL of a repository counts; anything else is refused loudly rather than
    turned into a dead link.
    """
    url = os.environ.get("CNNLIB_REPOSITORY_URL", "").strip().rstrip("/")
    if not url:
        return None
    if not re.fullmatch(r"https?://[\w.-]+(:\d+)?/[\w.-]+/[\w.-]+", url):
        raise ValueError(f"CNNLIB_REPOSITORY_URL must look like https://host/owner/name, got {url!r}")
    branch = os.environ.get("CNNLIB_REPOSITORY_BRANCH", "").strip() or "main"
    return url, branch


def colab_html(url: str, branch: str) -> str:
    """How to run a chapter in Colab: install cnnlib from the repository first."""
    pip = html.escape(f"%pip install 'cnnlib @ git+{url}@{branch}' ipywidgets")
    return ("<li>In Colab or another hosted notebook (the rocket button above), first run a new cell "
            f"with <code>{pip}</code>, then <em>Runtime → Run all</em>.</li>\n")


def run_html(pagename: str, repo: tuple[str, str] | None = None) -> str:
    """A folded box: download this chapter's notebook and open it in JupyterLab (and, when a
    repository is configured, how to run it in Colab).

    >>> "01_convolution.ipynb" in run_html("notebooks/01_convolution")
    True
    >>> "Colab" in run_html("notebooks/01_convolution"), "%pip install" in run_html("x", ("https://h/o/n", "main"))
    (False, True)
    """
    name = posixpath.basename(pagename)
    href = html.escape("../" * pagename.count("/") + f"_sources/{pagename}.ipynb", quote=True)
    return (
        '<details class="run-it"><summary>Run this chapter yourself: download the notebook, '
        'open it in JupyterLab</summary>\n'
        f'<ol><li><a class="reference download" href="{href}" download="{name}.ipynb">'
        f"Download {name}.ipynb</a> (or use the repository's <code>notebooks/</code> folder).</li>\n"
        "<li>In a clone of the repository, <code>make venv</code> creates <code>.venv</code> with "
        "everything pinned (<code>cnnlib</code>, JupyterLab, ipywidgets, matplotlib).</li>\n"
        f"<li><code>.venv/bin/jupyter lab notebooks/{name}.ipynb</code>, choose the kernel "
        "<em>Python (cnnlib)</em>, then <em>Run → Run All Cells</em>: the sliders become live "
        "ipywidgets computed by <code>cnnlib</code>.</li>\n"
        + (colab_html(*repo) if repo else "")
        + "<li>Without Jupyter: <code>.venv/bin/python -m cnnlib summary vgg16</code>, "
        "<code>… conv --n 227 --kernel 11 --stride 4</code>.</li></ol></details>\n"
    )


def _add_link(app, pagename, templatename, context, doctree):
    prefix = app.config.slides_link_docs_prefix
    if doctree is None or not pagename.startswith(prefix) or "body" not in context:
        return
    context["body"] = (link_html(pagename, app.config.slides_link_dir, app.config.slides_link_text)
                       + run_html(pagename, repository()) + context["body"])


def theme_repository(options: dict, repo: tuple[str, str] | None) -> dict:
    """The theme options with the repository and launch buttons set from `repo`, or with
    every repository link and launch button off when there is none.

    >>> theme_repository({"repository_url": "https://github.com/executablebooks/jupyter-book"}, None)["repository_url"]
    ''
    >>> theme_repository({}, ("https://h/o/n", "dev"))["launch_buttons"]["colab_url"]
    'https://colab.research.google.com'
    """
    options = dict(options)
    buttons = dict(options.get("launch_buttons") or {})
    if repo is None:
        options.update(repository_url="", use_repository_button=False, use_issues_button=False,
                       use_edit_page_button=False)
        buttons.update(binderhub_url="", colab_url="", jupyterhub_url="", deepnote_url="", thebe=False)
    else:
        url, branch = repo
        options.update(repository_url=url, repository_branch=branch, path_to_docs="",
                       use_repository_button=True)
        buttons.update(notebook_interface="jupyterlab", binderhub_url="https://mybinder.org",
                       colab_url="https://colab.research.google.com", thebe=False)
    options["launch_buttons"] = buttons
    return options


def _configure_repository(app, config):
    config.html_theme_options = theme_repository(config.html_theme_options or {}, repository())


def _slim_fontawesome(app, exception):
    """Replace pydata-sphinx-theme's 1.5 MB Font Awesome SVG script with a stub.

    The theme's stylesheet already carries Font Awesome's web fonts and icon classes, so the
    icons still render; the script only re-draws them as SVG. This keeps a chapter page under
    its 3 MB budget (bench/book.py).
    """
    if exception is not None or app.builder.format != "html":
        return
    import pathlib

    script = pathlib.Path(app.outdir) / "_static" / "scripts" / "fontawesome.js"
    if script.exists() and script.stat().st_size > 10_000:
        script.write_text("/* Font Awesome icons come from the theme's web fonts (tools/slides_link.py). */\n")


_CSS = """
p.slides-link { float: right; margin: 0 0 0.5em 1em; font-size: 0.9em; }
p.slides-link a { border: 1px solid currentColor; border-radius: 4px; padding: 0.1em 0.6em;
                  text-decoration: none; }
details.run-it { font-size: 0.9em; margin: 0 0 1em 0; }
details.run-it summary { cursor: pointer; color: var(--pst-color-link, #0a58ca); }
"""


def _add_css(app, pagename, templatename, context, doctree):
    if doctree is not None and pagename.startswith(app.config.slides_link_docs_prefix):
        context["metatags"] = context.get("metatags", "") + f"<style>{_CSS}</style>"


def setup(app):
    app.add_config_value("slides_link_docs_prefix", "notebooks/", "html")
    app.add_config_value("slides_link_dir", "slides", "html")
    app.add_config_value("slides_link_text", "Slides", "html")
    app.connect("config-inited", _configure_repository)
    app.connect("html-page-context", _add_link)
    app.connect("html-page-context", _add_css)
    app.connect("build-finished", _slim_fontawesome)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
