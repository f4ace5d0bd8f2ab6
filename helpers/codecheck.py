"""Reading a student's code for Python loops: advice in the test cells' tables, never a grade (the grade measures
what the code costs: helpers/cputime.py).

    find_loops(train_step)    -> [(12, "a for loop", "for i in range(m):"), ...]
    loop_message(train_step)  -> "" when there is none, else a sentence naming each line

A loop is a for or while statement, a comprehension or generator expression, or a
call that runs Python code once per element (the one list: notebook_loops.LOOPING_CALLS,
e.g. map, np.vectorize, np.frompyfunc, functools.reduce). Functions of the same
module (e.g. the same notebook) that the function calls by name are searched too,
so a loop cannot hide in a helper. Line numbers are those of the file or notebook
cell the function was written in, as in a traceback.
"""
import ast
import inspect
import textwrap
import types

from helpers import notebook_loops, place

ADVICE = "Advice, not graded: "  # how a table's note from reading the code begins (it may differ by where it reads)

MAX_NAMED_LINES = 3


class SourceUnavailable(ValueError):
    """The function's source code cannot be read, so its loops cannot be looked for."""


def _source(function):
    """(parsed tree, list of source lines, number of the first line), or raise SourceUnavailable."""
    name = getattr(function, "__name__", repr(function))
    function = inspect.unwrap(function) if callable(function) else function
    if not isinstance(function, types.FunctionType):
        raise SourceUnavailable(f"`{name}` is not a function written with `def` (it is a {type(function).__name__}), "
                                "so its code cannot be checked for loops.")
    try:
        lines, first_line = inspect.getsourcelines(function)
    except (OSError, TypeError) as error:
        raise SourceUnavailable(
            f"the source code of `{name}` cannot be read ({error}): define it with `def` in a notebook cell "
            "or a .py file, and run that cell again.") from error
    try:
        tree = ast.parse(textwrap.dedent("".join(lines)))
    except SyntaxError as error:  # e.g. a lambda in the middle of a longer expression
        raise SourceUnavailable(f"the source code of `{name}` cannot be parsed on its own ({error.msg}): "
                                "write it as a function with `def`.") from error
    return tree, lines, max(first_line, 1)


def _describe(node, namespace):
    for kind, description in notebook_loops.LOOPS.items():
        if isinstance(node, kind):
            return description
    if not isinstance(node, ast.Call):
        return None
    if isinstance(node.func, ast.Name) and node.func.id in namespace:  # what the name holds, whatever it is called
        return notebook_loops.looping_objects().get(id(namespace[node.func.id]))
    return notebook_loops.looping_call(node)


def _called_names(tree):
    return {node.func.id for node in ast.walk(tree) if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)}


def find_loops(function, follow_calls=True):
    """[(line number, what kind of loop, the line's text)] for every loop in function, in order.

    With follow_calls, functions of function's own module that it calls by name are
    searched as well, and their findings say where they are ("... in `helper`").
    Raises SourceUnavailable with an explanation when the source cannot be read.
    """
    found, seen, pending = [], set(), [(function, "")]
    while pending:
        current, where = pending.pop(0)
        if id(current) in seen:
            continue
        seen.add(id(current))
        tree, lines, first_line = _source(current)
        namespace = getattr(current, "__globals__", {})
        here = {(first_line + node.lineno - 1, description + where, lines[node.lineno - 1].strip())
                for node in ast.walk(tree) for description in [_describe(node, namespace)] if description}
        found += sorted(here)
        if follow_calls:
            for name in sorted(_called_names(tree)):
                helper = namespace.get(name)
                if isinstance(helper, types.FunctionType) and helper.__module__ == function.__module__:
                    pending.append((helper, f" in `{name}` (called by `{current.__name__}`)"))
    return found


def _in_notebook(function):
    """True for a function of the notebook (the student's kernel's, or one called from the trusted grader)."""
    return getattr(function, "remote", False) or getattr(function, "__module__", None) == "__main__"


def loops_in(function, follow_calls=True):
    """([(where, what kind of loop, the line's text)], '') for every loop function runs, or ([], why the code
    cannot be checked). A notebook's function is read from the cells the kernel ran (helpers/notebook_loops.py),
    everything it calls included; any other function from its own source file."""
    if _in_notebook(function):
        loops, reason = notebook_loops.loop_report(getattr(function, "__name__", repr(function)),
                                                   place.current().sources())
        return loops, f"{reason}." if reason else ""
    try:
        return find_loops(function, follow_calls=follow_calls), ""
    except SourceUnavailable as error:
        return [], str(error)


def line_label(line):
    """'line 12', or a notebook's 'cell 3, line 4' as it is."""
    return line if isinstance(line, str) else f"line {line}"


def loop_message(function, follow_calls=True):
    """'' if function has no Python loop; otherwise a sentence that names the lines to rewrite.

    A notebook's function is read from the cells the kernel ran (helpers/notebook_loops.py), everything it
    calls included; any other function from its own source file.
    """
    name = getattr(function, "__name__", repr(function))
    loops, reason = loops_in(function, follow_calls=follow_calls)
    if reason:
        return reason
    if not loops:
        return ""
    named = "; ".join(f"{description} at {line_label(line)}: `{text}`"
                      for line, description, text in loops[:MAX_NAMED_LINES])
    more = len(loops) - MAX_NAMED_LINES
    extra = f"; and {more} more" if more > 0 else ""
    if len(loops) == 1:
        return (f"`{name}` still runs a Python loop, {named}. Replace it with NumPy operations on whole arrays "
                "(matrix products, sums over an axis, broadcasting).")
    return (f"`{name}` still runs {len(loops)} Python loops: {named}{extra}. Replace them with NumPy operations "
            "on whole arrays (matrix products, sums over an axis, broadcasting).")
