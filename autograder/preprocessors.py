"""nbgrader's preprocessors, hardened for grading a whole class, and the course's lists of them.

Autograding uses nbgrader's own steps with two of ours in place of theirs:
ResilientExecute for Execute (a cell that kills the kernel scores zero instead of
failing the student's whole notebook, and a cell's output is capped while it arrives)
TolerantOverwriteCells for OverwriteCells (it gets through copied and deleted
cells), and CheckCellMetadataOnce for CheckCellMetadata (the same checks, with nbgrader's
schema checked once rather than once per cell). Feedback uses nbgrader's steps plus two that keep the hidden tests hidden:
HideHiddenTests takes them out of the test cells again (autograding put them back),
ScrubTracebacks reduces every error to its name and message (IPython's tracebacks
quote the source lines around the failing line).
"""
import copy
import re
import time
import traceback

from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbconvert.preprocessors import ClearMetadataPreprocessor, CoalesceStreamsPreprocessor, CSSHTMLHeaderPreprocessor
import jsonschema
from nbformat.notebooknode import NotebookNode
from nbgrader import utils
from nbgrader.nbgraderformat import MetadataValidator, ValidationError
from nbgrader.nbgraderformat.common import BaseMetadataValidator, SchemaTooNewError, SchemaTooOldError
from nbgrader.preprocessors import (AssignLatePenalties, CheckCellMetadata, ClearHiddenTests, ClearOutput,
                                    DeduplicateIds, Execute, GetGrades, IgnorePattern, LimitOutput,
                                    NbGraderPreprocessor, OverwriteCells, OverwriteKernelspec, SaveAutoGrades)
from traitlets import Bool, Integer

from autograder import deadline
from helpers.notebook_client import Wakeful
from autograder.errors import CommandError

KERNEL_DIED = "KernelDied"
# A kernel that dies or hangs before any cell ran is the machine's fault (a loaded machine, a slow disk),
# never the student's: it is started again, this many times in all, before the notebook is given up.
KERNEL_START_ATTEMPTS = 3
KERNEL_START_PAUSE_SECONDS = 2.0


class KernelStartError(RuntimeError):
    """No kernel could be started for a notebook: nothing of the student's ran, nothing is scored."""
UNINTERRUPTIBLE = "CellTimeoutError"
TRUNCATED = "[... output truncated: the cell printed more than {limit:,} characters ...]"
# Half of a UTF-16 pair on its own: JSON's "\ud800" lets a kernel (or its agent) send one, but no file can
# hold it, and the notebook nbgrader writes would fail with the whole hand-in's grades.
LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def whole_text(value):
    """value (a cell's outputs) with every lone surrogate in its text, keys included, replaced by U+FFFD."""
    if isinstance(value, str):
        return value if value.isascii() else LONE_SURROGATE.sub("\ufffd", value)
    if isinstance(value, list):
        return [whole_text(item) for item in value]
    if isinstance(value, dict):
        return type(value)((whole_text(key), whole_text(item)) for key, item in value.items())
    return value


def error_output(ename, evalue):
    return NotebookNode(output_type="error", ename=ename, evalue=evalue, traceback=[f"{ename}: {evalue}"])


