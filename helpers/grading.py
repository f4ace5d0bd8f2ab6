"""The grading toolkit that test cells call: compare a student's function with the reference.

A test cell builds one Check, runs every comparison, then calls done(), which
shows a single table (HTML in JupyterLab, plain text in nbgrader's feedback)
and raises one AssertionError (ChecksFailed) that sums up what failed, shown
under the table as a short summary rather than a traceback:

    with Check("update_step") as check:
        check.function(update_step, perceptron.update_step, (x, y, w, b, 0.1),
                       outputs=("w", "b"))

Each row of the table is one output or gradient, by name: expected shape, the
student's shape, the relative error (one measure for every row, defined in the
table's legend) and a pass/fail verdict. A failing row says which common mistake
the student's answer matches, when it matches one, and otherwise where the values
differ and by what pattern (a row, a column, a sign, a constant factor...).
Nothing is trusted from the student's objects: types and shapes are checked
before values, and values are compared as plain float64 arrays, never with ==.
Warnings and stderr output from the student's code are captured and shown as
notes, because nbgrader scores a test cell zero if it writes to stderr.
"""
import copy
import numbers
import types
from dataclasses import dataclass, field
from html import escape

import numpy as np

from helpers import place, replay
from helpers.gradcheck import error_relative_to_largest, numerical_gradient

DEFAULT_RTOL = 1e-6
# A central difference agrees with a right gradient to ~1e-9 on the same measure in
# float64; 1e-6 leaves room for badly scaled costs and still catches any real mistake.
GRADCHECK_RTOL = 1e-6
# Arrays in a diagnosis are printed in their shape, rounded; larger ones show their first and last
# PREVIEW_EDGE_ITEMS entries along each axis.
PREVIEW_THRESHOLD = 24
PREVIEW_EDGE_ITEMS = 3
PREVIEW_PRECISION = 4
# At most this many differing entries are listed by position when no pattern explains them.
MAX_LISTED_ENTRIES = 4
MAX_SUMMARY_LINES = 6  # diagnoses under a failing table; the table itself has them all
NOT_COMPUTED = "not computed (see the failed call above)."
RECORDED = "answer recorded; graded when you hand in"
# A numeric answer to a question is right within this (the questions ask for 3 or 4 significant digits).
ANSWER_RTOL = 1e-3
GRADCHECK_SUFFIX = " vs central difference"
LEGEND = ("rel. error = max |yours - expected| / max |entry|: the largest difference between one of your "
          "entries and the expected one, divided by the largest entry (in absolute value) of either; a row "
          "passes when it is at most {tolerances}.")
LEGEND_GRADCHECK = (" A row \"vs central difference\" measures the same thing against (J(θ + ε) - J(θ - ε)) / 2ε, "
                    "the slope of the cost computed entry by entry, which is within about 1e-9 of a right gradient.")
# The table as data, beside its HTML and text, for the report (autograder/report.py) and the problems list.
RESULT_MIMETYPE = "application/vnd.nn-course.check+json"
# Dict outputs whose keys name themselves (W1, dW1): their rows are named by the key alone.
KEYED_OUTPUTS = ("params", "new_params", "grads")
# kind of a row: passed; mistake (a diagnosis of the answer); undiagnosed (wrong, no diagnosis); consequence (of an
# earlier failed row); not_implemented; lost (the grader could not read something: not the answer's fault).
RESULT_KINDS = ("passed", "recorded", "mistake", "undiagnosed", "consequence", "not_implemented", "lost")


class _Missing:
    """Stands in for an output the student's function did not produce."""

    def __init__(self, reason):
        self.reason = reason

    def __repr__(self):
        return "<not computed>"


@dataclass
class Row:
    """One line of the table: one output, gradient or call."""

    name: str
    expected_shape: str = ""
    got_shape: str = ""
    error: float | None = None
    passed: bool = False
    diagnosis: str = ""
    expected_preview: str = ""
    got_preview: str = ""
    lost: bool = False  # failed for a reason outside the student's answer (the grader could not read something)
    raised: str = ""    # for a failed call: the exception's class name
    undiagnosed: bool = False  # wrong values that match no known mistake: the diagnosis only says where they differ
    tolerance: float | None = None  # the largest rel. error that passes, for rows compared by value
    recorded: bool = False  # an answer whose form is right, graded only after hand-in: neither right nor wrong yet

    @property
    def kind(self):
        """What a failing row says about the answer, for the report: a named mistake, or not (see RESULT_KINDS)."""
        if self.recorded:
            return "recorded"
        if self.passed:
            return "passed"
        if self.lost:
            return "lost"
        if self.diagnosis.startswith(NOT_COMPUTED):
            return "consequence"
        if "is not implemented yet" in self.diagnosis:
            return "not_implemented"
        if self.undiagnosed:
            return "undiagnosed"
        return "mistake"

    @property
    def output(self):
        """The row's name without its [case]."""
        return self.name.split(" [")[0]

    @property
    def case(self):
        return self.name[len(self.output) + 2:-1] if " [" in self.name else ""


