"""python -m autograder publish DIR: the student edition of the course, a git repository of its own.

What a graded class gets: the lectures and the notation page (notebooks/), the released assignments (release/), the
data, and the student package: helpers' public modules (datasets, plotting, gradcheck, the test cells' tables), the specs (what each
assignment's visible tests check), and, for the reference (helpers/reference) and the catalogues and answers
(helpers/answers), stand-ins that answer from a record (helpers/replay.py): every call the lectures and the visible
tests made of them, run here with the instructor's solutions (autograder/record.py), a lecture's widgets over all their
sliders' values, a lecture's long studies (helpers.replay.study) as their results. Nothing else of the course: no
source/, no solution, no hidden test, no answer, no reference code. The leak scan (autograder/leaks.py) checks the
edition, and its history, before anything is committed.

Publishing again after a course change adds a commit (nothing when nothing changed); a student's own copy lives in
the edition's git-ignored work/ (made by its `make lab`, student/work_copy.py), which publishing never touches.
"""
import json
import math
import os
import shutil
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from pathlib import Path

import nbformat
from helpers.notebook_client import NotebookClient

import helpers
from autograder import leaks, record, submissions
from autograder.course import RELEASE_DIR, REPO_ROOT, SOURCE_DIR, assignments
from autograder.errors import CommandError

EDITION_TEMPLATE = Path(__file__).parent / "edition"
LECTURES_DIR = REPO_ROOT / "notebooks"
# helpers' modules a student's edition holds as they are: the rest is the grading side (helpers/__init__.py).
PUBLIC_MODULES = ("__init__", "datasets", "plotting", "gradcheck", "grading", "place", "codecheck", "notebook_loops",
                  "cputime", "replay", "loops", "notebook_client")
REPLAYED_PACKAGES = ("reference", "answers")
MARKER = ".course-edition.json"  # in every edition: what it was published from; publish refuses other folders
CELL_TIMEOUT = 900
AUTHOR = ["-c", "user.name=Course publisher", "-c", "user.email=publisher@course.invalid"]


class PublishError(CommandError):
    """The edition could not be published: nothing was committed."""


# -- the record ------------------------------------------------------------------------------------------------


def _recording_notebook(notebook, record_path):
    """The notebook with a first cell that starts recording and a last one that saves the record."""
    notebook = nbformat.from_dict(json.loads(json.dumps(notebook)))
    notebook.cells.insert(0, nbformat.v4.new_code_cell("import autograder.record as _course_record\n"
                                                       "_course_record.install()"))
    notebook.cells.append(nbformat.v4.new_code_cell(f"_course_record.save({str(record_path)!r})"))
    for cell in notebook.cells:
        cell.pop("id", None)
    return notebook


def _run_recorded(notebook, folder, record_path):
    client = NotebookClient(_recording_notebook(notebook, record_path), timeout=CELL_TIMEOUT, kernel_name="python3",
                            resources={"metadata": {"path": str(folder)}})
    try:
        client.execute()
    except Exception as error:  # a lecture or a solution that fails here would fail in the edition too
        raise PublishError(f"{notebook.metadata.get('course_label', folder)} did not run while recording the "
                           f"course's answers: {str(error)[-1500:]}") from error


def notebooks_to_record(source_dir=SOURCE_DIR, release_dir=RELEASE_DIR, lectures_dir=LECTURES_DIR):
    """[(label, notebook, folder)]: every lecture of lectures_dir (none when it is None), and every released
    assignment with the solutions filled in."""
    found = []
    for path in edition_lectures(lectures_dir) if lectures_dir else []:
        notebook = nbformat.read(path, as_version=4)
        notebook.metadata["course_label"] = f"lecture {path.name}"
        found.append((path.name, notebook, path.parent))
    for assignment in assignments(source_dir):
        for source in sorted((Path(source_dir) / assignment).glob("*.ipynb")):
            released = nbformat.read(Path(release_dir) / assignment / source.name, as_version=4)
            filled = submissions.fill_answers(released, submissions.solutions(nbformat.read(source, as_version=4)))
            filled.metadata["course_label"] = f"{assignment}/{source.name} with the solutions"
            found.append((f"{assignment}/{source.name}", filled, Path(release_dir) / assignment))
    return found


def edition_lectures(lectures_dir=LECTURES_DIR):
    """The lecture notebooks the edition holds."""
    return sorted(Path(lectures_dir).glob("*.ipynb"))


