"""Bring submissions into nbgrader's layout, submitted/<student>/<assignment>/<file>.

Two sources: nbgrader's folder exchange (for a course on a JupyterHub; owners checked, autograder/exchange.py),
and a folder or zip as a learning-management system hands them out, whose file names
say whose work each file is. The naming pattern has placeholders:

    {student}     the student's id
    {assignment}  an assignment of source/ (then {file} may be any file name)
    {file}        the file's name; without {assignment} it must start with the name of
                  one of the course's notebooks, which tells the assignment
    {timestamp}   when it was handed in (written to timestamp.txt, as nbgrader does)
    *             any text within one folder or file name

The default, "{student}_{file}", reads "alice_01_perceptron.ipynb" and also
"alice_01_perceptron (1).ipynb" (the grader then finds it under its right name). The
pattern may match the whole path inside the folder or zip ("{student}/{assignment}/{file}")
or its end. Every file that cannot be placed is listed with the reason; none is dropped
silently.
"""
import json
import re
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from autograder.errors import CommandError

DEFAULT_PATTERN = "{student}_{file}"
SYSTEM_FILES = re.compile(r"(^|/)(__MACOSX/|\.DS_Store$|Thumbs\.db$|desktop\.ini$)")
PROBLEMS_FILE = "collect-problems.json"


class CollectError(CommandError):
    """The source or the pattern cannot be used."""


@dataclass
class Summary:
    placed: list = field(default_factory=list)      # [(student, assignment, file name)]
    unchanged: list = field(default_factory=list)
    problems: list = field(default_factory=list)    # [(path in the source, student, assignment, reason)]


def notebook_owners(source_dir):
    """{notebook name without .ipynb: assignment} of every assignment in source/."""
    return {path.stem: path.parent.name for path in Path(source_dir).glob("*/*.ipynb")}


def compile_pattern(pattern, assignments, notebooks):
    """The regular expression for a naming pattern (see the module's docstring)."""
    if "{student}" not in pattern or "{file}" not in pattern:
        raise CollectError(f"the pattern {pattern!r} must contain {{student}} and {{file}}, "
                           "e.g. '{student}_{file}' or '{student}/{assignment}/{file}'")

    def alternatives(names):
        return "|".join(re.escape(name) for name in sorted(names, key=len, reverse=True)) or "(?!)"

    pieces = {
        "{student}": r"(?P<student>[^/]+?)",
        "{assignment}": f"(?P<assignment>{alternatives(assignments)})",
        "{file}": r"(?P<file>[^/]+)" if "{assignment}" in pattern else f"(?P<file>(?:{alternatives(notebooks)})[^/]*)",
        "{timestamp}": r"(?P<timestamp>[^/]+?)",
        "*": r"[^/]*?",
    }
    parts = re.split(r"(\{student\}|\{assignment\}|\{file\}|\{timestamp\}|\*)", pattern)
    unknown = re.findall(r"\{\w*\}", "".join(part for part in parts if part not in pieces))
    if unknown:
        raise CollectError(f"unknown placeholder {unknown[0]} in {pattern!r}: use {{student}}, {{assignment}}, "
                           "{file}, {timestamp} or *")
    return re.compile(r"(?:.*/)?" + "".join(pieces.get(part, re.escape(part)) for part in parts))


def _entries(source):
    """[(path inside the source, bytes loader, modification time)] of a folder or a zip file."""
    source = Path(source)
    if source.is_dir():
        return [(path.relative_to(source).as_posix(), path.read_bytes, path.stat().st_mtime)
                for path in sorted(source.rglob("*")) if path.is_file()]
    if zipfile.is_zipfile(source):
        archive = zipfile.ZipFile(source)
        return [(info.filename, lambda info=info: archive.read(info), datetime(*info.date_time).timestamp())
                for info in archive.infolist() if not info.is_dir()]
    raise CollectError(f"{source} is neither a folder nor a zip file")


