"""The project's build tools (run as scripts: ``python tools/<name>.py``; see DEVELOPERS.md).

- ``vendor.py``: pinned npm packages, integrity-checked and copied;
- ``vendor_assets.py``: the book's assets (``vendor_static/``), through ``vendor.py``.
"""