def record_course(scratch, log=print, workers=None, lectures_dir=LECTURES_DIR):
    """Run every lecture and every assignment with its solutions, recording the course's answers; return the path of
    the merged record."""
    scratch = Path(scratch)
    to_record = notebooks_to_record(lectures_dir=lectures_dir)
    paths = [scratch / f"record-{index}.json" for index in range(len(to_record))]
    log(f"recording the course's answers: {len(to_record)} notebooks (the assignments with the solutions"
        + (", and the lectures)" if lectures_dir else ")"))
    with ThreadPoolExecutor(max_workers=workers or os.cpu_count() or 1) as pool:
        list(pool.map(lambda item: _run_recorded(item[0][1], item[0][2], item[1]), zip(to_record, paths)))
    merged = scratch / "recorded.json"
    count = record.merge(paths, merged)
    log(f"recorded {count} answers of the course ({merged.stat().st_size / 2**20:.1f} MB)")
    return merged


# -- the files -----------------------------------------------------------------------------------------------


def stub_source(module):
    """A module of the student's edition standing in for one of helpers.reference or helpers.answers: each public
    function answers from the record (or, where the module names one in REPLAY_FALLBACKS, from a public loop
    version), each public function it takes from a public module is imported from there, each plain constant keeps
    its value; nothing else of the module is there."""
    own = record.recorded_functions(module)
    fallbacks = getattr(module, "REPLAY_FALLBACKS", {})
    lines = [f'"""Stands in for the course\'s {module.__name__} in this edition: each function answers from the record '
             'of\nthe course\'s answers (helpers/replay.py); the course\'s own code is the grader\'s."""']
    public = sorted((value.__module__, value.__name__, name) for name, value in vars(module).items()
                    if callable(value) and not name.startswith("_") and name not in own
                    and getattr(value, "__module__", "").removeprefix("helpers.") in PUBLIC_MODULES)
    # a function imported under another name keeps it (shallow_squared's train_step_per_unit is helpers.loops'
    # squared_error_step_per_unit)
    lines += [f"from {source} import {original}" + (f" as {name}" if name != original else "")
              for source, original, name in public]
    lines += ["from helpers.replay import stand_in", ""]
    for name, value in vars(module).items():
        if name in own:
            fallback = f", fallback={fallbacks[name]}" if name in fallbacks else ""
            lines.append(f"{name} = stand_in({module.__name__ + '.' + name!r}{fallback})")
        elif name.isupper() and name not in ("ANSWERS", "REPLAY_FALLBACKS") and _is_plain_literal(value):
            lines.append(f"{name} = {value!r}")
    return "\n".join(lines) + "\n"


def _is_plain_literal(value):
    """True for a value whose repr is Python that gives it back: a bool, int, finite float, str, or a tuple of them."""
    if isinstance(value, tuple):
        return all(_is_plain_literal(item) for item in value)
    return isinstance(value, (bool, int, str)) or (isinstance(value, float) and math.isfinite(value))


