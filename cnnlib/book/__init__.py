"""The book's presentation layer: what needs pandas, matplotlib or ipywidgets.

* :mod:`.plots` — grids, sliding windows and animations (matplotlib, ``jshtml`` for the
  static book);
* :mod:`.charts` — parameters/MACs bar charts, the shapes diagram, the bottleneck curve;
* :mod:`.frames` — summaries as a pandas DataFrame and a styled table;
* :mod:`.widgets`, :mod:`.exercise_ui`, :mod:`.playground_ui` — live ipywidgets for JupyterLab;
* :mod:`.static_widgets` — precomputed sliders that work without a kernel;
* :mod:`.sources` — the source posts' claims and errata, each next to its computed value;
* :mod:`.transposed` — transposed convolution on small grids (by definition and as a direct
  convolution), its animation, the checkerboard, scatter, matrix and relationship figures.

Everything here imports the standard-library core (:mod:`cnnlib`), never the reverse; the
heavy libraries are imported inside the functions that draw, so importing this package
costs nothing.
"""
