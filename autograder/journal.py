"""The grading journal: one line per graded submission, appended only after its grades are committed.

A run killed at any moment leaves every finished submission in the journal and in the
gradebook, and nothing else: a rerun grades only what is missing. A line cut short by
the kill is ignored (that submission is graded again, and overwrites its own grades).
"""
import hashlib
import json
import os
from pathlib import Path


def fingerprint(folder):
    """A hash of every file's name and bytes in a submission folder: a changed hand-in is graded again."""
    digest = hashlib.sha256()
    for path in sorted(Path(folder).rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(folder)).encode() + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()


class Journal:
    def __init__(self, path):
        self.path = Path(path)

    def entries(self):
        """{(assignment, student): the latest entry}."""
        latest = {}
        if not self.path.exists():
            return latest
        for line in self.path.read_text().splitlines():
            try:
                entry = json.loads(line)
                latest[entry["assignment"], entry["student"]] = entry
            except (ValueError, KeyError, TypeError):
                continue  # the tail of a run that was killed mid-line
        return latest

    def append(self, entry):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        line = json.dumps(entry, sort_keys=True) + "\n"
        descriptor = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        try:
            if os.fstat(descriptor).st_size and not self._ends_with_newline():
                line = "\n" + line  # never glue an entry to a line a kill cut short
            os.write(descriptor, line.encode())
            os.fsync(descriptor)
        finally:
            os.close(descriptor)

    def _ends_with_newline(self):
        with open(self.path, "rb") as handle:
            handle.seek(-1, os.SEEK_END)
            return handle.read(1) == b"\n"