class ChecksFailed(AssertionError):
    """A test cell's failed checks: an error for nbgrader (the cell scores 0), shown under the table as a short
    summary, without a traceback into the toolkit (IPython calls _render_traceback_ instead of printing one)."""

    def __init__(self, summary, failed=()):
        """summary: one line; failed: (row name, diagnosis) of every failing row."""
        self.summary, self.failed = summary, list(failed)
        super().__init__("\n".join([summary, *(f"  - {name}: {diagnosis}" for name, diagnosis in self.failed)]))

    def _render_traceback_(self):
        """The lines JupyterLab shows and nbgrader's Validate reports: the summary, then one line per diagnosis
        (rows failing for the same reason share a line; rows not computed because a call failed add nothing)."""
        names_by_diagnosis = {}
        for name, diagnosis in self.failed:
            if not diagnosis.startswith(NOT_COMPUTED):
                names_by_diagnosis.setdefault(diagnosis, {})[name] = None  # a dict: each name once, in order
        lines = [f"  - {', '.join(names)}: {diagnosis}" for diagnosis, names in names_by_diagnosis.items()]
        if len(lines) > MAX_SUMMARY_LINES:
            lines[MAX_SUMMARY_LINES:] = [f"  ... and {len(lines) - MAX_SUMMARY_LINES} more: see the table above."]
        return [f"\x1b[1;31m✘ {self.summary}\x1b[0m", *lines]


def stand_ins(assignment, name):
    """{function name: the course's version} of the graded functions that `name` builds on: those before it in the
    assignment (a spec's GRADED, in the notebook's order) except its `not_from` (helpers/specs/__init__.py); none
    for a function the assignment does not grade."""
    if name not in assignment:
        return {}
    names = list(assignment)
    return {other: assignment[other].reference for other in names[:names.index(name)]
            if other not in assignment[name].not_from}


