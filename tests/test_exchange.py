"""Collecting from nbgrader's folder exchange takes only what the student it is named for owns: every other folder
is reported with its owner and never replaces a genuine submission. Owners need root to set: these tests run as root
(CI does) on the system's own accounts, daemon and nobody, as a student and another student."""
import os
import pwd
from datetime import datetime, timezone

import pytest

from autograder import collect, exchange
from autograder.course import COURSE_ID, Course
from support import SOURCE_DIR

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="setting files' owners needs root (CI runs as root)")

NOTEBOOK = b'{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}'
STUDENT, OTHER = "daemon", "nobody"  # accounts every Debian system has


@pytest.fixture
def course(tmp_path):
    return Course(tmp_path / "course", source_dir=SOURCE_DIR)


@pytest.fixture
def inbound(tmp_path):
    folder = tmp_path / "exchange" / COURSE_ID / "inbound"
    folder.mkdir(parents=True)
    return folder


def hand_in(inbound, claimed, owner, stamp, text, assignment="01_perceptron"):
    """A submission folder as `owner` would write it, named as `claimed`'s."""
    uid = pwd.getpwnam(owner).pw_uid
    folder = inbound / f"{claimed}+{assignment}+{stamp}+{owner}"
    folder.mkdir()
    (folder / f"{assignment}.ipynb").write_bytes(NOTEBOOK + text.encode())
    (folder / "timestamp.txt").write_text(stamp)
    for path in (folder, *folder.iterdir()):
        os.lchown(path, uid, uid)
    return folder


def collected_text(course, student=STUDENT):
    return (course.submitted / student / "01_perceptron" / "01_perceptron.ipynb").read_bytes()[len(NOTEBOOK):]


def test_a_later_folder_of_another_account_never_replaces_the_students_own(course, inbound):
    hand_in(inbound, STUDENT, STUDENT, "2026-03-01 10:00:00.000000 UTC", "own work")
    hand_in(inbound, STUDENT, OTHER, "2027-01-01 10:00:00.000000 UTC", "forged")
    summary = collect.collect_exchange(course, ["01_perceptron"], inbound.parent.parent)
    assert collected_text(course) == b"own work"
    assert summary.placed == [(STUDENT, "01_perceptron", "")]
    [(where, student, assignment, reason)] = summary.problems
    assert (student, assignment) == (STUDENT, "01_perceptron") and "+nobody" in where
    assert f"claims to be {STUDENT}'s, but" in reason and f"belongs to {OTHER}, not to {STUDENT}" in reason


def test_a_forged_folder_alone_is_not_collected(course, inbound):
    hand_in(inbound, STUDENT, OTHER, "2026-03-01 10:00:00.000000 UTC", "forged")
    summary = collect.collect_exchange(course, ["01_perceptron"], inbound.parent.parent)
    assert summary.placed == [] and not (course.submitted / STUDENT).exists()
    assert len(summary.problems) == 1


@pytest.mark.parametrize("trick", ["symbolic link", "foreign file", "hard link"])
def test_a_folder_the_student_owns_with_something_not_theirs_in_it_is_refused(course, inbound, tmp_path, trick):
    folder = hand_in(inbound, STUDENT, STUDENT, "2026-03-01 10:00:00.000000 UTC", "own work")
    victim = tmp_path / "victim.ipynb"
    victim.write_bytes(NOTEBOOK + b"someone else's")
    if trick == "symbolic link":
        (folder / "extra.ipynb").symlink_to(victim)
        os.lchown(folder / "extra.ipynb", pwd.getpwnam(STUDENT).pw_uid, -1)
        expected = "is a symbolic link"
    elif trick == "foreign file":
        (folder / "extra.ipynb").write_bytes(victim.read_bytes())
        os.chown(folder / "extra.ipynb", pwd.getpwnam(OTHER).pw_uid, -1)
        expected = f"belongs to {OTHER}"
    else:
        os.chown(victim, pwd.getpwnam(STUDENT).pw_uid, -1)
        os.link(victim, folder / "extra.ipynb")
        expected = "is a hard link"
    summary = collect.collect_exchange(course, ["01_perceptron"], inbound.parent.parent)
    assert summary.placed == []
    [(_, _, _, reason)] = summary.problems
    assert expected in reason


def test_a_file_swapped_for_a_link_after_it_was_examined_is_refused_and_the_rest_collected(course, inbound,
                                                                                           tmp_path, monkeypatch):
    own = hand_in(inbound, STUDENT, STUDENT, "2026-03-01 10:00:00.000000 UTC", "own work")
    other = hand_in(inbound, OTHER, OTHER, "2026-03-01 10:00:00.000000 UTC", "theirs")
    examined = exchange.inbound_submissions(inbound, {"01_perceptron"})
    assert [submission.problem for submission in examined] == ["", ""]
    victim = tmp_path / "victim.ipynb"
    victim.write_bytes(NOTEBOOK + b"someone else's")
    (own / "01_perceptron.ipynb").unlink()
    (own / "01_perceptron.ipynb").symlink_to(victim)  # between the examination and the copy
    monkeypatch.setattr(exchange, "inbound_submissions", lambda *args, **kwargs: examined)
    summary = collect.collect_exchange(course, ["01_perceptron"], inbound.parent.parent)
    assert summary.placed == [(OTHER, "01_perceptron", "")] and collected_text(course, OTHER) == b"theirs"
    assert not (course.submitted / STUDENT).exists() or not any((course.submitted / STUDENT).rglob("*.ipynb"))
    [(_, student, _, reason)] = summary.problems
    assert student == STUDENT and "changed while it was collected" in reason
    assert other.exists()


def test_the_time_is_the_file_systems_not_the_claimed_one(course, inbound):
    before = datetime.now(timezone.utc)
    hand_in(inbound, STUDENT, STUDENT, "2020-01-01 00:00:00.000000 UTC", "backdated")
    collect.collect_exchange(course, ["01_perceptron"], inbound.parent.parent)
    written = exchange.existing_time(course.submitted / STUDENT / "01_perceptron")
    assert written is not None and written >= before.replace(microsecond=0)
    again = collect.collect_exchange(course, ["01_perceptron"], inbound.parent.parent)
    assert again.placed == [] and again.unchanged == [(STUDENT, "01_perceptron", "")]


def test_a_missing_inbound_folder_says_what_to_do(course, tmp_path):
    with pytest.raises(exchange.ExchangeError, match="release an assignment to the exchange first"):
        collect.collect_exchange(course, ["01_perceptron"], tmp_path / "nowhere")