def _parse_time(text):
    from nbgrader.utils import parse_utc

    try:
        return parse_utc(text.replace("_", " "))
    except (ValueError, OverflowError):
        return None


def collect_files(course, source, pattern=DEFAULT_PATTERN):
    """Place the files of a folder or zip into submitted/ by their names; return a Summary."""
    owners = notebook_owners(course.source_dir)
    regex = compile_pattern(pattern, course.assignments(), owners)
    summary = Summary()
    chosen = {}  # (student, assignment, file) -> (when, inside, loader, timestamp)
    for inside, loader, modified in _entries(source):
        if SYSTEM_FILES.search(inside):
            summary.problems.append((inside, None, None, "a file the operating system added: ignored"))
            continue
        match = regex.fullmatch(inside)
        if not match:
            summary.problems.append((inside, None, None, f"its name does not match the pattern {pattern!r}"))
            continue
        student, name = match["student"].strip(), match["file"]
        assignment = match.groupdict().get("assignment") or owners[max(
            (notebook for notebook in owners if name.startswith(notebook)), key=len)]
        if not student or student.startswith(".") or name.startswith("."):
            summary.problems.append((inside, None, assignment, "no usable student id or file name in it"))
            continue
        timestamp = None
        if match.groupdict().get("timestamp"):
            timestamp = _parse_time(match["timestamp"])
            if timestamp is None:
                summary.problems.append((inside, student, assignment,
                                         f"the time {match['timestamp']!r} is not a date: placed without it"))
        when = timestamp.timestamp() if timestamp else modified
        key = (student, assignment, name)
        if key in chosen:
            older, newer = sorted([chosen[key], (when, inside, loader, timestamp)], key=lambda item: item[0])
            summary.problems.append((older[1], student, assignment,
                                     f"an older copy of {student}/{assignment}/{name}: '{newer[1]}' was kept"))
            chosen[key] = newer
        else:
            chosen[key] = (when, inside, loader, timestamp)
    for (student, assignment, name), (_, _, loader, timestamp) in sorted(chosen.items()):
        folder = course.submitted / student / assignment
        folder.mkdir(parents=True, exist_ok=True)
        data = loader()
        target = folder / name
        if target.exists() and target.read_bytes() == data:
            summary.unchanged.append((student, assignment, name))
            continue
        target.write_bytes(data)
        if timestamp:
            (folder / "timestamp.txt").write_text(str(timestamp))
        summary.placed.append((student, assignment, name))
    save_problems(course, summary)
    return summary


def exchange_root(given=None):
    """The exchange's root folder: the one given, else the one nbgrader's configuration files name (as its own
    commands read them: Jupyter's config folders, a hub's environment among them, and this folder's)."""
    if given:
        return Path(given)
    from nbgrader.apps.baseapp import NbGrader
    from nbgrader.exchange.default.exchange import Exchange

    app = NbGrader()
    app.load_config_file()
    return Path(Exchange(config=app.config).root)


def collect_exchange(course, assignments=None, root=None):
    """Each student's latest own submission of each assignment from nbgrader's folder exchange (owners checked:
    autograder/exchange.py); every folder that is not its student's own is a problem naming its owner."""
    from autograder import exchange

    collected, unchanged, refused = exchange.collect(course, assignments or course.assignments(),
                                                     exchange_root(root))
    summary = Summary(placed=[(student, assignment, "") for student, assignment in collected],
                      unchanged=[(student, assignment, "") for student, assignment in unchanged])
    summary.problems = [(f"exchange: {submission.folder.name}", submission.student, submission.assignment,
                         f"not collected: {submission.problem}") for submission in refused]
    save_problems(course, summary)
    return summary


def save_problems(course, summary):
    """Keep the last collection's problems for the report."""
    course.state.mkdir(parents=True, exist_ok=True)
    (course.state / PROBLEMS_FILE).write_text(json.dumps(
        [{"source": inside, "student": student, "assignment": assignment, "problem": f"{inside}: {reason}"}
         for inside, student, assignment, reason in summary.problems], indent=1))