@dataclass
class Check:
    """All the comparisons of one test cell, reported together."""

    title: str
    rtol: float = DEFAULT_RTOL
    assignment: dict = field(default_factory=dict)  # the assignment's graded functions (a spec's GRADED)
    graded: object = None                            # the tested function's assignments.Graded, for cases()
    rows: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    note_kinds: dict = field(default_factory=dict)  # {note: "warning" | "stderr"} for notes about side output
    earned: float | None = None                     # set by points()
    possible: float | None = None

    # -- running the student's code ------------------------------------------------

    def call(self, function, *args, outputs=("result",), using=None):
        """Call the student's function on copies of args; return its outputs as a tuple.

        using maps names of the notebook's other graded functions to the course's
        reference versions, swapped in for the duration of the call, so that a
        mistake in one function is not counted again in the functions that use it.
        A call that raises, or returns the wrong number of values, adds a failing
        row and returns placeholders, so the remaining checks still run. Where the
        call runs (the student's kernel, or the sandbox while autograding) is the
        current place's business (helpers/place.py).
        """
        name = getattr(function, "__name__", repr(function))
        if not callable(function):
            return self._call_failed(name, outputs, f"`{name}` is not a function: it is a {type(function).__name__}.")
        if using is None:  # the course's versions of the graded functions this one builds on
            using = stand_ins(self.assignment, name)
        using = self._own_where_unrecorded(function, using)
        where = place.current()
        if not getattr(function, "remote", False):
            reference_use = _calls_reference(function, exclude=set(using or ()))
            if reference_use:
                return self._call_failed(
                    name, outputs,
                    f"`{name}` uses the course's reference implementation ({reference_use}); "
                    "write the computation yourself with NumPy.")
        # A student's function runs where the current place says; a test cell's own helper (which may call
        # student functions in turn) always runs right here.
        runner = where if getattr(function, "remote", False) or not where.remote else place.InKernel()
        outcome = runner.call(function, copy.deepcopy(args), {}, dict(using or {}))
        self._note_side_output(name, outcome.warnings, outcome.stderr)
        if outcome.lost:
            return self._call_failed(name, outputs, f"`{name}` could not be graded: {outcome.lost} (the grader's "
                                                    "failure, not your answer's: only this call's rows count)",
                                     lost=True)
        if outcome.not_implemented:
            return self._call_failed(name, outputs, f"`{name}` is not implemented yet: replace "
                                                    "`raise NotImplementedError()` with your code.")
        if outcome.error:
            return self._call_failed(name, outputs, f"`{name}` raised {outcome.error}", raised=outcome.raised)
        if outcome.unsupported:
            return self._call_failed(name, outputs, f"`{name}` returned {outcome.unsupported} object, which is not "
                                                    "data: return NumPy arrays, numbers, tuples, lists or dicts.")
        result = outcome.value
        if len(outputs) == 1:
            return (result,)
        # The exercises say "return (w, b)": a list of the right values is just as right.
        if not isinstance(result, (tuple, list)) or len(result) != len(outputs):
            got = f"{len(result)} values" if isinstance(result, (tuple, list)) else f"one {type(result).__name__}"
            return self._call_failed(
                name, outputs,
                f"`{name}` must return {len(outputs)} values ({', '.join(outputs)}), but returned {got}.")
        return tuple(result)

    def _own_where_unrecorded(self, function, using):
        """using, where a stand-in answers from a student's edition's record of the course's answers
        (helpers/replay.py), with the student's own function of that name answering any call the record has no
        answer for, and a note in the table saying so."""
        namespace = getattr(function, "__globals__", {})
        return {name: self._answer_or_own(name, stand_in, namespace.get(name))
                if getattr(stand_in, "replayed", None) else stand_in for name, stand_in in (using or {}).items()}

    def _answer_or_own(self, name, stand_in, own):
        def answer(*args, **kwargs):
            try:
                return stand_in(*args, **kwargs)
            except replay.NotRecorded:
                if not callable(own) or getattr(own, "replayed", None):
                    raise
                note = (f"your own `{name}` stood in for the course's where this copy has no recorded answer of the "
                        "course's: an answer here may come from a mistake there (the grader uses the course's)")
                if note not in self.notes:
                    self.notes.append(note)
                return own(*args, **kwargs)

        answer.__name__ = answer.__qualname__ = name
        return answer

    def _call_failed(self, name, outputs, reason, lost=False, raised=""):
        self.rows.append(Row(name=f"call {name}", passed=False, diagnosis=reason, lost=lost, raised=raised))
        return tuple(_Missing(reason) for _ in outputs)

    def _note_side_output(self, name, caught, stderr_text):
        messages = [(f"`{name}` raised {warning}", "warning") for warning in caught]
        if stderr_text.strip():
            messages.append((f"`{name}` wrote to stderr: {stderr_text.strip()[:300]}", "stderr"))
        for message, kind in dict.fromkeys(messages):  # once each, in order: one bad cost can warn dozens of times
            if message not in self.notes:
                self.notes.append(message)
                self.note_kinds[message] = kind

    # -- comparisons ---------------------------------------------------------------

    def compare(self, name, got, expected, mistakes=None, m=None, rtol=None, update=None):
        """Compare one value with the reference; mistakes maps a diagnosis to the wrong value it produces. update,
        for a value that is an update's result: (its value before the update, the learning rate or None), so that
        a wrong value is diagnosed by its change (_update_diagnosis)."""
        rtol = self.rtol if rtol is None else rtol
        expected_array = np.asarray(expected, dtype=np.float64)
        row = Row(name=name, expected_shape=_shape_text(expected_array), expected_preview=_preview(expected_array),
                  tolerance=rtol)
        self.rows.append(row)
        if isinstance(got, _Missing):
            row.got_shape = "-"
            row.diagnosis = NOT_COMPUTED
            return False
        got_array, type_problem = _as_number_array(got, expected)
        if type_problem:
            is_numbers = type(got) is np.ndarray and got.dtype.kind in "biuf"
            row.got_shape = _shape_text(got) if is_numbers else type(got).__name__
            # An array where a number belongs is often a known mistake (a sum over the wrong axis).
            known = _match_mistake(got.astype(np.float64), mistakes, rtol) if is_numbers else None
            row.diagnosis = known or type_problem
            return False
        row.got_shape = _shape_text(got_array)
        row.got_preview = _preview(got_array)
        if got_array.shape != expected_array.shape:
            row.diagnosis = _diagnose(got_array, expected_array, mistakes, m, rtol) or _shape_advice(got_array, expected_array)
            return False
        if not np.all(np.isfinite(got_array)):
            row.diagnosis = (_match_mistake(got_array, mistakes, rtol)
                             or "contains nan or inf: look for log(0), division by zero or an overflowing exp.")
            return False
        row.error = error_relative_to_largest(got_array, expected_array)
        row.passed = row.error <= rtol
        if not row.passed:
            row.diagnosis = _diagnose(got_array, expected_array, mistakes, m, rtol, update)
            if not row.diagnosis:
                row.diagnosis, row.undiagnosed = _describe_difference(got_array, expected_array, rtol), True
        return row.passed

    def function(self, student, reference, args, outputs=("result",), using=None, mistakes=None, m=None, case="",
                 updates=None, rate=None):
        """Run student and reference on the same args and compare every output by name.

        mistakes: a dict mapping a diagnosis to the outputs that mistake produces
        (a tuple in the order of outputs, or a dict by output name).
        updates: {output: the index in args of its value before the update}, and rate the index of the learning
        rate (Graded.updates, Graded.rate): those outputs are diagnosed by their change.
        """
        expected = reference(*copy.deepcopy(args))
        expected = expected if len(outputs) > 1 else (expected,)
        starts = {output: copy.deepcopy(args[index]) for output, index in (updates or {}).items()}
        got = self.call(student, *args, outputs=outputs, using=using)
        by_output = _mistakes_by_output(mistakes or {}, outputs)
        suffix = f" [{case}]" if case else ""
        learning_rate = args[rate] if rate is not None else None
        for index, output in enumerate(outputs):
            update = (starts[output], learning_rate) if output in starts else None
            self.compare_output(output, got[index], expected[index], by_output.get(output), m, suffix, update)
        return got

    def compare_output(self, output, got, expected, mistakes=None, m=None, suffix="", update=None):
        """Compare one output; a dict (params, grads, a cache) is compared key by key, a row per entry."""
        if not isinstance(expected, dict):
            return self.compare(output + suffix, got, expected, mistakes=mistakes, m=m, update=update)
        passed = True
        for key, value in expected.items():
            item = got.get(key) if isinstance(got, dict) else got
            wrong = {diagnosis: variant[key] for diagnosis, variant in (mistakes or {}).items()
                     if isinstance(variant, dict) and key in variant}
            name = key if output in KEYED_OUTPUTS else f"{output} {key}"
            before = update and isinstance(update[0], dict) and update[0].get(key)
            passed = self.compare(name + suffix, item, value, mistakes=wrong, m=m,
                                  update=(before, update[1]) if before is not None else None) and passed
        return passed

    @classmethod
    def of(cls, assignment, name, title=None):
        """A check of the graded function `name` of an assignment (a spec's GRADED, helpers/specs), titled by the
        function's name unless the cell checks more than that."""
        return cls(title or name, assignment=assignment, graded=assignment[name])

    def cases(self, student, seed=None, **draw):
        """function() on the assignment's examples (seed=None) or on random problems drawn from seed."""
        graded = self.graded
        for args, case in graded.problems(seed, **draw) if seed is not None else graded.problems():
            self.function(student, graded.reference, args, outputs=graded.outputs, case=case,
                          mistakes=graded.mistakes(*args) if graded.mistakes else None, updates=graded.updates,
                          rate=graded.rate)

    def gradient(self, name, got, cost, parameter, m=None, mistakes=None):
        """Check a gradient against a central difference of cost() with respect to parameter (changed in place)."""
        numeric = numerical_gradient(cost, parameter)
        return self.compare(name + GRADCHECK_SUFFIX, got, numeric, mistakes=mistakes, m=m, rtol=GRADCHECK_RTOL)

    def gradient_of(self, name, got, cost_of, value, m=None, mistakes=None):
        """Check a gradient against a central difference of cost_of(value) around value, an array or a number
        (a number's gradient is a number); value itself is not changed."""
        point = np.array(value, dtype=np.float64)
        numeric = numerical_gradient(lambda: cost_of(point if point.ndim else float(point)), point)
        return self.compare(name + GRADCHECK_SUFFIX, got, numeric, mistakes=mistakes, m=m, rtol=GRADCHECK_RTOL)

    def answer(self, name, got, expected=None, choices=None, rtol=ANSWER_RTOL):
        """A check-your-understanding answer: a number (right within rtol) or one of choices (a letter).

        Without expected only the form is checked (a number, or one of the choices), which is what a visible
        test may show before the hand-in; the hidden test passes expected.
        """
        if choices is not None:
            given = got.strip().lower() if isinstance(got, str) else None
            form = f"{name} is one of {', '.join(choices)}"
            if not self._require_once(form, given in [c.lower() for c in choices],
                                      f"got {_short_repr(got)}: answer with one of the letters "
                                      f"{', '.join(repr(c) for c in choices)}, as a string."):
                return False
            self._recorded(form, expected is None)
            return expected is None or self.require(
                name, given == expected.lower(),
                f"you chose {given!r}, the answer is {expected!r}: the cell under the question shows why.")
        is_number = isinstance(got, (numbers.Real, np.integer, np.floating)) and not isinstance(got, (bool, np.bool_))
        form = f"{name} is a number"
        if not self._require_once(form, is_number and bool(np.isfinite(float(got))),
                                  f"got {_short_repr(got)}: answer with a number, e.g. {name} = 0.5."):
            return False
        self._recorded(form, expected is None)
        return expected is None or self.compare(name, float(got), expected, rtol=rtol)

    def _recorded(self, form, only_recorded):
        """The form's row says the answer is recorded, to be graded after hand-in (only_recorded), or is a plain
        check of the form once the answer itself is graded."""
        for row in self.rows:
            if row.name == form:
                row.recorded = only_recorded
                row.diagnosis = RECORDED if only_recorded else ""

    def _require_once(self, name, condition, diagnosis):
        """require(), unless a row of that name is already in the table (the visible test checked the form)."""
        earlier = next((row for row in self.rows if row.name == name), None)
        return earlier.passed if earlier else self.require(name, condition, diagnosis)

    def require(self, name, condition, diagnosis):
        """A yes/no check that is not a comparison of values (e.g. 'the loop stops')."""
        self.rows.append(Row(name=name, passed=bool(condition), diagnosis="" if condition else diagnosis))
        return bool(condition)

    # -- reporting -----------------------------------------------------------------

    @property
    def failures(self):
        return [row for row in self.rows if not row.passed]

    def done(self):
        """Show the table, then raise one ChecksFailed (an AssertionError) if any check failed."""
        _show(self)
        if self.failures:
            raise ChecksFailed(f"{self.title}: {len(self.failures)} of {len(self.rows)} checks failed.",
                               [(row.name, row.diagnosis) for row in self.failures])

    def points(self, weights):
        """Show the table and return the points earned, for nbgrader's partial credit.

        weights maps a row name to its points, e.g. {"dW1": 1, "db1": 1}; a name covers
        its rows for every case ("dW1 [m=3]", "dW1 vs central difference") and earns its
        points only when all of them pass. Any other failing row (a call that raised, an
        output no weight covers) earns nothing at all. Make it the last line of the test
        cell: nbgrader reads a number the cell returns as its score.
        """
        groups = {name: [row for row in self.rows if _in_group(row.name, name)] for name in weights}
        covered = {id(row) for rows in groups.values() for row in rows}
        earned = sum(weight for name, weight in weights.items()
                     if groups[name] and all(row.passed for row in groups[name]))
        # A failing row no weight covers costs everything, unless the grader failed there, not the answer.
        if any(not row.passed and not row.lost and id(row) not in covered for row in self.rows):
            earned = 0
        self.notes.append(f"points for this cell: {earned:g} of {sum(weights.values()):g}")
        self.earned, self.possible = float(earned), float(sum(weights.values()))
        _show(self)
        return float(earned)

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            self.done()
        return False

    def __str__(self):
        return render_text(self)


