"""The student's own copy (student/work_copy.py): filled once, updated without ever overwriting their work."""
import json
import subprocess
import sys

import pytest

from student import work_copy
from support import REPO_ROOT


def make_course(root, files):
    """A tiny course: {relative path: text} under root."""
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


@pytest.fixture
def course(tmp_path):
    return make_course(tmp_path / "course", {
        "notebooks/01_perceptron_lecture.ipynb": "lecture 01",
        "notebooks/00_notation.md": "notation",
        "release/01_perceptron/01_perceptron.ipynb": "assignment 01",
        "source/01_perceptron/01_perceptron.ipynb": "solutions",
        "notebooks/.ipynb_checkpoints/01_perceptron_lecture-checkpoint.ipynb": "checkpoint",
    })


def test_first_fill_copies_notebooks_and_release_in_the_same_layout_and_no_solutions(course, tmp_path):
    work = tmp_path / "work"
    result = work_copy.update(work, course)
    assert sorted(result.added) == ["notebooks/00_notation.md", "notebooks/01_perceptron_lecture.ipynb",
                                    "release/01_perceptron/01_perceptron.ipynb"]
    assert (work / "release" / "01_perceptron" / "01_perceptron.ipynb").read_text() == "assignment 01"
    assert not (work / "source").exists() and not (work / "notebooks" / ".ipynb_checkpoints").exists()
    assert "+ release/01_perceptron/01_perceptron.ipynb" in result.summary(work)


def test_a_second_update_changes_nothing(course, tmp_path):
    work = tmp_path / "work"
    work_copy.update(work, course)
    again = work_copy.update(work, course)
    assert (again.added, again.updated, again.kept) == ([], [], [])
    assert "already up to date" in again.summary(work)


def test_a_file_the_student_changed_is_never_overwritten(course, tmp_path):
    work = tmp_path / "work"
    work_copy.update(work, course)
    answer = work / "release" / "01_perceptron" / "01_perceptron.ipynb"
    answer.write_text("my answers")
    (course / "release" / "01_perceptron" / "01_perceptron.ipynb").write_text("assignment 01, corrected")
    result = work_copy.update(work, course)
    assert answer.read_text() == "my answers"
    assert [path for path, _ in result.kept] == ["release/01_perceptron/01_perceptron.ipynb"]
    assert result.updated == [] and "yours are kept" in result.summary(work)


def test_a_file_the_student_changed_stays_even_when_the_course_did_not_change(course, tmp_path):
    work = tmp_path / "work"
    work_copy.update(work, course)
    lecture = work / "notebooks" / "01_perceptron_lecture.ipynb"
    lecture.write_text("lecture 01 with my outputs")
    result = work_copy.update(work, course)
    assert lecture.read_text() == "lecture 01 with my outputs"
    assert (result.added, result.updated, result.kept) == ([], [], [])


def test_new_course_notebooks_are_added_and_reported(course, tmp_path):
    work = tmp_path / "work"
    work_copy.update(work, course)
    make_course(course, {"notebooks/02_adaline_lecture.ipynb": "lecture 02",
                         "release/02_adaline/02_adaline.ipynb": "assignment 02"})
    result = work_copy.update(work, course)
    assert result.added == ["notebooks/02_adaline_lecture.ipynb", "release/02_adaline/02_adaline.ipynb"]
    assert (work / "release" / "02_adaline" / "02_adaline.ipynb").read_text() == "assignment 02"
    assert "added 2 file(s)" in result.summary(work)


def test_a_changed_course_notebook_replaces_a_copy_the_student_never_touched(course, tmp_path):
    work = tmp_path / "work"
    work_copy.update(work, course)
    (course / "notebooks" / "01_perceptron_lecture.ipynb").write_text("lecture 01, second edition")
    result = work_copy.update(work, course)
    assert result.updated == ["notebooks/01_perceptron_lecture.ipynb"]
    assert (work / "notebooks" / "01_perceptron_lecture.ipynb").read_text() == "lecture 01, second edition"
    # ... and the record now holds the new version, so a later student edit is protected again.
    record = json.loads((work / work_copy.RECORD_NAME).read_text())["copied"]
    assert record["notebooks/01_perceptron_lecture.ipynb"] == work_copy.sha256(
        course / "notebooks" / "01_perceptron_lecture.ipynb")


def test_a_deleted_copy_is_restored_to_start_over(course, tmp_path):
    work = tmp_path / "work"
    work_copy.update(work, course)
    (work / "release" / "01_perceptron" / "01_perceptron.ipynb").unlink()
    result = work_copy.update(work, course)
    assert result.added == ["release/01_perceptron/01_perceptron.ipynb"]


def test_a_file_of_the_students_own_with_a_course_name_is_kept(course, tmp_path):
    work = make_course(tmp_path / "work", {"notebooks/01_perceptron_lecture.ipynb": "my own notes"})
    result = work_copy.update(work, course)
    assert (work / "notebooks" / "01_perceptron_lecture.ipynb").read_text() == "my own notes"
    assert [path for path, _ in result.kept] == ["notebooks/01_perceptron_lecture.ipynb"]


def test_the_copy_cannot_be_the_repository_itself(course):
    with pytest.raises(SystemExit, match="cannot be the repository"):
        work_copy.update(course, course)


def test_the_command_line_fills_a_copy_of_the_real_course(tmp_path):
    work = tmp_path / "work"
    result = subprocess.run([sys.executable, "-m", "student.work_copy", "--work", str(work)], cwd=REPO_ROOT,
                            capture_output=True, text=True, check=True)
    assert "+ notebooks/01_perceptron_lecture.ipynb" in result.stdout
    assert (work / "release" / "01_perceptron" / "01_perceptron.ipynb").read_bytes() == (
        REPO_ROOT / "release" / "01_perceptron" / "01_perceptron.ipynb").read_bytes()
    assert not (work / "source").exists()
