"""Where a test cell runs: in the student's own kernel, or in the trusted grader. Test cells do not know which.

The grading toolkit asks the current place for these:

    call(function, args, kwargs, stand_ins) -> Outcome   run a student's function, with the course's
                                                          versions of other functions standing in
    show(bundle)                                          show a table (a MIME bundle)
    sources()                                             the code cells the kernel has run, in order
    cpu_seconds()                                         the CPU time charged so far to where the student's
                                                          functions run (helpers/cputime.py)
    channel_seconds(args, result)                         do (and time) the work the wire to that place adds
                                                          to a call with these arguments and result

In the student's kernel (JupyterLab, Validate) the place is `InKernel`: the function is
called right there, with the stand-ins swapped into its globals for the call. During
autograding the grader installs its own place (autograder/trusted.py): the function runs
in the sandboxed kernel, its arguments and results cross as plain data
(autograder/agent.py), and the stand-ins call back to the trusted side.
"""
import contextlib
import io
import resource
import time
import traceback
import warnings
from dataclasses import dataclass, field


@dataclass
class Outcome:
    """What one call of a student's function did. Exactly one of value / error / not_implemented says so."""

    value: object = None
    error: str = ""              # 'ValueError: message at line 3 of `f`: `code`'
    raised: str = ""             # the name of the exception's class ('ValueError'), for the report
    not_implemented: bool = False
    lost: str = ""               # the call could not be made or read back, for a reason outside the answer
    unsupported: str = ""        # the value that came back is not data: what it is ('a generator'), from the grader
    stdout: str = ""
    stderr: str = ""
    warnings: list = field(default_factory=list)


class InKernel:
    """The student's own kernel: call functions directly, show tables with IPython's display."""

    remote = False

    def call(self, function, args, kwargs, stand_ins):
        stdout, stderr, caught = io.StringIO(), io.StringIO(), []
        outcome = Outcome()
        try:
            with _swapped_globals(function, stand_ins), warnings.catch_warnings(record=True) as caught, \
                    contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
                warnings.simplefilter("always")
                outcome.value = function(*args, **kwargs)
        except NotImplementedError:
            outcome.not_implemented = True
        except Exception as error:  # the student's bug, reported instead of crashing the cell
            outcome.error, outcome.raised = describe_exception(error), type(error).__name__
        outcome.stdout, outcome.stderr = stdout.getvalue(), stderr.getvalue()
        outcome.warnings = [f"{warning.category.__name__}: {warning.message}" for warning in caught]
        return outcome

    def show(self, bundle):
        try:
            from IPython import get_ipython
            from IPython.display import display
        except ImportError:
            get_ipython = None
        if get_ipython is not None and get_ipython() is not None:
            display(bundle, raw=True)
        else:
            print(bundle["text/plain"])

    def cpu_seconds(self):
        """The CPU time of this thread, which calls the student's functions, and of the children this process has
        waited for: the clock the course's calls are measured with here too (helpers/cputime.py), so that the
        kernel's other threads (IPython's output, a multi-threaded BLAS's helpers) count on neither side."""
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        return time.thread_time() + children.ru_utime + children.ru_stime

    def channel_seconds(self, args, result):
        """Nothing: here a call crosses no wire."""
        return 0.0

    def sources(self):
        """The raw text of every cell this kernel ran, in order (IPython's input history)."""
        try:
            from IPython import get_ipython
        except ImportError:
            return []
        shell = get_ipython()
        return list(shell.history_manager.input_hist_raw[1:]) if shell is not None else []


_current = [InKernel()]


def current():
    return _current[-1]


@contextlib.contextmanager
def using(place):
    """Run the body with another place (the trusted grader installs its own around each test cell)."""
    _current.append(place)
    try:
        yield place
    finally:
        _current.pop()


def describe_exception(error):
    """'ValueError: message at line 3 of `f`: `code`', pointing at the innermost frame outside helpers."""
    frames = [frame for frame in traceback.extract_tb(error.__traceback__) if "/helpers/" not in frame.filename]
    where = ""
    if frames:
        frame = frames[-1]
        where = f" at line {frame.lineno} of `{frame.name}`" + (f": `{frame.line.strip()}`" if frame.line else "")
    return f"{type(error).__name__}: {error}{where}."


@contextlib.contextmanager
def _swapped_globals(function, replacements):
    namespace = getattr(function, "__globals__", None)
    if not replacements or namespace is None:
        yield
        return
    missing = object()
    saved = {name: namespace.get(name, missing) for name in replacements}
    namespace.update(replacements)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is missing:
                namespace.pop(name, None)
            else:
                namespace[name] = value
