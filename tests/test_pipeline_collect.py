"""python -m autograder collect: submissions from a learning-management system's zip or folder, or from
nbgrader's exchange, into submitted/<student>/<assignment>/. Every file is placed or listed with a reason."""
import subprocess
import sys
import zipfile

import pytest
from nbgrader.coursedir import CourseDirectory

from autograder import collect
from autograder.course import Course
from support import SOURCE_DIR

NOTEBOOK = b'{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}'


def lms_zip(path, names):
    with zipfile.ZipFile(path, "w") as archive:
        for name in names:
            archive.writestr(name, NOTEBOOK + name.encode())
    return path


@pytest.fixture
def course(tmp_path):
    return Course(tmp_path / "course", source_dir=SOURCE_DIR)


def placed(course):
    return sorted(path.relative_to(course.submitted).as_posix() for path in course.submitted.rglob("*.ipynb"))


def test_a_zip_named_by_student_and_notebook(course, tmp_path):
    names = ["export/alice_01_perceptron.ipynb", "export/bob_smith_01_perceptron.ipynb",
             "export/carol_01_perceptron (1).ipynb", "export/dave_answers.pdf", "export/README.txt",
             "__MACOSX/export/._alice_01_perceptron.ipynb"]
    summary = collect.collect_files(course, lms_zip(tmp_path / "export.zip", names))
    assert placed(course) == ["alice/01_perceptron/01_perceptron.ipynb", "bob_smith/01_perceptron/01_perceptron.ipynb",
                              "carol/01_perceptron/01_perceptron (1).ipynb"]
    assert (course.submitted / "alice" / "01_perceptron" / "01_perceptron.ipynb").read_bytes().endswith(
        b"export/alice_01_perceptron.ipynb")
    reasons = {inside: reason for inside, _, _, reason in summary.problems}
    assert set(reasons) == {"export/dave_answers.pdf", "export/README.txt",
                            "__MACOSX/export/._alice_01_perceptron.ipynb"}
    assert "does not match the pattern '{student}_{file}'" in reasons["export/README.txt"]
    assert "operating system" in reasons["__MACOSX/export/._alice_01_perceptron.ipynb"]
    assert len(summary.placed) + len(summary.problems) == len(names), "every file is placed or explained"


def test_a_folder_in_nbgraders_own_layout(course, tmp_path):
    for student in ("alice", "bob"):
        folder = tmp_path / "download" / student / "01_perceptron"
        folder.mkdir(parents=True)
        (folder / "01_perceptron.ipynb").write_bytes(NOTEBOOK)
        (folder / "data.csv").write_text("1,2\n")
    (tmp_path / "download" / "alice" / "99_unknown").mkdir()
    (tmp_path / "download" / "alice" / "99_unknown" / "x.ipynb").write_bytes(NOTEBOOK)
    summary = collect.collect_files(course, tmp_path / "download", "{student}/{assignment}/{file}")
    assert sorted(path.relative_to(course.submitted).as_posix() for path in course.submitted.rglob("*.*")) == [
        "alice/01_perceptron/01_perceptron.ipynb", "alice/01_perceptron/data.csv",
        "bob/01_perceptron/01_perceptron.ipynb", "bob/01_perceptron/data.csv"]
    assert [inside for inside, *_ in summary.problems] == ["alice/99_unknown/x.ipynb"]


def test_the_latest_attempt_wins_and_its_time_is_kept_for_nbgrader(course, tmp_path):
    names = ["alice_2026-03-01 10:00:00_01_perceptron.ipynb", "alice_2026-03-02 09:30:00_01_perceptron.ipynb",
             "bob_yesterday_01_perceptron.ipynb"]
    summary = collect.collect_files(course, lms_zip(tmp_path / "attempts.zip", names), "{student}_{timestamp}_{file}")
    kept = (course.submitted / "alice" / "01_perceptron" / "01_perceptron.ipynb").read_bytes()
    assert kept.endswith(names[1].encode())
    when = CourseDirectory().get_existing_timestamp(str(course.submitted / "alice" / "01_perceptron"))
    assert (when.year, when.month, when.day, when.hour, when.minute) == (2026, 3, 2, 9, 30)
    reasons = {inside: reason for inside, _, _, reason in summary.problems}
    assert "an older copy" in reasons[names[0]] and names[1] in reasons[names[0]]
    assert "is not a date" in reasons[names[2]]
    assert (course.submitted / "bob" / "01_perceptron" / "01_perceptron.ipynb").exists()


def test_collecting_again_changes_nothing(course, tmp_path):
    export = lms_zip(tmp_path / "export.zip", ["alice_01_perceptron.ipynb"])
    collect.collect_files(course, export)
    again = collect.collect_files(course, export)
    assert again.placed == [] and again.unchanged == [("alice", "01_perceptron", "01_perceptron.ipynb")]


@pytest.mark.parametrize("pattern, complaint", [("{file}", "must contain {student} and {file}"),
                                                ("{student}_{week}_{file}", "unknown placeholder {week}")])
def test_a_bad_pattern_is_explained(course, tmp_path, pattern, complaint):
    with pytest.raises(collect.CollectError, match=complaint.replace("{", r"\{").replace("}", r"\}")):
        collect.collect_files(course, lms_zip(tmp_path / "export.zip", ["alice_01_perceptron.ipynb"]), pattern)


def test_the_command_line_lists_what_it_could_not_place(course, tmp_path):
    export = lms_zip(tmp_path / "export.zip", ["alice_01_perceptron.ipynb", "notes.txt"])
    result = subprocess.run([sys.executable, "-m", "autograder", "collect", str(export), "--course", str(course.root)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "collected 1 submissions of 1 students" in result.stdout
    assert "could not place 1, or placed with a warning:\n  notes.txt: its name does not match the pattern" \
        in result.stdout


def test_nbgraders_exchange(course, tmp_path):
    exchange = tmp_path / "exchange"
    inbound = exchange / "nn-first-principles" / "inbound"
    for stamp in ("2026-03-01 10:00:00.000000 UTC", "2026-03-02 10:00:00.000000 UTC"):
        folder = inbound / f"alice+01_perceptron+{stamp}+x{stamp[9]}"
        folder.mkdir(parents=True)
        (folder / "01_perceptron.ipynb").write_bytes(NOTEBOOK + stamp.encode())
        (folder / "timestamp.txt").write_text(stamp)
    result = subprocess.run([sys.executable, "-m", "autograder", "collect", "--exchange", str(exchange),
                             "--assignment", "01_perceptron", "--course", str(course.root)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    newest = (course.submitted / "alice" / "01_perceptron" / "01_perceptron.ipynb").read_bytes()
    assert newest.endswith(b"03-02 10:00:00.000000 UTC")
    assert "collected 1 submissions of 1 students from nbgrader's exchange" in result.stdout
    # no account named alice here: the folders are hers if the collecting account wrote them, as it did
    assert "could not place" not in result.stdout
