"""Collect from nbgrader's folder exchange, trusting only what the operating system says: who owns each file, and when
it last changed.

nbgrader's `submit` copies a student's folder to <root>/<course>/inbound/<student>+<assignment>+<time>+<random>.
Everyone in the class may write there, so the name, the time in it and timestamp.txt are whatever the writer chose;
nbgrader's own `collect` only warns when the owner is not the student the name claims, and then takes the folder
(the latest name wins). Here a folder is a student's submission only if that student owns it and everything in it:
- the student has an account on this machine (a hub's users do): the account must own the folder and every file
  in it;
- no such account (a lone instructor trying the course with a local exchange): the account collecting must own
  them, as it wrote them itself.
No symbolic links (they could point at another student's files), no hard links, nothing but folders and plain
files. Every other folder is reported as an attempt with its owner's name and never replaces a genuine submission.
The time of a submission is the latest change the file system recorded in it (its ctime, which no user can set
back), not the time its name claims; timestamp.txt in submitted/ says that time, for nbgrader's late penalties.
"""
import os
import pwd
import shutil
import stat
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from autograder.course import COURSE_ID
from autograder.errors import CommandError

TIMESTAMP_FILE = "timestamp.txt"
SKIPPED_NAMES = {".ipynb_checkpoints", "__pycache__", TIMESTAMP_FILE}  # not the student's work, or not trusted


class ExchangeError(CommandError):
    """The exchange cannot be read."""


@dataclass
class Submission:
    folder: Path
    student: str
    assignment: str
    handed_in: datetime   # the latest ctime in it (UTC)
    problem: str = ""     # why it is not the student's own, "" if it is


def owner_name(uid):
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return f"uid {uid}"


def expected_owner(student, collector_uid):
    """The uid that must own a submission of `student`: their account's, else the collecting account's."""
    try:
        return pwd.getpwnam(student).pw_uid
    except KeyError:
        return collector_uid


def examine(folder, student, assignment, collector_uid):
    """A Submission for one inbound folder: its owner and contents checked without following any link."""
    owner = expected_owner(student, collector_uid)
    latest = 0.0
    problem = ""
    for path in [folder, *sorted(folder.rglob("*"))] if not folder.is_symlink() else [folder]:
        info = path.lstat()
        latest = max(latest, info.st_ctime)
        inside = path.relative_to(folder.parent)
        if stat.S_ISLNK(info.st_mode):
            problem = f"{inside} is a symbolic link"
        elif not (stat.S_ISDIR(info.st_mode) or stat.S_ISREG(info.st_mode)):
            problem = f"{inside} is neither a folder nor a plain file"
        elif info.st_uid != owner:
            problem = f"{inside} belongs to {owner_name(info.st_uid)}, not to {owner_name(owner)}"
        elif stat.S_ISREG(info.st_mode) and info.st_nlink > 1:
            problem = f"{inside} is a hard link to a file elsewhere"
        if problem:
            break
    when = datetime.fromtimestamp(latest, timezone.utc)
    if problem:
        problem = f"it claims to be {student}'s, but {problem} (handing in as another student?)"
    return Submission(folder, student, assignment, when, problem)


def inbound_submissions(inbound, assignments, collector_uid=None):
    """[Submission] of every folder in inbound/ for one of `assignments`."""
    collector_uid = os.geteuid() if collector_uid is None else collector_uid
    found = []
    for folder in sorted(Path(inbound).iterdir()):
        parts = folder.name.split("+")
        if len(parts) < 3 or parts[1] not in assignments:
            continue
        found.append(examine(folder, parts[0], parts[1], collector_uid))
    return found


def latest_genuine(submissions):
    """{(student, assignment): the latest of their own submissions}."""
    chosen = {}
    for submission in submissions:
        key = (submission.student, submission.assignment)
        if not submission.problem and (key not in chosen or submission.handed_in > chosen[key].handed_in):
            chosen[key] = submission
    return chosen


def existing_time(destination):
    try:
        text = (destination / TIMESTAMP_FILE).read_text().strip()
        return datetime.strptime(text, "%Y-%m-%d %H:%M:%S.%f %Z").replace(tzinfo=timezone.utc)
    except (OSError, ValueError):
        return None


def copy_submission(submission, destination):
    """Replace destination with the submission's files, read without following links (a file swapped for a link
    after it was examined is refused by the open itself)."""
    staging = destination.with_name(destination.name + ".collecting")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    for path in sorted(submission.folder.rglob("*")):
        relative = path.relative_to(submission.folder)
        if SKIPPED_NAMES & set(relative.parts):
            continue
        if path.is_dir() and not path.is_symlink():
            (staging / relative).mkdir(parents=True, exist_ok=True)
            continue
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
        with os.fdopen(descriptor, "rb") as source, open(staging / relative, "wb") as target:
            shutil.copyfileobj(source, target)
    (staging / TIMESTAMP_FILE).write_text(submission.handed_in.strftime("%Y-%m-%d %H:%M:%S.%f UTC"))
    if destination.exists():
        shutil.rmtree(destination)
    staging.rename(destination)


def collect(course, assignments, root):
    """Collect each student's latest own submission of `assignments` from the exchange at root into submitted/;
    return (collected [(student, assignment)], unchanged [...], refused [Submission])."""
    inbound = Path(root) / COURSE_ID / "inbound"
    if not inbound.is_dir():
        raise ExchangeError(f"no inbound folder at {inbound}: release an assignment to the exchange first "
                            "(nbgrader release_assignment), or give the exchange's root with --exchange DIR")
    try:
        submissions = inbound_submissions(inbound, set(assignments))
    except PermissionError as error:
        raise ExchangeError(f"cannot read {inbound} ({error.strerror}): collect as the course's instructor or root")
    collected, unchanged = [], []
    for (student, assignment), submission in sorted(latest_genuine(submissions).items()):
        destination = course.submitted / student / assignment
        before = existing_time(destination)
        if before is not None and before >= submission.handed_in:
            unchanged.append((student, assignment))
            continue
        try:
            copy_submission(submission, destination)
        except OSError as error:  # e.g. a file swapped for a link after it was examined: refused, the rest go on
            shutil.rmtree(destination.with_name(destination.name + ".collecting"), ignore_errors=True)
            submission.problem = f"it changed while it was collected ({error.strerror or error}): collect again"
            continue
        collected.append((student, assignment))
    return collected, unchanged, [submission for submission in submissions if submission.problem]
