"""The instructor's side of the course: thin commands over nbgrader's own machinery."""
import os
import sys
from pathlib import Path

# nbgrader runs `alembic` as a program to open a gradebook, so the interpreter's
# bin/ folder must be on PATH even when .venv/bin/python is called directly.
_BIN = str(Path(sys.executable).parent)
if _BIN not in os.environ.get("PATH", "").split(os.pathsep):
    os.environ["PATH"] = _BIN + os.pathsep + os.environ.get("PATH", "")

# jsonschema checks the "iri" string format with rfc3987_syntax when that is installed (jupyter_events pulls it
# in), and importing it compiles a grammar: 1.3-1.7 s in every process that reads a notebook (nbformat validates
# with jsonschema), the parent, each worker and each grading process (benchmarks/startup.py). No schema the
# grader validates (nbformat's, nbgrader's cell metadata) has that format; without the module, jsonschema leaves
# it unchecked. Too late, and harmless, if jsonschema is already imported.
if "jsonschema" not in sys.modules:
    sys.modules.setdefault("rfc3987_syntax", None)