# -- type and shape -------------------------------------------------------------------


def _as_number_array(got, expected):
    """Return (float64 array, None), or (None, what is wrong with the type)."""
    expects_scalar = not isinstance(expected, np.ndarray) or np.ndim(expected) == 0
    if isinstance(got, (bool, np.bool_)):
        return None, f"got a boolean ({got}); return a number."
    if isinstance(got, (numbers.Real, np.integer, np.floating)) and type(got).__module__ in ("builtins", "numpy"):
        return np.asarray(float(got)), None
    if isinstance(expected, list) and isinstance(got, (list, tuple)):
        if all(isinstance(item, (numbers.Real, np.number)) and not isinstance(item, (bool, np.bool_)) for item in got):
            return np.asarray(got, dtype=np.float64), None
        return None, "got a list that does not hold only numbers."
    if type(got) is not np.ndarray:
        if isinstance(got, (list, tuple)):
            return None, f"got a Python {type(got).__name__}; return a NumPy array (wrap it in np.array(...))."
        if isinstance(got, np.ndarray):
            return None, f"got a {type(got).__name__} (a subclass of ndarray); return a plain NumPy array (np.asarray(...))."
        return None, f"got a {type(got).__name__}; return a NumPy array of numbers."
    if got.dtype.kind not in "biuf":
        return None, f"got an array of dtype {got.dtype}; it must hold numbers (int or float)."
    if expects_scalar and got.shape != ():
        if got.size == 1:
            return None, f"got an array of shape {got.shape}; return a plain number here (use float(...) or .item())."
        return None, f"got an array of shape {got.shape}; return a single number here."
    return got.astype(np.float64), None