class ResilientExecute(Wakeful, Execute):
    """nbgrader's Execute, for notebooks that kill their kernel or flood their output, and whose test cells
    run in the trusted grader (autograder/trusted.py) rather than in the student's kernel; its wait for a cell's
    reply wakes every second (helpers/notebook_client.py: a widget's reply is not left waiting the cell's limit)."""

    max_output_chars = Integer(
        1_000_000, help="Characters of output kept per cell while it runs; the rest is dropped.").tag(config=True)
    trusted_tests = Bool(
        False, help="Run test cells in the grader's process, calling the student's functions in the kernel.").tag(
        config=True)

    def preprocess(self, nb, resources=None, km=None):
        # A cell the kernel does not survive is marked failed, and the notebook is run again
        # in a fresh kernel without it, so the cells after it are graded as usual.
        self._failed_cells = {}
        start_failures = 0
        while True:
            self._running_cell = None
            self._kernel_sources, self._trusted_namespace = [], None  # a fresh kernel knows nothing yet
            try:
                return super().preprocess(nb, resources, km)
            except Exception as error:
                if deadline.expired():  # the whole submission is out of time: no fresh kernel, no retry
                    raise
                if self._running_cell is None and not isinstance(error, CommandError):  # the kernel did not start: try again, then give up
                    start_failures += 1
                    self.log.warning("The kernel did not start (%s), attempt %d of %d", error, start_failures,
                                     KERNEL_START_ATTEMPTS)
                    if start_failures >= KERNEL_START_ATTEMPTS:
                        raise KernelStartError(f"no kernel started in {KERNEL_START_ATTEMPTS} attempts "
                                               f"({type(error).__name__}: {error})") from error
                    time.sleep(KERNEL_START_PAUSE_SECONDS * start_failures)
                    continue
                if not isinstance(error, (DeadKernelError, CellTimeoutError)):
                    raise
                index = self._running_cell
                if index in self._failed_cells:
                    raise
                self._failed_cells[index] = self._failure(error)
                self.log.warning("Cell %s stopped the kernel (%s); running the notebook again without it",
                                 index, type(error).__name__)

    def _failure(self, error):
        if isinstance(error, DeadKernelError):
            return error_output(KERNEL_DIED, "the kernel stopped while this cell ran (os._exit, a crash, or memory "
                                             "exhausted); the cells after it were run in a fresh kernel.")
        return error_output(UNINTERRUPTIBLE, f"the cell ran longer than {self.timeout} s and could not be "
                                             "interrupted; the cells after it were run in a fresh kernel.")

    def preprocess_cell(self, cell, resources, index):
        cell, resources = self._run_cell(cell, resources, index)
        if "outputs" in cell:
            cell.outputs = whole_text(cell.outputs)
        return cell, resources

    def _run_cell(self, cell, resources, index):
        self._running_cell = index
        self._output_chars, self._output_truncated, self._stderr_seen = 0, False, False
        if index in self._failed_cells:
            cell.outputs = [copy.deepcopy(self._failed_cells[index])]
            return cell, resources
        if cell.cell_type == "code":
            # test cells too: a kernel that ran them numbers its cells with them, and the no-loop check's
            # "cell 5, line 6" must be the same whichever of the two ran the test cells
            self._kernel_sources.append(cell.source)
        if cell.cell_type == "code" and self.trusted_tests and utils.is_grade(cell):
            return self._run_trusted(cell, resources)
        return super().preprocess_cell(cell, resources, index)

    def _run_trusted(self, cell, resources):
        """A test cell, run in this process against the student's kernel (a dead kernel propagates)."""
        from autograder import trusted

        if self._trusted_namespace is None:
            self._trusted_namespace = trusted.StudentNamespace(None)
        cell.outputs = trusted.run_test_cell(self, cell.source, self._trusted_namespace, self._kernel_sources,
                                             self.timeout)
        cell.execution_count = None
        return cell, resources

    def output(self, outs, msg, display_id, cell_index):
        kind, content = msg["msg_type"], msg["content"]
        if kind not in ("stream", "display_data"):  # errors and results decide the score: always kept
            return super().output(outs, msg, display_id, cell_index)
        size = len(content.get("text", "")) + sum(len(str(value)) for value in content.get("data", {}).values())
        room = self.max_output_chars - self._output_chars
        is_stderr = kind == "stream" and content.get("name") == "stderr"
        if size > room:
            if self._output_truncated and not (is_stderr and not self._stderr_seen):
                return None
            # Keep what fits and say so; a first stderr output is always kept, since nbgrader
            # scores a test cell that writes to stderr zero.
            msg = {**msg, "content": {**content}}
            marker = TRUNCATED.format(limit=self.max_output_chars)
            if kind == "stream":
                msg["content"]["text"] = content["text"][:max(room, 0)] + "\n" + marker + "\n"
            else:
                msg["content"]["data"] = {"text/plain": marker}
            self._output_truncated = True
            size = max(room, 0)
        self._output_chars += size
        self._stderr_seen = self._stderr_seen or is_stderr
        return super().output(outs, msg, display_id, cell_index)


class TolerantOverwriteCells(OverwriteCells):
    """nbgrader's OverwriteCells, for notebooks whose cells were copied, pasted or deleted.

    A cell nbgrader strips of its id (a duplicate, an id the gradebook does not know) becomes an
    ordinary cell: nbgrader's own check of the missing cells expects every nbgrader cell to have
    an id. A missing test cell whose neighbour was deleted too goes after the nearest cell of the
    handed-out notebook that is still there, where nbgrader would give up.
    """

    def preprocess(self, nb, resources):
        # The flags are the assignment's, not the hand-in's (the pipeline's intake has put them back already; this
        # is for `nbgrader autograde` on its own): nbgrader trusts a hand-in's "grade" flag, and an answer cell
        # marked graded would fail the whole notebook.
        from nbgrader.api import Gradebook

        from autograder import intake

        with Gradebook(resources["nbgrader"]["db_url"]) as book:
            definitions = intake.cell_definitions(book.find_notebook(resources["nbgrader"]["notebook"],
                                                                     resources["nbgrader"]["assignment"]))
        for sentence in intake.restore_flags(nb, definitions):
            self.log.warning(sentence)
        return super().preprocess(nb, resources)

    def preprocess_cell(self, cell, resources, index):
        cell, resources = super().preprocess_cell(cell, resources, index)
        if "nbgrader" in cell.metadata and not cell.metadata.nbgrader.get("grade_id"):
            del cell.metadata["nbgrader"]
        return cell, resources

    def add_missing_grade_cells(self, nb, resources):
        cells = list(nb.cells)
        try:
            return super().add_missing_grade_cells(nb, resources)
        except KeyError:
            nb.cells = cells
        source = self.gradebook.find_notebook(self.notebook_id, self.assignment_id)
        graded = {cell.name: cell for cell in source.grade_cells}
        solutions = {cell.name for cell in source.solution_cells}
        for position, source_cell in enumerate(source.source_cells):
            present = [cell.metadata.get("nbgrader", {}).get("grade_id") for cell in nb.cells]
            if source_cell.name not in graded or source_cell.name in present:
                continue
            self.log.warning(f"Missing grade cell {source_cell.name} encountered, adding to notebook")
            earlier = [cell.name for cell in source.source_cells[:position] if cell.name in present]
            at = present.index(earlier[-1]) + 1 if earlier else 0
            nb.cells.insert(at, self.missing_cell_transform(source_cell, graded[source_cell.name].max_score,
                                                            is_solution=source_cell.name in solutions))
        return nb, resources


