"""What a deck loads: the pinned npm packages vendored next to the decks, and their URLs.

``vendor_decks(out)`` copies them with ``tools/vendor.py`` (sha512-verified ``npm pack``
tarballs) into ``<out>/vendor/<package>/``, keeping each file's path inside its package; the
stamp ``vendor/VERSIONS.json`` makes a second run copy nothing.  The URLs below are relative
to the decks' folder and are what the exporter and the template put in every deck.
"""

from __future__ import annotations

import os
from pathlib import Path

from tools.vendor import DEFAULT_CACHE, Package, vendor

# npm tarballs are cached with the book's (CNNLIB_SLIDES_CACHE or --cache to change)
CACHE = Path(os.environ.get("CNNLIB_SLIDES_CACHE", DEFAULT_CACHE))

PACKAGES = (
    # nbconvert's reveal template is written for reveal.js 4.x
    Package("reveal.js", "4.6.1",
            "sha512-1CW0auaXNPmwmvQ7TwpszwVxMi2Xr5cTS3J3EBC/HHgbPF32Dn7aiu/LKWDOGjMbaDwKQiGmfqcoGQ74HUHCMw==",
            dest="reveal.js",
            files=("dist/reveal.js", "dist/reveal.css", "dist/reset.css", "dist/theme/white.css",
                   "dist/theme/fonts/source-sans-pro/*", "plugin/notes/notes.js", "LICENSE")),
    # the template's MathJax macro uses the MathJax 2 API (MathJax.Hub)
    Package("mathjax", "2.7.9",
            "sha512-NOGEDTIM9+MrsqnjPEjVGNx4q0GQxqm61yQwSK+/5S59i26wId5IC5gNu9/bu8+CCVl5p9G2IHcAl/wJa+5+BQ==",
            dest="mathjax",
            files=("MathJax.js", "config/TeX-AMS_CHTML-full.js", "config/Safe.js", "extensions/*",
                   "jax/input/TeX/*", "jax/element/*", "jax/output/CommonHTML/*",
                   "jax/output/PreviewHTML/*", "jax/output/NativeMML/*", "fonts/HTML-CSS/TeX/woff/*",
                   "fonts/HTML-CSS/TeX/otf/*", "localization/en/*", "LICENSE")),
    Package("requirejs", "2.3.8",
            "sha512-7/cTSLOdYkNBNJcDMWf+luFvMriVm7eYxp4BcFCsAX0wF421Vyce5SXP17c+Jd5otXKGNehIonFlyQXSowL6Mw==",
            dest="requirejs", files=("require.js",)),
    Package("jquery", "3.7.1",
            "sha512-m4avr8yL8kmFN8psrbFFFmB/If14iN5o9nw/NgnnM+kybDJpRsAynV2BsfpTYrTRysYUdADVD7CkUUizgkpLfg==",
            dest="jquery", files=("dist/jquery.min.js", "LICENSE.txt")),
    # renders ipywidgets 8 embedded state
    Package("@jupyter-widgets/html-manager", "1.0.15",
            "sha512-5thBIV6ymNgmPVOHvzx+gGy8ZSKmSazhtGw4/c4xJDVzRhG9PTeQsRjF3FUTopvFi//SABeNz1yp47bCrJ3CQA==",
            dest="html-manager", files=("dist/*",),
            exclude=r"\.map$|/embed\.js$|libembed-amd\.js$|LICENSE\.txt$"),
    # matplotlib's to_jshtml player links Font Awesome 4.x icons
    Package("font-awesome", "4.7.0",
            "sha512-U6kGnykA/6bFmg1M/oT9EkFeIYv7JlX3bozwQJWiiLz6L0w3F5vBVPxHlwyX/vtNq1ckcpRKOB9f2Qal/VtFpg==",
            dest="font-awesome", files=("css/font-awesome.min.css", "fonts/*")),
)

# URLs the deck uses, relative to the deck's folder.
REVEAL_PREFIX = "vendor/reveal.js"
MATHJAX_URL = "vendor/mathjax/MathJax.js?config=TeX-AMS_CHTML-full,Safe"
REQUIRE_URL = "vendor/requirejs/require.js"
JQUERY_URL = "vendor/jquery/dist/jquery.min.js"
WIDGETS_URL = "vendor/html-manager/dist/embed-amd.js"
FONT_AWESOME_URL = "vendor/font-awesome/css/font-awesome.min.css"


def vendor_decks(out: Path, cache: Path = CACHE) -> Path:
    """The decks' ``vendor/`` folder under ``out``, filled from the pinned packages (idempotent)."""
    vdir = out / "vendor"
    vendor(PACKAGES, vdir, cache, stamp="VERSIONS.json")
    return vdir