def _short_repr(value):
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _shape_text(array):
    return "scalar" if array.shape == () else str(array.shape)


def _shape_advice(got, expected):
    if got.ndim == 1 and expected.ndim == 2 and got.shape[0] in expected.shape:
        return (f"shape {got.shape} but {expected.shape} is expected: keep the second dimension "
                "(keepdims=True in np.sum, or .reshape(-1, 1)).")
    if sorted(got.shape) == sorted(expected.shape):
        return f"shape {got.shape} but {expected.shape} is expected: the axes are swapped (transposed?)."
    return f"shape {got.shape} but {expected.shape} is expected (see the notation page for every array's shape)."


def _preview(array):
    """The array in its shape, rounded, and cut to its first and last entries along each axis when large."""
    return _format_values(np.asarray(array, dtype=np.float64))


def _format_values(values):
    return np.array2string(values, precision=PREVIEW_PRECISION, separator=", ", suppress_small=True,
                           threshold=PREVIEW_THRESHOLD, edgeitems=PREVIEW_EDGE_ITEMS, max_line_width=100)


def _format_number(value):
    return np.format_float_positional(float(value), precision=PREVIEW_PRECISION, trim="-")


# -- diagnoses ------------------------------------------------------------------------


def _close(got, value, rtol):
    value = np.asarray(value, dtype=np.float64)
    if value.shape != got.shape:
        return False
    if not (np.all(np.isfinite(got)) and np.all(np.isfinite(value))):
        return bool(np.array_equal(got, value, equal_nan=True))
    return error_relative_to_largest(got, value) <= rtol


def _match_mistake(got, mistakes, rtol):
    for diagnosis, value in (mistakes or {}).items():
        if _close(got, value, rtol):
            return diagnosis
    return None


def _diagnose(got, expected, mistakes, m, rtol, update=None):
    """Name the common mistake that got matches, or return None. update: (the value before the update, the
    learning rate or None) where expected is an update's result."""
    known = _match_mistake(got, mistakes, rtol)
    if known:
        return known
    if update is not None and got.shape == expected.shape:
        before = np.asarray(update[0], dtype=np.float64)
        if before.shape == expected.shape:
            found = _update_diagnosis(got - before, expected - before, update[1],
                                      rtol * max(float(np.max(np.abs(expected))), float(np.max(np.abs(got))), 1e-12))
            if found:
                return found
    if expected.ndim == 2 and expected.shape[0] != expected.shape[1] and _close(got, expected.T, rtol):
        return (f"transposed: shape {got.shape} instead of {expected.shape}, with the right values. "
                "Check the order of the factors in the matrix product.")
    if expected.ndim == 2 and expected.shape[0] == expected.shape[1] and expected.size > 1 \
            and not _close(expected, expected.T, rtol) and _close(got, expected.T, rtol):
        return "transposed: the right values, but row and column are swapped. Check the order of the factors."
    if expected.ndim == 2 and 1 in expected.shape and got.shape == (expected.size,) and _close(got, expected.ravel(), rtol):
        return (f"shape {got.shape} where {expected.shape} is expected, with the right values: "
                "keep the dimension (keepdims=True in np.sum, or .reshape(-1, 1)).")
    if got.shape != expected.shape or not np.any(expected):
        return None
    if _close(got, -expected, rtol):
        return "the sign is flipped: compare y - y_hat with y_hat - y, and check that descent subtracts the gradient."
    if m and m > 1:
        if _close(got, m * expected, rtol):
            return f"{m} times too large: the 1/m average is missing."
        if _close(got, expected / m, rtol):
            return f"{m} times too small: divided by m twice (the gradients are averaged twice)."
    ratio = _constant_ratio(got, expected)
    if ratio is not None:
        return f"off by a constant factor of {ratio:.4g} everywhere: look for a missing or extra constant."
    return None


def _update_diagnosis(yours, right, learning_rate, tolerance):
    """What is wrong with a change (yours) against the right change (right), by the kind of mistake it shows (a
    missing or doubled learning rate, a change where none is due, none where one is, the same change for every
    entry), or None. tolerance: the size below which a change counts as none."""
    changed, due = np.abs(yours) > tolerance, np.abs(right) > tolerance
    if not due.any():
        return ("changes although the right update here is 0 (the example is classified correctly, or the error is "
                "0): the step must vanish then, so compute it from the error, never from the label alone."
                if changed.any() else None)
    if not changed.any():
        return "unchanged: the update is not applied (return the new value, not the one you were given)."
    ratio = _update_ratio(yours, right)
    if ratio is not None:
        if learning_rate and np.isclose(ratio, 1 / learning_rate, rtol=1e-6):
            return (f"the change is {_format_number(ratio)} times the right one, 1/η with η = "
                    f"{_format_number(learning_rate)}: the learning rate is missing from the update.")
        if learning_rate and not np.isclose(learning_rate, 1.0) and np.isclose(ratio, learning_rate, rtol=1e-6):
            return (f"the change is η = {_format_number(learning_rate)} times the right one: the learning rate is "
                    "applied twice.")
        if np.isclose(ratio, -1.0, rtol=1e-6):
            return ("the change has the wrong sign: compare y - y_hat with y_hat - y, and check that descent subtracts the "
                    "gradient.")
        return (f"the change is {_format_number(ratio)} times the right one everywhere: look for a missing or extra "
                "factor in the update.")
    if yours.size > 1 and np.allclose(yours, yours.flat[0], rtol=1e-9, atol=tolerance) \
            and not np.allclose(right, right.flat[0], rtol=1e-9, atol=tolerance):
        return (f"every entry changes by the same {_format_number(yours.flat[0])}: the change of each weight w_j "
                "must be scaled by its own input x_j.")
    return None


