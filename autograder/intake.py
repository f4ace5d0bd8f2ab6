"""Make a student's hand-in gradable before nbgrader sees it, and say what was wrong with it.

Works on a scratch copy of submitted/<student>/<assignment>/ (the original is never
changed). A file that is empty, not JSON or not a notebook is set aside; so is a
notebook holding another assignment's cells. A notebook under the wrong name (or in a
sub-folder) is graded under its right name when its cells show which notebook it is.
A notebook that is still missing then scores zero, as nbgrader scores a missing notebook.
Every cell's nbgrader flags are the assignment's, not the hand-in's (JupyterLab's toolbar lets a
student mark an answer "graded"): they are put back, and the report says which were changed.
"""
import json
import shutil

import nbformat
from nbgrader.preprocessors import ClearHiddenTests

from autograder.preprocessors import whole_text
from autograder.problems import HARMLESS

# A changed flag costs nothing (the assignment's is put back): the report lists it among the notes.
HARMLESS_CHANGE = f"{HARMLESS} in the grade"


def cell_ids(notebook):
    """The nbgrader ids of a notebook's cells."""
    return {cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") for cell in notebook.get("cells", [])} - {None}


def mend_text(path, notebook):
    """Replace the lone surrogates in a hand-in's text (JSON's "\\ud800" allows them, no file can hold them, and
    nbgrader could not write the autograded notebook) and write it back; a problem sentence, or None."""
    mended = whole_text(notebook)
    if mended == notebook:
        return None
    path.write_text(nbformat.writes(mended), encoding="utf-8")
    return (f"'{path.name}' held text no file can hold (half of a UTF-16 pair, written as an escape): "
            "graded with U+FFFD in its place")


def read_notebook(path):
    """(notebook, None), or (None, what is wrong with the file)."""
    data = path.read_bytes()
    if not data.strip():
        return None, f"'{path.name}' is empty"
    try:
        text = data.decode("utf-8")
        json.loads(text)
    except (UnicodeDecodeError, ValueError) as error:
        return None, f"'{path.name}' is not a notebook: it is not valid JSON ({str(error).split(':')[0]})"
    try:
        return nbformat.reads(text, as_version=4), None
    except Exception:  # nbformat raises a variety of errors for JSON that is not a notebook
        return None, f"'{path.name}' is not a Jupyter notebook (valid JSON, but not in the notebook format)"


def visible_source(source):
    """What a student's copy of a locked cell holds: the cell without its hidden tests."""
    cell = nbformat.v4.new_code_cell(source)
    ClearHiddenTests(enforce_metadata=False)._remove_hidden_test_region(cell)
    return cell.source


# The nbgrader flags a cell of the assignment has, and the value a hand-in's cell without the flag means.
FLAGS = {"grade": False, "solution": False, "locked": False, "task": False, "points": None}


def cell_definitions(notebook):
    """{cell id: {"locked_source": what a student's copy of a locked cell holds, else None, "flags": {flag: value}}}
    of a notebook of the gradebook (nbgrader.api.Notebook)."""
    points = {cell.name: float(cell.max_score) for cell in [*notebook.grade_cells, *notebook.task_cells]}
    solutions = {cell.name for cell in notebook.solution_cells}
    tasks = {cell.name for cell in notebook.task_cells}
    graded = {cell.name for cell in notebook.grade_cells}
    return {cell.name: {"locked_source": visible_source(cell.source) if cell.locked else None,
                        "flags": {"grade": cell.name in graded, "solution": cell.name in solutions,
                                  "locked": bool(cell.locked), "task": cell.name in tasks,
                                  "points": points.get(cell.name)}}
            for cell in notebook.source_cells}


def test_cells(definitions):
    """The ids of the test cells (graded, not answers) among a notebook's cell definitions."""
    return {name for name, cell in definitions.items() if cell["flags"]["grade"] and not cell["flags"]["solution"]}


def _flag(nbgrader, flag):
    value = nbgrader.get(flag, FLAGS[flag])
    return None if value is None else float(value) if flag == "points" else bool(value)


def _change(flag, value):
    """How a hand-in's flag differs, in words ('grade set to True', 'points removed')."""
    if value is None:
        return f"{flag} removed"
    return f"{flag} set to {value:g}" if flag == "points" else f"{flag} set to {value}"


def restore_flags(notebook, definitions):
    """Give every cell of a hand-in the nbgrader flags its id has in the assignment (a cell whose id the assignment
    does not know, or without an id, becomes ordinary code); return a sentence for each cell that was changed."""
    changed = []
    for index, cell in enumerate(notebook.cells):
        nbgrader = cell.get("metadata", {}).get("nbgrader")
        if nbgrader is None:
            continue
        grade_id = nbgrader.get("grade_id")
        definition = definitions.get(grade_id) if isinstance(grade_id, str) else None
        if definition is None:
            marked = [flag for flag in ("grade", "solution", "locked", "task") if nbgrader.get(flag)]
            if marked:
                name = f"'{grade_id}'" if isinstance(grade_id, str) else f"{index + 1} (no id)"
                changed.append(f"cell {name} was marked {', '.join(marked)} but is not a cell of the assignment: "
                               f"graded as ordinary code ({HARMLESS_CHANGE})")
            del cell.metadata["nbgrader"]
            continue
        wrong = [_change(flag, _flag(nbgrader, flag)) for flag, value in definition["flags"].items()
                 if _flag(nbgrader, flag) != value]
        for flag, value in definition["flags"].items():
            if value is None:
                nbgrader.pop(flag, None)
            else:
                nbgrader[flag] = value
        if wrong:
            changed.append(f"the nbgrader flags of cell '{grade_id}' were changed ({', '.join(wrong)}): "
                           f"the assignment's were put back ({HARMLESS_CHANGE})")
    return changed


def edited_cells(notebook, definitions):
    """Problems for the locked cells whose source differs from the handed-out one (nbgrader restores them)."""
    return [f"locked cell '{grade_id}' was edited: nbgrader put the original back"
            for cell in notebook.cells
            for grade_id in [cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")]
            for locked in [definitions.get(grade_id, {}).get("locked_source")]
            if locked is not None and cell.source != locked]


def owner(ids, known):
    """'assignment/notebook' of the course whose cells these are, or None."""
    best, overlap = None, 0
    for assignment, notebooks in known.items():
        for name, cells in notebooks.items():
            if len(ids & set(cells)) > overlap:
                best, overlap = f"{assignment}/{name}.ipynb", len(ids & set(cells))
    return best


def prepare(original, folder, expected, known):
    """Copy original to folder and make it gradable; return the problems found, one sentence each.

    expected: {notebook name: cell_definitions(the notebook)} of this assignment;
    known: {assignment: {notebook name: cell ids}} of the whole course.
    """
    shutil.copytree(original, folder, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    problems, found = [], {}
    candidates = sorted((path for path in folder.rglob("*") if path.is_file() and path.suffix.lower() == ".ipynb"),
                        key=lambda path: (path.parent != folder, path.name not in {f"{n}.ipynb" for n in expected}))
    for path in candidates:
        shown = path.relative_to(folder).as_posix()
        notebook, problem = read_notebook(path)
        if problem:
            problems.append(problem.replace(f"'{path.name}'", f"'{shown}'") + ": set aside")
            path.unlink()
            continue
        mended = mend_text(path, notebook)
        if mended:
            problems.append(mended.replace(f"'{path.name}'", f"'{shown}'"))
        ids = cell_ids(notebook)
        scores = {name: len(ids & set(cells)) for name, cells in expected.items()}
        name = max(scores, key=scores.get) if scores else None
        if not name or scores[name] == 0:
            other = owner(ids, known)
            why = (f"it holds the cells of {other}" if other else "its graded cells belong to another assignment"
                   if ids else "it has none of its cells: was the work copied into a new notebook?")
            problems.append(f"'{shown}' is not this assignment's notebook ({why}): set aside")
            path.unlink()
        elif name in found:
            problems.append(f"'{shown}' was ignored: '{found[name]}' was graded as {name}.ipynb")
            path.unlink()
        else:
            found[name] = shown
            target = folder / f"{name}.ipynb"
            if path != target:
                problems.append(f"handed in as '{shown}': graded as {name}.ipynb")
                path.rename(target)
            restored = restore_flags(notebook, expected[name])
            if restored:
                problems += restored
                target.write_text(nbformat.writes(whole_text(notebook)), encoding="utf-8")
            problems += edited_cells(notebook, expected[name])
    for name in expected:
        if name not in found:
            problems.append(f"no {name}.ipynb was handed in: its cells score 0")
    return problems
