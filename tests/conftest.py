"""Fixtures several test modules share."""
import dataclasses
import fcntl
import json
import os

import pytest

from autograder import leaks, publish


@pytest.fixture(scope="session")
def edition(tmp_path_factory):
    """(folder, commit, the leak scan's report) of the student edition, published once per test run: the test
    processes that run side by side (pytest-xdist) share it, the first to ask publishing it while the others wait.
    Tests read it; one that changes it works on a copy."""
    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base  # the run's folder, above each worker's
    folder, published = shared / "edition" / "course", shared / "edition" / "published.json"
    folder.parent.mkdir(parents=True, exist_ok=True)
    with open(shared / "edition.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not published.exists():
            commit, report = publish.publish(folder, log=lambda line: None)
            print(report.summary())
            published.write_text(json.dumps({"commit": commit, "report": dataclasses.asdict(report)}))
    data = json.loads(published.read_text())
    return folder, data["commit"], leaks.Report(**data["report"])


# Modules that take minutes of one test process, started first so that the others fill the remaining processes
# around them rather than leaving one process to finish them alone at the end.
LONG_MODULES = ("test_hub_end_to_end.py",)


def pytest_collection_modifyitems(items):
    items.sort(key=lambda item: item.path.name not in LONG_MODULES)  # a stable sort: each module keeps its order