def _update_ratio(yours, right):
    """The constant c with yours = c * right, entry by entry (a single number too), or None."""
    due = right != 0
    if np.any(yours[~due] != 0):
        return None
    ratios = yours[due] / right[due]
    return float(ratios.flat[0]) if np.allclose(ratios, ratios.flat[0], rtol=1e-6) else None


def _constant_ratio(got, expected):
    mask = np.abs(expected) > 1e-12
    if got.size < 2 or not np.any(mask) or np.any(got[~mask] != 0):
        return None
    ratios = got[mask] / expected[mask]
    if np.allclose(ratios, ratios.flat[0], rtol=1e-6) and not np.isclose(ratios.flat[0], 1.0):
        return float(ratios.flat[0])
    return None


def _describe_difference(got, expected, rtol):
    """For wrong values that match no known mistake: which entries differ, and by what pattern."""
    largest = max(float(np.max(np.abs(got))), float(np.max(np.abs(expected))), 1e-12)
    if got.size == 1:
        return (f"wrong value: {_format_number(got.item())} where {_format_number(expected.item())} is expected"
                + (", with the sign flipped" if abs(got.item() + expected.item()) <= rtol * largest else "") + ".")
    wrong = np.abs(got - expected) > rtol * largest
    where, listed = _where(wrong)
    if listed:
        where += " (" + "; ".join(f"{_position(index)}: {_format_number(got[index])} where "
                                  f"{_format_number(expected[index])} is expected" for index in listed) \
            + ("; ..." if np.count_nonzero(wrong) > len(listed) else "") + ")"
    return f"wrong values {where}{_pattern(got[wrong], expected[wrong], rtol * largest)}."


def _where(wrong):
    """Say where the True entries of wrong are ('in every entry', 'in row 1 only', ...) and which to list."""
    positions = [tuple(int(i) for i in index) for index in np.argwhere(wrong)]
    if wrong.all():
        return "in every entry", []
    if wrong.ndim == 2:
        rows, columns = np.flatnonzero(wrong.any(axis=1)), np.flatnonzero(wrong.any(axis=0))
        if wrong[rows].all():
            return f"in {'all of ' if wrong.shape[1] > 1 else ''}{_numbered('row', rows)} and nowhere else", []
        if wrong[:, columns].all():
            return f"in {'all of ' if wrong.shape[0] > 1 else ''}{_numbered('column', columns)} and nowhere else", []
    return f"in {len(positions)} of {wrong.size} entries", positions[:MAX_LISTED_ENTRIES]


def _numbered(word, indices):
    listed = ", ".join(str(int(i)) for i in indices[:MAX_LISTED_ENTRIES]) + (", ..." if len(indices) > MAX_LISTED_ENTRIES else "")
    return f"{word}{'s' if len(indices) > 1 else ''} {listed} (counted from 0)"


def _position(index):
    return f"[{', '.join(str(i) for i in index)}]"


def _pattern(got, expected, tolerance):
    """The pattern of the differing entries: a flipped sign, zeros, a constant factor or shift, or none."""
    if np.all(np.abs(got + expected) <= tolerance):
        return ", with the sign flipped"
    if np.all(np.abs(got) <= tolerance):
        return ", where yours are 0"
    if got.size < 2:
        return ""
    if np.all(np.abs(expected) > tolerance):
        ratios = got / expected
        if np.all(np.abs(ratios - ratios[0]) <= 1e-6 * max(1.0, abs(ratios[0]))):
            return f", where yours are all {_format_number(ratios[0])} times the expected values"
    shifts = got - expected
    if np.all(np.abs(shifts - shifts[0]) <= tolerance):
        return f", where yours are all shifted by {_format_number(shifts[0])}"
    return (", with no common pattern (not a flipped sign, a constant factor or a constant shift): "
            "recheck the formula for those entries")


def _in_group(row_name, group):
    return row_name == group or row_name.startswith(group + " ")


def _mistakes_by_output(mistakes, outputs):
    """Turn {diagnosis: outputs tuple or dict} into {output name: {diagnosis: value}}."""
    by_output = {name: {} for name in outputs}
    for diagnosis, values in mistakes.items():
        if isinstance(values, dict):
            pairs = values.items()
        else:
            values = values if isinstance(values, tuple) else (values,)
            pairs = zip(outputs, values)
        for name, value in pairs:
            if name in by_output:
                by_output[name][diagnosis] = value
    return by_output


# -- the student's code ---------------------------------------------------------------


def _referenced_names(code):
    names = set(code.co_names)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            names |= _referenced_names(const)
    return names


# The parts of helpers a student may use freely: data, plots and the grader.
_STUDENT_TOOLS = ("helpers.grading", "helpers.datasets", "helpers.plotting")


