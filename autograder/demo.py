"""The instructor's whole job on a synthetic class, in a throwaway course: `python -m autograder demo`.

The class is made of the course's own material: every student hands in, for each
assignment, the instructor's solutions, a blank copy, or one of the fixtures in
examples/submissions/<assignment>/ (typical mistakes, each stating the scores it
must get). A few students add the usual accidents: a file that is not a notebook, a
notebook under a name the learning-management system made up, a missing hand-in.
The class arrives as a learning-management system's zip, and the pipeline takes it
from there: collect, grade, feedback, report.
"""
import json
import tempfile
import textwrap
import zipfile
from dataclasses import replace
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook

from autograder import release, submissions
from autograder.course import COURSE_ID, REPO_ROOT, SOURCE_DIR, Course
from autograder.errors import CommandError

EXAMPLES_DIR = REPO_ROOT / "examples" / "submissions"
DEFAULT_STUDENTS = 30
# Which variant a student hands in, by position: mostly solutions and fixtures, some blanks.
SCHEDULE = ["solutions", 0, "solutions", 1, "blank", "solutions", 2, 3, "solutions", 4]


def make_course(root, assignments, source_dir=SOURCE_DIR, db_url=None):
    """A course directory with nbgrader_config.py (so nbgrader's own commands work there too),
    release/ and the gradebook holding the assignments; source/ stays where it is."""
    root = Path(root).resolve()
    root.mkdir(parents=True, exist_ok=True)
    (root / "nbgrader_config.py").write_text(textwrap.dedent(f"""\
        # A throwaway course made by autograder.demo.make_course.
        from autograder.course import nbgrader_config
        c = get_config()
        c.merge(nbgrader_config({str(root)!r}, db_url={db_url!r}, source_dir={str(source_dir)!r}))
        """))
    course = Course(root, db_url=db_url, source_dir=Path(source_dir))
    for assignment in assignments:
        release.generate(assignment, release_dir=root / "release", source_dir=source_dir, db_url=course.db_url)
    release.clean_generated_files(root / "release")
    return course


def student_ids(count):
    return [f"student{number:02d}" for number in range(1, count + 1)]


def plan_cohort(students, assignments, variant_names):
    """{(student, assignment): variant}: each student a different mix across assignments."""
    chosen = {}
    for a, assignment in enumerate(assignments):
        fixtures = [name for name in variant_names[assignment]
                    if name not in ("solutions", "blank") and not name.startswith(submissions.TRICKS)]
        for s, student in enumerate(students):
            slot = SCHEDULE[(s + 3 * a) % len(SCHEDULE)]
            if isinstance(slot, int):
                slot = fixtures[slot % len(fixtures)] if fixtures else "solutions"
            chosen[student, assignment] = slot
    return chosen


def notebooks_of(course, assignment):
    """[(source notebook, release notebook, file name)] of one assignment."""
    return [(nbformat.read(path, as_version=4),
             nbformat.read(course.root / "release" / assignment / path.name, as_version=4), path.name)
            for path in release.notebooks(course.source_dir / assignment)]


def cohort_files(course, chosen, fixtures_dir=EXAMPLES_DIR):
    """{(student, assignment, file name): notebook} for the planned cohort."""
    files = {}
    for assignment in sorted({assignment for _, assignment in chosen}):
        for source, handed_out, name in notebooks_of(course, assignment):
            answers = submissions.variants(source, Path(fixtures_dir) / assignment)
            for (student, planned_assignment), variant in chosen.items():
                if planned_assignment == assignment:
                    files[student, assignment, name] = submissions.fill_answers(handed_out, answers[variant])
    return files


def expected_scores(course, chosen, fixtures_dir=EXAMPLES_DIR):
    """{(student, assignment, notebook, grade_id): score} the cohort must get."""
    expected = {}
    for (student, assignment), variant in chosen.items():
        for source, _, name in notebooks_of(course, assignment):
            for cell, score in submissions.expected_scores(source, variant, Path(fixtures_dir) / assignment).items():
                expected[student, assignment, Path(name).stem, cell] = score
    return expected


