"""The scratch gradebook's shared engine: one per task's database, no fsync, and nobody else's database touched."""
import shutil

import pytest
from nbgrader.api import Gradebook

from autograder import scratch_gradebook
from autograder.course import COURSE_ID


def pragmas(book):
    """(synchronous, journal_mode) of a connection of the gradebook's engine."""
    with book.engine.connect() as connection:
        return (connection.exec_driver_sql("PRAGMA synchronous").scalar(),
                connection.exec_driver_sql("PRAGMA journal_mode").scalar())


NBGRADERS = (2, "delete")  # SQLite's defaults: FULL, a rollback journal in a file


@pytest.fixture(scope="module")
def empty_gradebook(tmp_path_factory):
    """A new gradebook, made once: nbgrader asks alembic, in a subprocess, for every new database."""
    path = tmp_path_factory.mktemp("gradebook") / "empty.db"
    Gradebook(f"sqlite:///{path}", COURSE_ID).close()
    return path


@pytest.fixture
def databases(tmp_path, empty_gradebook):
    """(scratch, course): two copies of an empty gradebook."""
    for name in ("scratch.db", "course.db"):
        shutil.copyfile(empty_gradebook, tmp_path / name)
    return tmp_path / "scratch.db", tmp_path / "course.db"


def test_every_opening_of_the_scratch_gradebook_shares_one_engine_that_does_not_wait_for_the_disk(databases):
    with scratch_gradebook.engines(databases[0]) as url:
        with Gradebook(url, COURSE_ID) as first:
            first.update_or_create_student("ada")
            engine = first.engine
        with Gradebook(url, COURSE_ID) as second:
            assert second.engine is engine
            assert [student.id for student in second.students] == ["ada"]
            assert pragmas(second) == (0, "memory")


def test_any_other_database_opened_meanwhile_gets_nbgraders_own_engine(databases):
    course_url = f"sqlite:///{databases[1]}"
    with scratch_gradebook.engines(databases[0]) as url:
        with Gradebook(url, COURSE_ID) as scratch, Gradebook(course_url, COURSE_ID) as course:
            assert course.engine is not scratch.engine
            assert pragmas(course) == NBGRADERS
        with Gradebook(course_url, COURSE_ID) as course, Gradebook(course_url, COURSE_ID) as again:
            assert course.engine is not again.engine


def test_after_the_task_the_same_database_gets_nbgraders_engine_again(databases):
    with scratch_gradebook.engines(databases[0]) as url:
        with Gradebook(url, COURSE_ID) as book:
            book.update_or_create_student("ada")
            during = book.engine
    with Gradebook(url, COURSE_ID) as book:
        assert book.engine is not during
        assert pragmas(book) == NBGRADERS
        assert [student.id for student in book.students] == ["ada"]  # what was written is there