def _calls_reference(function, exclude):
    """Name the helpers module the function reaches into, or return ''. In a student's edition the course's functions
    are stand-ins (helpers/replay.py), named by the function they stand for."""
    own_module = getattr(function, "__module__", None) or ""
    if own_module.startswith("helpers") and own_module not in _STUDENT_TOOLS:
        return f"it is {getattr(function, 'replayed', None) or own_module + '.' + getattr(function, '__name__', '?')} itself"
    code = getattr(function, "__code__", None)
    namespace = getattr(function, "__globals__", {})
    if code is None:
        return ""
    names = _referenced_names(code)
    for name in sorted(names):
        # `from helpers.perceptron import predict` inside the function
        if (name == "helpers" or name.startswith("helpers.")) and name not in _STUDENT_TOOLS:
            return f"an import of {name}"
    for name in sorted(names - exclude):
        value = namespace.get(name)
        module = value.__name__ if isinstance(value, types.ModuleType) else getattr(value, "__module__", None)
        if isinstance(module, str) and module.startswith("helpers") and module not in _STUDENT_TOOLS:
            if isinstance(value, types.ModuleType) or callable(value):
                replayed = getattr(value, "replayed", None)
                return f"`{name}`, which is {replayed}" if replayed else f"`{name}` from {module}"
    return ""


# -- rendering ------------------------------------------------------------------------


def _error_text(row):
    return "" if row.error is None else f"{row.error:.2e}"


def legend(check):
    """What the rel. error column means, with the tolerances of this table's rows; '' when no row has one."""
    tolerances = sorted({row.tolerance for row in check.rows if row.tolerance is not None})
    if not tolerances:
        return ""
    text = LEGEND.format(tolerances=" or ".join(f"{tolerance:g}" for tolerance in tolerances))
    return text + (LEGEND_GRADCHECK if any(GRADCHECK_SUFFIX in row.name for row in check.rows) else "")


def _indented(text, indent):
    """A multi-line preview under its label: the lines after the first start at indent."""
    return text.replace("\n", "\n" + " " * indent)


def _only_recorded(check):
    """Every row of the table is an answer recorded for grading after hand-in: the table says nothing of right or
    wrong."""
    return bool(check.rows) and all(row.recorded for row in check.rows)


def render_text(check):
    """The table as plain text, readable in nbgrader's feedback."""
    passed = len(check.rows) - len(check.failures)
    header = ("check", "expected shape", "your shape", "rel. error", "result")
    body = [(row.name, row.expected_shape, row.got_shape, _error_text(row),
             "recorded" if row.recorded else "ok" if row.passed else "FAIL") for row in check.rows]
    widths = [max(len(line[i]) for line in [header, *body]) for i in range(len(header))]
    lines = [f"{check.title}: {RECORDED}" if _only_recorded(check)
             else f"{check.title}: {passed} of {len(check.rows)} checks passed"]
    for line in [header, *body]:
        lines.append("  ".join(cell.ljust(width) for cell, width in zip(line, widths)).rstrip())
    for row in check.failures:
        lines.append(f"FAIL {row.name}: {row.diagnosis}")
        if row.expected_preview:
            lines.append(f"     expected {_indented(row.expected_preview, 14)}")
        if row.got_preview:
            lines.append(f"     yours    {_indented(row.got_preview, 14)}")
    lines += [f"note: {note}" for note in check.notes]
    if legend(check):
        lines.append(legend(check))
    return "\n".join(lines)


# Inline styles, because JupyterLab's own rules for output tables (right-aligned cells, fixed equal-width columns,
# striped rows) outrank a class selector, and its sanitizer drops <style> from a notebook it does not trust.
# Colours are JupyterLab's theme variables (light and dark); the sanitizer also drops any declaration that uses
# var(), so each one follows a plain declaration of the same property that works on light and dark backgrounds
# (and in nbgrader's feedback pages, which have no theme variables).


def _themed(declaration, variable, plain):
    """'color: {}' -> 'color: plain; color: var(variable, plain)': the theme's colour, or the plain one."""
    return f"{declaration.format(plain)}; {declaration.format(f'var({variable}, {plain})')}"


_PASS, _FAIL = ("--jp-success-color1", "#2ea043"), ("--jp-error-color1", "#e5534b")
_RECORDED = ("--jp-ui-font-color2", "#6e7781")  # neither right nor wrong yet: a neutral grey
_PASS_BACKGROUND = "background: rgba(46, 160, 67, 0.15)"  # translucent: reads on light and dark backgrounds
_FAIL_BACKGROUND = _themed("background: {}", "--jp-rendermime-error-background", "rgba(248, 81, 73, 0.15)")
_TABLE_STYLE = "table-layout: auto; margin: 0.3em 0; border-collapse: collapse; width: auto; max-width: 100%"
_CELL_STYLE = "text-align: left; vertical-align: top; padding: 2px 8px; white-space: nowrap"
# The diagnosis wraps at a readable width rather than squeezing the other columns.
_DETAIL_STYLE = "text-align: left; vertical-align: top; padding: 2px 8px; white-space: normal; min-width: 24em; " \
                "max-width: 60em"


