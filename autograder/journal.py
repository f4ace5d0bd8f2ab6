"""The grading journal: one line when a submission's grading starts, one when its grades are committed.

A run killed at any moment leaves every finished submission in the journal and in the
gradebook, and nothing else: a rerun grades only what is missing. A line cut short by
the kill is ignored (that submission is graded again, and overwrites its own grades).
A submission started twice without finishing (its grading killed the grader twice) is
set aside for grading by hand rather than stop every rerun in the same place.
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


STARTED = "started"
# Where a course keeps its journal, under the pipeline's own state folder (Course.state).
JOURNAL_NAME = "journal.jsonl"


def journal_path(state_folder):
    return Path(state_folder) / JOURNAL_NAME


class Journal:
    def __init__(self, path):
        self.path = Path(path)

    def _lines(self):
        if not self.path.exists():
            return
        for line in self.path.read_text().splitlines():
            try:
                entry = json.loads(line)
                key = entry["assignment"], entry["student"]
            except (ValueError, KeyError, TypeError):
                continue  # the tail of a run that was killed mid-line
            yield key, entry

    def entries(self):
        """{(assignment, student): the latest finished entry}."""
        return {key: entry for key, entry in self._lines() if not entry.get(STARTED)}

    def unfinished_starts(self):
        """{(assignment, student): how often its grading started, with the same files, since it last finished}."""
        counts = {}
        for key, entry in self._lines():
            if not entry.get(STARTED):
                counts.pop(key, None)
            elif counts.get(key, (None, 0))[0] == entry.get("fingerprint"):
                counts[key] = (entry.get("fingerprint"), counts[key][1] + 1)
            else:
                counts[key] = (entry.get("fingerprint"), 1)
        return {key: (fingerprint, count) for key, (fingerprint, count) in counts.items()}

    def start(self, assignment, student, fingerprint):
        """Say, before it runs, that a submission's grading starts (fsynced: it survives the grader's death)."""
        self.append({"assignment": assignment, "student": student, "fingerprint": fingerprint, STARTED: True})

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
