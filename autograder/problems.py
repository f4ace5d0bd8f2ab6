"""What went wrong with a submission, in one sentence each, for the instructor and the report.

Two sources: nbgrader's own warnings while it sanitizes a notebook (a deleted test
cell, a duplicated id, a changed cell type...), and the outputs of the autograded
notebook (a cell stopped by the time limit, a dead kernel, input(), sys.exit()...).
"""
import re

from autograder import preprocessors
from helpers import grading

HARMLESS = "not counted"  # in every sentence about something that cost no points

# nbgrader's warnings while it sanitizes a notebook, and what they mean for the student.
NBGRADER_WARNINGS = [
    (r"Attribute 'cell_type' for cell (\S+) has changed! \(should be: (\w+), got: (\w+)\)",
     "cell '{0}' was changed into a {2} cell: nbgrader turned it back into {1}"),
    (r"Attribute 'locked' for cell (\S+) has changed", "cell '{0}' was unlocked: nbgrader locked it again"),
    (r"Attribute 'points' for cell (\S+) has changed", "the points of '{0}' were changed: nbgrader restored them"),
    (r"Cell with id '(\S+)' exists multiple times", "cell '{0}' appears more than once (copied?): nbgrader graded "
                                                    "the last copy"),
    (r"Missing grade cell (\S+) encountered", "test cell '{0}' was deleted: nbgrader put it back and ran it"),
    (r"Cell '(\S+)' does not exist in the database", "cell '{0}' is not part of the assignment: run as ordinary code"),
    (r"is (\S+) seconds late", "handed in late ({0} s after the due date)"),
]
# Said of every test cell with hidden tests (intake.edited_cells tells a real edit), or said better elsewhere.
IGNORED_WARNINGS = ("Attribute 'checksum'", "No submitted file", "Skipping unknown notebook", "Timeout waiting",
                    "Interrupting kernel", "Kernel died", "stopped the kernel", "Removing failed", "Please see")


def from_nbgrader_log(messages):
    problems = []
    for message in messages:
        for pattern, sentence in NBGRADER_WARNINGS:
            match = re.search(pattern, message)
            if match:
                problems.append(sentence.format(*match.groups()))
                break
        else:
            if message.startswith("There was an error processing assignment"):
                continue  # the traceback that follows says more
            if "Traceback (most recent call last)" in message:
                problems.append(f"nbgrader could not grade the notebook ({message.strip().splitlines()[-1]}): "
                                "its cells score 0 and need grading by hand")
            elif not any(ignored in message for ignored in IGNORED_WARNINGS):
                problems.append(f"nbgrader: {message.splitlines()[0]}")
    return problems


def _cell_name(cell, index):
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") or f"cell {index + 1}"


def from_outputs(notebook, limits, test_cells):
    """What the autograded notebook's outputs show went wrong beyond failing tests. test_cells: the ids of the
    assignment's test cells, the only cells whose results the grader wrote (an answer cell can display anything)."""
    problems = []
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code":
            continue
        name = _cell_name(cell, index)
        is_test = cell.metadata.get("nbgrader", {}).get("grade_id") in test_cells
        for output in cell.get("outputs", []):
            kind = output.get("ename") if output.output_type == "error" else output.get("name")
            text = output.get("text", "") + str(output.get("data", {}).get("text/plain", ""))
            if kind == preprocessors.KERNEL_DIED:
                problems.append(f"the kernel died in '{name}' (os._exit, a crash, or memory): that cell scores 0, "
                                "the cells after it were graded in a fresh kernel")
            elif kind == preprocessors.UNINTERRUPTIBLE:
                problems.append(f"'{name}' ran longer than {limits.cell_timeout} s and was stopped (an endless loop?)")
            elif kind == "MemoryError" or (is_test and "MemoryError" in text):
                problems.append(f"'{name}' ran out of memory (the limit is {limits.memory_bytes / 2**30:g} GB)")
            elif kind == "StdinNotImplementedError":
                problems.append(f"'{name}' calls input(), which nobody can answer while grading")
            elif kind == "SystemExit":
                problems.append(f"'{name}' calls sys.exit() or exit()")
            if preprocessors.TRUNCATED.split(":")[0] in text:
                problems.append(f"'{name}' printed more than {limits.max_output_chars:,} characters: output truncated")
            if kind == "stderr":
                problems.append(f"test cell '{name}' wrote to stderr, which scores it 0" if is_test else
                                f"'{name}' wrote warnings or errors to stderr ({HARMLESS} in the grade)")
            result = output.get("data", {}).get(grading.RESULT_MIMETYPE) if is_test else None
            # A call of the student's code that raised while a test cell ran in the trusted grader.
            raised = {row.get("raised") for row in result.get("rows", []) if isinstance(row, dict)} \
                if isinstance(result, dict) else set()
            if "SystemExit" in raised:
                problems.append(f"'{name}' calls sys.exit() or exit()")
            if "StdinNotImplementedError" in raised:
                problems.append(f"'{name}' calls input(), which nobody can answer while grading")
            if isinstance(result, dict) and any(
                    isinstance(note, dict) and note.get("kind") in ("warning", "stderr") for note in result.get("notes", [])):
                problems.append(f"the code tested in '{name}' printed warnings (caught by the test, {HARMLESS})")
    return problems


def is_note(sentence):
    """True for what is worth knowing but cost no points (warnings the tests caught, stderr in ungraded cells)."""
    return HARMLESS in sentence
