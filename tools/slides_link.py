"""Sphinx extension: a "Slides" link at the top of every chapter page.

Chapter pages are the documents under ``notebooks/``; the link points to the reveal.js deck
that ``tools/build_slides.py`` writes to ``<html>/slides/<chapter>.slides.html``.  Enable it in
``_config.yml``::

    sphinx:
      local_extensions:
        slides_link: tools/

Options (``sphinx: config:``): ``slides_link_docs_prefix`` (default ``"notebooks/"``),
``slides_link_dir`` (default ``"slides"``), ``slides_link_text`` (default ``"Slides"``).
The link is added to the page body, so it works with any HTML theme and needs no template.
"""

from __future__ import annotations

import html
import posixpath

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
            f'title="Open this chapter as a reveal.js slide deck">&#x1F5BC;&#xFE0E; '
            f"{html.escape(text)}</a></p>\n")


def _add_link(app, pagename, templatename, context, doctree):
    prefix = app.config.slides_link_docs_prefix
    if doctree is None or not pagename.startswith(prefix) or "body" not in context:
        return
    context["body"] = link_html(pagename, app.config.slides_link_dir,
                                app.config.slides_link_text) + context["body"]


_CSS = """
p.slides-link { float: right; margin: 0 0 0.5em 1em; font-size: 0.9em; }
p.slides-link a { border: 1px solid currentColor; border-radius: 4px; padding: 0.1em 0.6em;
                  text-decoration: none; }
"""


def _add_css(app, pagename, templatename, context, doctree):
    if doctree is not None and pagename.startswith(app.config.slides_link_docs_prefix):
        context["metatags"] = context.get("metatags", "") + f"<style>{_CSS}</style>"


def setup(app):
    app.add_config_value("slides_link_docs_prefix", "notebooks/", "html")
    app.add_config_value("slides_link_dir", "slides", "html")
    app.add_config_value("slides_link_text", "Slides", "html")
    app.connect("html-page-context", _add_link)
    app.connect("html-page-context", _add_css)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
