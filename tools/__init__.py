"""The project's build tools (run as scripts: ``python tools/<name>.py``; see DEVELOPERS.md).

- ``vendor.py``: pinned npm packages, integrity-checked and copied;
- ``vendor_assets.py``: the book's assets (``vendor_static/``), through ``vendor.py``;
- ``urls.py``: what a page or stylesheet loads, external or missing (one scanner);
- ``check_offline.py``: the built book loads nothing from another host (``urls.py``).
"""