def render_html(check):
    """The table as HTML, for JupyterLab (its styles inline, see _themed)."""
    passed = len(check.rows) - len(check.failures)
    recorded = _only_recorded(check)
    colour = _FAIL if check.failures else _RECORDED if recorded else _PASS
    verdict_of_table = "failed" if check.failures else "recorded" if recorded else "passed"

    def row_html(cells, background="", tag="td"):
        styles = [_CELL_STYLE] * (len(cells) - 1) + [_DETAIL_STYLE]
        return "<tr>" + "".join(f'<{tag} style="{style}{"; " + background if background else ""}">{cell}</{tag}>'
                                for cell, style in zip(cells, styles)) + "</tr>"

    rows = []
    for row in check.rows:
        verdict = "✎ recorded" if row.recorded else "✔ ok" if row.passed else "✘ FAIL"
        detail = escape(row.diagnosis)
        if not row.passed and row.expected_preview:
            detail += "".join(f"<br><small>{label}</small><pre style=\"margin: 0; text-align: left\">"
                              f"{escape(preview)}</pre>"
                              for label, preview in (("expected", row.expected_preview), ("yours", row.got_preview))
                              if preview)
        rows.append(row_html([f"<code>{escape(row.name)}</code>", escape(row.expected_shape), escape(row.got_shape),
                              _error_text(row), verdict, detail],
                             "" if row.recorded else _PASS_BACKGROUND if row.passed else _FAIL_BACKGROUND))
    header = row_html(["check", "expected shape", "your shape", "rel. error", "result", "what is wrong"], tag="th")
    notes = "".join(f"<li>{escape(note)}</li>" for note in check.notes)
    explained = legend(check)
    return (f'<div class="course-check course-check-{verdict_of_table}">'
            f'<b style="{_themed("color: {}", *colour)}">{"✘" if check.failures else "✎" if recorded else "✔"} '
            f"{escape(check.title)}: "
            + (RECORDED if recorded else f"{passed} of {len(check.rows)} checks passed") + "</b>"
            f'<table style="{_TABLE_STYLE}; {_themed("border-left: 4px solid {}", *colour)}"><thead>{header}</thead>'
            f"<tbody>{''.join(rows)}</tbody></table>"
            + (f'<ul style="margin: 0.2em 0">{notes}</ul>' if notes else "")
            + (f'<p style="margin: 0.2em 0; text-align: left"><small>{escape(explained)}</small></p>'
               if explained else "") + "</div>")


def _mistake_key(row):
    """One key for one kind of mistake, whatever the shapes and sizes it was seen at ('# times too large')."""
    if row.kind != "mistake":
        return None
    return f"{row.output}: " + "".join("#" if character.isdigit() else character for character in row.diagnosis)


def as_data(check):
    """The table as plain data (RESULT_MIMETYPE): what the report and the problems list read."""
    return {"title": check.title, "passed": not check.failures, "earned": check.earned, "possible": check.possible,
            "rows": [{"name": row.name, "output": row.output, "case": row.case, "expected_shape": row.expected_shape,
                      "shape": row.got_shape,
                      "error": row.error if row.error is None or np.isfinite(row.error) else None, "passed": row.passed, "kind": row.kind,
                      "diagnosis": row.diagnosis, "mistake_key": _mistake_key(row), "raised": row.raised,
                      "tolerance": row.tolerance}
                     for row in check.rows],
            "legend": legend(check),
            "notes": [{"text": note, "kind": check.note_kinds.get(note, "note")} for note in check.notes]}


def _show(check):
    place.current().show({"text/plain": render_text(check), "text/html": render_html(check),
                          RESULT_MIMETYPE: as_data(check)})


# -- the self-checks of the "look at what you built" cells ----------------------------------------------------


def self_check(steps, atol=1e-3):
    """Compare a run of the student's own functions with the lecture's, step by step, and print the verdict.

    steps: [(function name, what the step computes, the student's values, the lecture's values)], in the order the
    functions build on each other (each step's function uses those of the steps before it). The first step that
    differs names the function where the mistake is: the steps before it agree, and the functions after it build
    on it (their own tests use the course's version of it, so they can pass while this run fails). Returns whether
    every step agrees."""
    for index, (name, what, yours, lecture) in enumerate(steps):
        if not _agrees(yours, lecture, atol):
            after = [step[0] for step in steps[index + 1:] if step[0] != name]
            print(f"Self-check: MISMATCH at `{name}` ({what}): yours {_rounded(yours)}, the lecture's "
                  f"{_rounded(lecture)}.\nThe steps before it agree with the lecture, so look at `{name}` itself: "
                  "its own test above says what is wrong"
                  + (f" (the tests of {', '.join(f'`{later}`' for later in dict.fromkeys(after))} use the course's "
                     f"`{name}` in place of yours, so they can pass while this run fails)." if after else "."))
            return False
    print("Self-check: your run agrees with the lecture's at every step: "
          + "; ".join(f"`{name}` ({what})" for name, what, _, _ in steps) + ".")
    return True


def _agrees(yours, lecture, atol):
    if isinstance(lecture, tuple):  # several values; a list is one array
        return isinstance(yours, (tuple, list)) and len(yours) == len(lecture) and all(
            _agrees(mine, theirs, atol) for mine, theirs in zip(yours, lecture))
    try:
        mine, theirs = np.asarray(yours, dtype=np.float64), np.asarray(lecture, dtype=np.float64)
    except (TypeError, ValueError):
        return False
    return mine.shape == theirs.shape and bool(np.allclose(mine, theirs, rtol=0.0, atol=atol))


def _rounded(values):
    """values as the self-check prints them: arrays flattened, numbers to 4 significant digits."""
    if isinstance(values, tuple):
        return "(" + ", ".join(_rounded(value) for value in values) + ")"
    try:
        array = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError):
        return _short_repr(values)
    if array.ndim == 0:
        return _format_number(array.item())
    return "[" + ", ".join(_format_number(value) for value in array.ravel()) + "]"