class _SchemaCheckedOnce(BaseMetadataValidator):
    """nbgrader's check of one cell's metadata against its schema, with the schema itself checked once.

    jsonschema.validate, which nbgrader calls for every cell, first checks that the schema is a
    valid schema: most of a notebook's check, twice per hand-in. Here a validator is made once
    per schema; the version checks are nbgrader's (BaseMetadataValidator.validate_cell).
    """

    _validators = {}

    def validate_cell(self, cell):
        if "nbgrader" not in cell.metadata:
            return
        version = cell.metadata["nbgrader"].get("schema_version", 0)
        if version < self.schema_version:
            raise SchemaTooOldError(f"Outdated schema version: {version} (expected {self.schema_version})",
                                    version, self.schema_version)
        if version > self.schema_version:
            raise SchemaTooNewError(f"Schema version is too new: {version} (expected {self.schema_version})",
                                    version, self.schema_version)
        if self.schema_version not in self._validators:
            validator_class = jsonschema.validators.validator_for(self.schema)
            validator_class.check_schema(self.schema)
            self._validators[self.schema_version] = validator_class(self.schema)
        error = jsonschema.exceptions.best_match(self._validators[self.schema_version].iter_errors(
            cell.metadata["nbgrader"]))
        if error is not None:
            raise error


class _MetadataValidatorOnce(MetadataValidator, _SchemaCheckedOnce):
    """nbgrader's metadata validator (its own checks of each cell), on _SchemaCheckedOnce: Python's method order puts
    it between nbgrader's validator and the base class that validator calls."""


class CheckCellMetadataOnce(CheckCellMetadata):
    """nbgrader's CheckCellMetadata, with nbgrader's schema checked once per process (_SchemaCheckedOnce)."""

    def preprocess(self, nb, resources):
        try:
            _MetadataValidatorOnce().validate_nb(nb)
        except ValidationError:
            self.log.error(traceback.format_exc())
            message = "Notebook failed to validate; the nbgrader metadata may be corrupted."
            self.log.error(message)
            raise ValidationError(message)
        return nb, resources


class HideHiddenTests(ClearHiddenTests):
    """nbgrader's ClearHiddenTests, applied to test cells only (a student's own cells are shown as written)."""

    def preprocess_cell(self, cell, resources, index):
        if utils.is_grade(cell) and utils.is_locked(cell):
            self._remove_hidden_test_region(cell)
        return cell, resources


class ScrubTracebacks(NbGraderPreprocessor):
    """Reduce every error to 'Name: message', which the grading toolkit writes to be safe to show."""

    def preprocess_cell(self, cell, resources, index):
        for output in cell.get("outputs", []):
            if output.output_type == "error":
                output.traceback = [f"{output.ename}: {output.evalue}"]
        return cell, resources


class NameGradedCells(NbGraderPreprocessor):
    """The feedback page's contents list names each graded cell by what it tests: the first line of a test cell
    ("# Test predict (2 points)" gives "Test predict"), kept in the cell's metadata for the page's template
    (autograder/templates/course_feedback)."""

    def preprocess_cell(self, cell, resources, index):
        if utils.is_grade(cell) and not utils.is_solution(cell):
            first_line = cell.source.strip().splitlines()[0] if cell.source.strip() else ""
            title = first_line.lstrip("#").split("(")[0].split(":")[0].strip()
            if first_line.startswith("#") and title:
                cell.metadata["course_title"] = title
        return cell, resources


# nbgrader 0.9's Autograde.sanitize_preprocessors and autograde_preprocessors, with ours in place of
# OverwriteCells, Execute and CheckCellMetadata (tests/test_pipeline_grade.py checks that nothing else differs).
SANITIZE = [ClearOutput, DeduplicateIds, OverwriteKernelspec, TolerantOverwriteCells, CheckCellMetadataOnce]
# A cell's prints are joined into one output per stream, as JupyterLab shows them: how they were cut into
# messages depends on the kernel's timing, and a grade's record must not.
AUTOGRADE = [ResilientExecute, CoalesceStreamsPreprocessor, IgnorePattern, ClearMetadataPreprocessor, LimitOutput, SaveAutoGrades,
             AssignLatePenalties, CheckCellMetadataOnce]
# nbgrader's GenerateFeedback.preprocessors with the hidden tests taken out before rendering.
FEEDBACK = [GetGrades, HideHiddenTests, ScrubTracebacks, NameGradedCells, CSSHTMLHeaderPreprocessor]
