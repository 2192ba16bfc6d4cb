"""Serve the built book on 127.0.0.1 for reading it live (``make serve``).

Live mode (``tools/live_page.py``) fetches Pyodide and cnnlib's core, which Chromium refuses
over ``file://``; any static http server works, this one adds what makes a second visit fast:

- ``Cache-Control: public, max-age=31536000, immutable`` for files whose URL names their
  version — Pyodide's folder ``_static/pyodide/<version>/`` and every ``?v=<hash>`` URL of
  ``_live/`` (the hash changes with the content): the browser reuses them without asking,
  and keeps Chromium's compiled WebAssembly with them;
- ``Cache-Control: no-cache`` for everything else: the browser revalidates with
  ``If-Modified-Since`` and gets a 304, so a rebuilt page shows at once;
- the media types a module worker and ``WebAssembly.instantiateStreaming`` insist on
  (``.mjs`` as JavaScript, ``.wasm`` as ``application/wasm``), whatever the system's table says.

(The live page also keeps a memory snapshot of the started Python in the browser's Cache
Storage, which is what brings a second visit's start from ~3 s to ~0.5 s; see
``tools/live/worker.mjs``.)

    python tools/serve.py [_build/html] [--port 8000]   # prints the URL; Ctrl-C stops it
"""

from __future__ import annotations

import argparse
import functools
import http.server
import re
import sys
from pathlib import Path
from typing import ClassVar

ROOT = Path(__file__).resolve().parent.parent
IMMUTABLE = "public, max-age=31536000, immutable"
_VERSIONED = re.compile(r"^/_static/pyodide/\d+\.\d+\.\d+/|[?&]v=[0-9a-f]{6,}")


def cache_control(path: str) -> str:
    """The Cache-Control header for a request path (with its query).

    >>> cache_control("/_static/pyodide/314.0.7/pyodide.asm.wasm") == IMMUTABLE
    True
    >>> cache_control("/_live/cnnlib-core.tar.gz?v=0123abcd4567") == IMMUTABLE
    True
    >>> cache_control("/notebooks/playground.html")
    'no-cache'
    """
    return IMMUTABLE if _VERSIONED.search(path) else "no-cache"


class Handler(http.server.SimpleHTTPRequestHandler):
    """Static files with the cache headers and media types above."""

    extensions_map: ClassVar[dict[str, str]] = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".js": "text/javascript", ".mjs": "text/javascript", ".wasm": "application/wasm",
                      ".json": "application/json", ".css": "text/css", ".svg": "image/svg+xml"}

    def end_headers(self):
        self.send_header("Cache-Control", cache_control(self.path))
        super().end_headers()

    def log_message(self, format, *args):
        if not getattr(self.server, "quiet", False):
            super().log_message(format, *args)


def make_server(root: Path, port: int = 0, *, quiet: bool = False) -> http.server.ThreadingHTTPServer:
    """A threading server for ``root`` on 127.0.0.1 (port 0: any free port), not yet serving."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(Handler, directory=str(root)))
    server.quiet = quiet
    return server


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("root", nargs="?", default=str(ROOT / "_build" / "html"))
    ap.add_argument("--port", type=int, default=8000, help="first port to try (default 8000; 0: any)")
    args = ap.parse_args(argv)
    root = Path(args.root)
    if not (root / "index.html").is_file():
        print(f"serve: {root}/index.html is missing: run `make book` first", file=sys.stderr)
        return 1
    for port in ([args.port] if args.port == 0 else range(args.port, args.port + 20)):
        try:
            server = make_server(root, port)
            break
        except OSError:
            continue
    else:
        print(f"serve: no free port from {args.port} to {args.port + 19}", file=sys.stderr)
        return 1
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    print(f"Serving {root} at {url}  (live mode works here; Ctrl-C stops)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
