"""Grade one submission with nbgrader's Autograde, in a scratch course of its own (runs in a worker).

The scratch course has a copy of a gradebook holding only the assignments' definitions
and a copy of the student's folder, made gradable by intake.prepare. What comes back is
plain data: the grades and comments nbgrader recorded, the path of the autograded
notebooks, and what went wrong, in words. The parent writes it all into the course.
"""
import logging
import os
import shutil
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook
from nbgrader.converters import Autograde
from nbgrader.converters.base import NbGraderException
from nbgrader.coursedir import CourseDirectory

from autograder import intake, preprocessors, problems, reach
from autograder.course import COURSE_ID, Course


@dataclass(frozen=True)
class Job:
    assignment: str
    student: str
    fingerprint: str
    extension_seconds: float | None = None
    deaths: int = 0  # how often grading it killed the grader already


@dataclass(frozen=True)
class Setup:
    """What a worker needs besides the job: sent along with each one."""

    course: Course
    template: str
    scratch: str
    notebooks: dict  # {assignment: {notebook: {cell id: handed-out source if locked}}} of the graded ones
    known: dict      # the same for every assignment in source/, to name a notebook handed in by mistake


class _Captured(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def _logger(handler):
    logger = logging.getLogger(f"autograder.worker.{os.getpid()}")
    logger.handlers[:] = [handler]
    logger.setLevel(logging.WARNING)
    logger.propagate = False
    return logger


def _score_missing(db_url, assignment, student, timestamp):
    """Nothing gradable was handed in: the zero nbgrader autograde gives a missing notebook
    (it gives it only when another notebook of the assignment is there)."""
    with Gradebook(db_url, COURSE_ID) as book:
        book.update_or_create_student(student)
        if timestamp:
            submission = book.update_or_create_submission(assignment, student, timestamp=timestamp)
        else:
            submission = book.update_or_create_submission(assignment, student)
        for notebook in submission.notebooks:
            for grade in notebook.grades:
                grade.auto_score, grade.needs_manual_grade = 0, False
        book.db.commit()


def _read_result(db_url, job, autograded):
    with Gradebook(db_url, COURSE_ID) as book:
        submission = book.find_submission(job.assignment, job.student)
        return submission.timestamp, {
            notebook.name: {"late_penalty": notebook.late_submission_penalty,
                            "autograded": (autograded / f"{notebook.name}.ipynb").exists(),
                            "grades": {grade.name: (grade.auto_score, grade.needs_manual_grade)
                                       for grade in notebook.grades},
                            "comments": {comment.name: comment.auto_comment for comment in notebook.comments}}
            for notebook in submission.notebooks}


def autograde_submission(payload):
    """Grade one submission with nbgrader's Autograde in a scratch course; return plain data."""
    setup, job = payload
    course, started = setup.course, time.monotonic()
    work = Path(setup.scratch) / f"worker-{os.getpid()}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    database = work / "gradebook.db"
    shutil.copyfile(setup.template, database)
    db_url = f"sqlite:///{database}"
    folder = work / "submitted" / job.student / job.assignment
    expected = setup.notebooks[job.assignment]
    found = intake.prepare(course.submitted / job.student / job.assignment, folder, expected, setup.known)
    if job.extension_seconds is not None:
        with Gradebook(db_url, COURSE_ID) as book:
            book.update_or_create_student(job.student)
            book.update_or_create_submission(job.assignment, job.student,
                                             extension=timedelta(seconds=job.extension_seconds))
    config = course.config()
    for name, value in {"root": str(work), "db_url": db_url, "submitted_directory": "submitted",
                        "autograded_directory": "autograded", "assignment_id": job.assignment,
                        "student_id": job.student}.items():
        config.CourseDirectory[name] = value
    coursedir = CourseDirectory(config=config)
    captured = _Captured()
    if any(folder.glob("*.ipynb")):
        converter = Autograde(coursedir=coursedir, config=config, log=_logger(captured))
        converter.force = True
        try:
            converter.start()
        except NbGraderException:
            pass  # its reasons are in the captured log
        no_kernel = [message for message in captured.messages if preprocessors.KernelStartError.__name__ in message]
        if no_kernel:  # nothing of the student's ran: a failure of the grader, tried again by the next run
            raise RuntimeError(no_kernel[0].strip().splitlines()[-1])
    else:
        _score_missing(db_url, job.assignment, job.student, coursedir.get_existing_timestamp(str(folder)))
    autograded = work / "autograded" / job.student / job.assignment
    timestamp, notebooks = _read_result(db_url, job, autograded)
    found += problems.from_nbgrader_log(captured.messages)
    for path in sorted(autograded.glob("*.ipynb")):
        notebook = nbformat.read(path, as_version=4)
        found += problems.from_outputs(notebook, course.limits) + reach.from_notebook(notebook)
    return {"timestamp": timestamp, "notebooks": notebooks, "problems": list(dict.fromkeys(found)),
            "autograded": str(autograded) if autograded.is_dir() else None, "seconds": time.monotonic() - started}