def write_edition(stage, record_path, commit):
    """Write the edition's files into stage (an empty folder)."""
    import importlib
    import pkgutil

    stage = Path(stage)
    shutil.copytree(EDITION_TEMPLATE, stage, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__"))
    (stage / "gitignore").rename(stage / ".gitignore")
    (stage / "notebooks").mkdir()
    for path in [LECTURES_DIR / "00_notation.md", *edition_lectures()]:
        shutil.copy2(path, stage / "notebooks" / path.name)
    shutil.copytree(RELEASE_DIR, stage / "release", ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    package = Path(helpers.__file__).parent
    target = stage / "helpers"
    target.mkdir()
    for name in PUBLIC_MODULES:
        shutil.copy2(package / f"{name}.py", target / f"{name}.py")
    shutil.copytree(package / "data", target / "data", ignore=shutil.ignore_patterns("recorded.json"))
    shutil.copy2(record_path, target / "data" / "recorded.json")
    shutil.copytree(package / "specs", target / "specs", ignore=shutil.ignore_patterns("__pycache__"))
    for package_name in REPLAYED_PACKAGES:
        folder = target / package_name
        folder.mkdir()
        parent = importlib.import_module(f"helpers.{package_name}")
        (folder / "__init__.py").write_text(
            f'"""Stands in for the course\'s helpers.{package_name} in this edition: its modules answer from the '
            'record of the\ncourse\'s answers (helpers/replay.py)."""\n\nREPLAYED = True\n')
        for info in pkgutil.iter_modules(parent.__path__):
            module = importlib.import_module(f"helpers.{package_name}.{info.name}")
            (folder / f"{info.name}.py").write_text(stub_source(module))
    shutil.copytree(REPO_ROOT / "student", stage / "student",
                    ignore=shutil.ignore_patterns("__pycache__", "grade_me.py"))
    shutil.copy2(REPO_ROOT / "constraints.txt", stage / "constraints.txt")
    (stage / MARKER).write_text(json.dumps({"course_commit": commit}, indent=1) + "\n")


# -- the repository ------------------------------------------------------------------------------------------


def _git(folder, *args, capture=True):
    result = subprocess.run(["git", "-C", str(folder), *AUTHOR, *args], capture_output=capture, text=True)
    if result.returncode:
        raise PublishError(f"git {' '.join(args)} failed in {folder}: {result.stderr.strip()}")
    return result.stdout.strip()


def course_commit():
    """The course's commit, with '+changes' when its work tree differs from it (or '' outside git)."""
    try:
        commit = _git(REPO_ROOT, "rev-parse", "--short", "HEAD")
        dirty = _git(REPO_ROOT, "status", "--porcelain", "--untracked-files=no")
    except (PublishError, FileNotFoundError):
        return ""
    return commit + ("+changes" if dirty else "")


def _check_destination(dest):
    if dest.exists() and not dest.is_dir():
        raise PublishError(f"{dest} is a file: give publish a folder (new, empty, or an edition published before)")
    if dest.resolve() == REPO_ROOT.resolve() or REPO_ROOT.resolve() in dest.resolve().parents:
        raise PublishError(f"{dest} is inside the course's own repository: publish the edition somewhere else")
    if dest.is_dir() and any(dest.iterdir()) and not (dest / MARKER).exists():
        raise PublishError(f"{dest} is neither empty nor an edition published before (it has no {MARKER}): "
                           "publish into a new or empty folder, so nothing of yours is replaced")


def _replace_tracked_files(stage, dest):
    """dest's tracked files become stage's; the git-ignored ones (a student's work/, .venv/) stay as they are."""
    for path in _git(dest, "ls-files", "-z").split("\0"):
        if path:
            (dest / path).unlink(missing_ok=True)
    for path in sorted(stage.rglob("*")):
        if path.is_file():
            target = dest / path.relative_to(stage)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)
    for folder in sorted((p for p in dest.rglob("*") if p.is_dir() and ".git" not in p.parts), reverse=True):
        if not any(folder.iterdir()):
            folder.rmdir()


def publish(dest, log=print, workers=None):
    """Write or update the student edition in dest; return (the commit, or '' when nothing changed, the leak scan's
    report)."""
    dest = Path(dest)
    _check_destination(dest)
    commit = course_commit()
    with tempfile.TemporaryDirectory(prefix="edition-") as scratch:
        record_path = record_course(scratch, log, workers)
        stage = Path(scratch) / "edition"
        stage.mkdir()
        write_edition(stage, record_path, commit)
        report = leaks.scan(stage)
        if report.hits:
            leaks.print_report(report)
            raise PublishError(f"the edition would hold {len(report.hits)} graded items (listed above): nothing was "
                               "published")
        dest.mkdir(parents=True, exist_ok=True)
        if not (dest / ".git").exists():
            _git(dest, "init", "--quiet", "--initial-branch=main")
        _replace_tracked_files(stage, dest)
    _git(dest, "add", "--all")
    if subprocess.run(["git", "-C", str(dest), "diff", "--cached", "--quiet"]).returncode == 0:
        log(f"the edition in {dest} is already up to date: no commit")
        return "", leaks.scan(dest)
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    _git(dest, "commit", "--quiet", "-m", f"The course as of {stamp}" + (f" (course {commit})" if commit else ""))
    published = _git(dest, "rev-parse", "--short", "HEAD")
    report = leaks.scan(dest)
    if report.hits:  # the history too: an earlier edition's commit that held something
        leaks.print_report(report)
        raise PublishError(f"{len(report.hits)} graded items are in the edition's git history (listed above): make a "
                           "new edition in an empty folder and serve that one")
    return published, report
