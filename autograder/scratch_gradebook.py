"""The scratch gradebook of one hand-in: one SQLite engine for the whole task, written without waiting for the disk.

Each hand-in is graded against a throwaway copy of the course's gradebook (autograde._grade_in),
which nbgrader opens about ten times per hand-in. Each opening (nbgrader.api.Gradebook) makes a
new SQLAlchemy engine, whose statement cache starts empty, so the same queries are compiled again
ten times; and each of some forty commits waits for the disk. Inside `engines(path)`, every
Gradebook of the database at path shares one engine, whose statements are compiled once, and
writes with `synchronous = OFF` and its rollback journal in memory: the copy is thrown away after
the task, its results travel back as plain data and only the parent writes the course's
gradebook, so a grading process that dies mid-write loses nothing anyone keeps (its task is
graded again). Any other database opened meanwhile gets nbgrader's own engine.
`benchmarks/scratch_gradebook.py` measures both ways side by side.
"""
import contextlib
import threading

import nbgrader.api
from sqlalchemy import event

# SQLite settings of a database nobody keeps: no fsync per commit, the rollback journal in memory, not in a file.
PRAGMAS = ("PRAGMA synchronous = OFF", "PRAGMA journal_mode = MEMORY")

_nbgraders_create_engine = nbgrader.api.create_engine
_scratch = {}  # {url: its shared engine, or None until its first Gradebook} of the databases inside engines()
_lock = threading.Lock()


def _apply_pragmas(dbapi_connection, _record):
    for pragma in PRAGMAS:
        dbapi_connection.execute(pragma)


def _create_engine(db_url, **options):
    """nbgrader.api.create_engine once engines() has been entered: a scratch database's shared engine, else
    nbgrader's own."""
    url = str(db_url)
    with _lock:
        if url not in _scratch:
            return _nbgraders_create_engine(db_url, **options)
        if _scratch[url] is None:
            _scratch[url] = _nbgraders_create_engine(db_url, **options)
            event.listen(_scratch[url], "connect", _apply_pragmas)
        # Gradebook.close() disposes of its engine's connections; the engine, and what it compiled, stay.
        return _scratch[url]


@contextlib.contextmanager
def engines(path):
    """While inside, every nbgrader Gradebook of the SQLite database at path shares one fast engine (see above);
    yields the database's URL."""
    url = f"sqlite:///{path}"
    with _lock:
        nbgrader.api.create_engine = _create_engine  # for good: it changes nothing for any other database
        _scratch[url] = None
    try:
        yield url
    finally:
        with _lock:
            engine = _scratch.pop(url)
        if engine is not None:
            engine.dispose()
