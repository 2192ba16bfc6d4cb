"""The project's build tools (run as scripts: ``python tools/<name>.py``; see DEVELOPERS.md).

- ``vendor.py``: pinned npm packages, integrity-checked and copied (one routine for book and decks);
- ``vendor_assets.py``: the book's assets (``vendor_static/``), through ``vendor.py``;
- ``urls.py``: what a page or stylesheet loads, external or missing (one scanner);
- ``check_offline.py``: the built book loads nothing from another host (``urls.py``);
- ``build_slides.py`` and ``slides/``: reveal.js decks (slide rule, MyST, export, check);
- ``slides_link.py``: Sphinx extension linking each chapter to its deck;
- ``live_page.py``, ``live/``, ``live_pack.py``, ``serve.py``: live mode (a chapter's "Make this
  page live", the worker and page scripts, the core archive, ``make serve``);
- ``strip_widget_state.py``, ``book_numbers.py``: notebook and build helpers.
"""