def write_submitted(course, files):
    """Place the files in nbgrader's submitted/<student>/<assignment>/ layout."""
    for (student, assignment, name), notebook in files.items():
        submissions.write_submission(notebook, course.root, student, assignment, name)


# The accidents a few students have, on top of their planned variant (see demo()).
NOT_A_NOTEBOOK = "handed in a file that is not a notebook"
RENAMED = "notebook renamed by a download"
MISSING = "handed in nothing"


def add_accidents(files, students, assignments):
    """Make the last three students' hand-ins go wrong; return {(student, assignment): accident}."""
    accidents = {}
    if len(students) < 4:
        return accidents
    first, last = assignments[0], assignments[-1]
    for (student, assignment, name) in list(files):
        if (student, assignment) == (students[-1], first):
            files[student, assignment, name] = b"I wrote my answers in a Word file, see attachment.\n"
            accidents[student, assignment] = NOT_A_NOTEBOOK
        elif (student, assignment) == (students[-2], first):
            files[student, assignment, name.replace(".ipynb", " (1).ipynb")] = files.pop((student, assignment, name))
            accidents[student, assignment] = RENAMED
        elif (student, assignment) == (students[-3], last):
            del files[student, assignment, name]
            accidents[student, assignment] = MISSING
    return accidents


def write_lms_zip(path, files):
    """The class as a learning-management system exports it: one zip, files named <student>_<file>."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for (student, _, name), content in sorted(files.items()):
            data = content if isinstance(content, bytes) else nbformat.writes(content).encode()
            archive.writestr(f"submissions/{student}_{name}", data)


def demo(directory=None, assignments=None, students=DEFAULT_STUDENTS, workers_count=1, limits=None,
         fixtures_dir=EXAMPLES_DIR, show_progress=True, say=print, scheduler=None):
    """Build a synthetic class in a throwaway course, run collect, grade, feedback and report on it;
    return the path of the report."""
    from autograder import collect, feedback, grade, problems, report

    root = Path(directory) if directory else Path(tempfile.mkdtemp(prefix="autograder-demo-"))
    if root.exists() and any(root.iterdir()):
        raise CommandError(f"{root} is not empty: give the demo a new or empty folder")
    assignments = list(assignments or Course(root / "course").assignments())
    say(f"demo course in {root / 'course'}: {students} students, {', '.join(assignments)}")
    course = make_course(root / "course", assignments)
    if limits:
        course = replace(course, limits=limits)
    people = student_ids(students)
    with Gradebook(course.db_url, COURSE_ID) as book:  # the class list, as `nbgrader db student import` makes it
        for student in people:
            book.update_or_create_student(student)
    first_notebook = {assignment: notebooks_of(course, assignment)[0][0] for assignment in assignments}
    chosen = plan_cohort(people, assignments, {
        assignment: list(submissions.variants(source, Path(fixtures_dir) / assignment))
        for assignment, source in first_notebook.items()})
    files = cohort_files(course, chosen, fixtures_dir)
    accidents = add_accidents(files, people, assignments)
    (root / "cohort.json").write_text(json.dumps(
        {student: {assignment: {"variant": chosen[student, assignment],
                                "accident": accidents.get((student, assignment))} for assignment in assignments}
         for student in people}, indent=1))
    export = root / "lms-export.zip"
    write_lms_zip(export, files)

    collected = collect.collect_files(course, export)
    say(f"collect: {len(collected.placed)} files from {export.name} into submitted/")
    graded = grade.grade(course, assignments, workers_count=workers_count, show_progress=show_progress,
                         scheduler=scheduler)
    serious = [key for key, sentences in graded.problems.items() if not all(map(problems.is_note, sentences))]
    say(f"grade:   {len(graded.graded)} submissions in {graded.seconds:.0f} s with {graded.workers} workers, "
        f"{len(serious)} with problems")
    written = feedback.feedback(course, assignments, workers_count=workers_count, show_progress=show_progress)
    say(f"feedback: {len(written.written) + len(written.placeholders)} submissions, in {course.feedback}")
    csv_path, html_path = report.report(course, assignments)
    say(f"grades:  {csv_path}")
    say(f"report:  {html_path}")
    return html_path
