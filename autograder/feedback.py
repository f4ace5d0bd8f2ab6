"""One HTML feedback file per student and notebook, in feedback/<student>/<assignment>/.

nbgrader's GenerateFeedback renders each autograded notebook with the scores from the
gradebook; the course's configuration adds two steps (autograder/preprocessors.py) so
that the hidden tests, which autograding put back into the test cells, are taken out
again, tracebacks included. A notebook that could not be graded at all (missing, not a
notebook) gets a short page saying why it scored zero. Runs in a pool of local processes
(it reads the course folder, and runs no student code); only files older than their
autograded notebook are made again.
"""
import html
import logging
import multiprocessing
import os
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field

from nbgrader.api import Gradebook
from nbgrader.converters import GenerateFeedback
from nbgrader.converters.base import NbGraderException
from nbgrader.coursedir import CourseDirectory

from autograder.course import COURSE_ID
from autograder.grade import journal_of
from autograder.progress import Progress

PLACEHOLDER = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>body{{font-family:system-ui,sans-serif;max-width:46em;margin:3em auto;line-height:1.5;color:#1f2328}}
.score{{font-size:1.3em;font-weight:bold}}</style></head>
<body><h1>{title}</h1><p class="score">Score: 0 / {max_score:g}</p>
<p>No notebook <code>{notebook}.ipynb</code> could be graded for this assignment:</p>
<ul>{reasons}</ul>
<p>Ask your instructor what to do: a late hand-in of the right file may still be accepted.</p></body></html>
"""


@dataclass
class Summary:
    written: list = field(default_factory=list)
    placeholders: list = field(default_factory=list)
    skipped: list = field(default_factory=list)
    failed: dict = field(default_factory=dict)
    seconds: float = 0.0


def _is_fresh(course, assignment, student):
    autograded = course.autograded / student / assignment
    pages = {path.stem: path.stat().st_mtime for path in (course.feedback / student / assignment).glob("*.html")}
    return all(notebook.stem in pages and pages[notebook.stem] >= notebook.stat().st_mtime
               for notebook in autograded.glob("*.ipynb"))


def render(payload):
    """Run nbgrader's GenerateFeedback for one (assignment, student), in a worker."""
    course, assignment, student = payload
    config = course.config()
    config.CourseDirectory.assignment_id = assignment
    config.CourseDirectory.student_id = student
    log = logging.getLogger("autograder.feedback")
    converter = GenerateFeedback(coursedir=CourseDirectory(config=config), config=config, log=log)
    converter.force = True
    try:
        converter.start()
    except NbGraderException as error:
        return f"nbgrader could not render the feedback ({error})"
    return None


def _output_to(log_path):
    """Send a pool process's stdout and stderr (nbconvert's chatter) to the log, not the progress bar."""
    log = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    os.dup2(log, 1)
    os.dup2(log, 2)


def write_placeholders(course, assignment, student, problems):
    """A page for every notebook of the submission that has no autograded version."""
    written = []
    with Gradebook(course.db_url, COURSE_ID) as book:
        for notebook in book.find_submission(assignment, student).notebooks:
            if (course.autograded / student / assignment / f"{notebook.name}.ipynb").exists():
                continue
            folder = course.feedback / student / assignment
            folder.mkdir(parents=True, exist_ok=True)
            reasons = "".join(f"<li>{html.escape(problem)}</li>" for problem in problems or ["nothing was handed in"])
            (folder / f"{notebook.name}.html").write_text(PLACEHOLDER.format(
                title=html.escape(f"{assignment}: {notebook.name}"), notebook=html.escape(notebook.name),
                max_score=notebook.max_score, reasons=reasons))
            written.append((assignment, student, notebook.name))
    return written


def feedback(course, assignments=None, students=None, workers_count=1, force=False, show_progress=True):
    started = time.monotonic()
    summary = Summary()
    with Gradebook(course.db_url, COURSE_ID) as book:
        wanted = set(assignments or [assignment.name for assignment in book.assignments])
        pairs = sorted((submission.assignment.name, submission.student.id)
                       for assignment in book.assignments if assignment.name in wanted
                       for submission in assignment.submissions
                       if not students or submission.student.id in students)
    journal = journal_of(course).entries()
    jobs = []
    for assignment, student in pairs:
        if (course.autograded / student / assignment).is_dir():
            if force or not _is_fresh(course, assignment, student):
                jobs.append((course, assignment, student))
            else:
                summary.skipped.append((assignment, student))
        if (assignment, student) in journal:  # graded here: what is not autograded could not be graded
            problems = journal[assignment, student]["problems"]
            summary.placeholders += write_placeholders(course, assignment, student, problems)
        elif not (course.autograded / student / assignment).is_dir():
            summary.failed[assignment, student] = "no autograded notebook (graded with another tool?)"

    if jobs:
        progress = Progress(len(jobs), "feedback", enabled=show_progress)
        context = multiprocessing.get_context("spawn")  # no threads or open gradebook carried into the pool
        log = course.state / "logs" / "feedback.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        with ProcessPoolExecutor(max(1, min(workers_count or 1, len(jobs))), mp_context=context,
                                 initializer=_output_to, initargs=(str(log),)) as pool:
            futures = {pool.submit(render, job): job for job in jobs}
            for future in as_completed(futures):
                _, assignment, student = futures[future]
                try:
                    reason = future.result()
                except Exception as error:  # a pool process that died or raised: this page only
                    reason = f"the feedback process failed ({type(error).__name__}: {error})"
                if reason:
                    summary.failed[assignment, student] = reason
                else:
                    summary.written.append((assignment, student))
                progress.advance(failed=bool(reason))
                progress.draw()
        progress.close()
    summary.seconds = time.monotonic() - started
    return summary
