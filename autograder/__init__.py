"""The instructor's side of the course: thin commands over nbgrader's own machinery."""
import os
import sys
from pathlib import Path

# nbgrader runs `alembic` as a program to open a gradebook, so the interpreter's
# bin/ folder must be on PATH even when .venv/bin/python is called directly.
_BIN = str(Path(sys.executable).parent)
if _BIN not in os.environ.get("PATH", "").split(os.pathsep):
    os.environ["PATH"] = _BIN + os.pathsep + os.environ.get("PATH", "")
