"""reports/canvas-grades.csv: the gradebook as Canvas's Gradebook import reads it.

Canvas's format (its guide "How do I import grades in the Gradebook?"): a header row whose first five columns are
"Student", "ID", "SIS User ID", "SIS Login ID" and "Section", then one column per assignment, named by the
assignment; a second row "Points Possible" with each assignment's maximum; then one row per student. Canvas matches
a student by any of ID (its own user id: nbgrader's lms_user_id, when the roster has it), SIS User ID or SIS Login
ID (the course's student id). A student with no submission gets 0, as in nbgrader's own export. Moodle's grade
import reads the same file: map "SIS Login ID" to the username and each assignment column to a grade item.
"""
import csv

from nbgrader.api import Gradebook, MissingEntry

from autograder.course import COURSE_ID

IDENTITY_COLUMNS = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
POINTS_POSSIBLE = "Points Possible"


def display_name(student):
    """Canvas's "Last, First", or the id when the roster has no names."""
    names = [name for name in (student.last_name, student.first_name) if name]
    return ", ".join(names) or student.id


def rows(book, assignments=None):
    """The file's rows (lists of strings): header, points possible, a student each."""
    chosen = [assignment for assignment in sorted(book.assignments, key=lambda a: a.name)
              if not assignments or assignment.name in assignments]
    table = [IDENTITY_COLUMNS + [assignment.name for assignment in chosen],
             [POINTS_POSSIBLE, "", "", "", ""] + [_number(assignment.max_score) for assignment in chosen]]
    for student in sorted(book.students, key=lambda student: student.id):
        scores = []
        for assignment in chosen:
            try:
                scores.append(_number(book.find_submission(assignment.name, student.id).score))
            except MissingEntry:
                scores.append("0")
        table.append([display_name(student), student.lms_user_id or "", student.id, student.id, ""] + scores)
    return table


def _number(value):
    return f"{float(value):g}"


def write(course, path, assignments=None):
    with Gradebook(course.db_url, COURSE_ID) as book, open(path, "w", newline="") as file:
        csv.writer(file).writerows(rows(book, assignments))
    return path
