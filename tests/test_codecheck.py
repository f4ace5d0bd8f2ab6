"""helpers.codecheck: every kind of Python loop is found and named by its line, in files and notebook cells."""
import inspect

import numpy as np
import pytest
from numpy import vectorize as elementwise

from helpers import codecheck
from helpers.reference import shallow


def vectorized_step(X, W):
    Z = W @ X
    return np.tanh(Z), np.sum(Z, axis=1, keepdims=True)


def every_kind_of_loop(X):
    total = 0.0
    for x in X:
        total += x
    while total > 10:
        total /= 2
    squares = [x ** 2 for x in X]
    evens = {int(x) % 2 for x in X}
    index = {i: x for i, x in enumerate(X)}
    gen = sum(x for x in X)
    mapped = list(map(abs, X))
    kept = list(filter(None, X))
    v = np.vectorize(abs)(X)
    f = np.frompyfunc(abs, 1, 1)(X)
    rows = np.apply_along_axis(np.sum, 0, X)
    axes = np.apply_over_axes(np.sum, X, [0])
    return total, squares, evens, index, gen, mapped, kept, v, f, rows, axes


def aliased_vectorize(X):
    return elementwise(abs)(X)


def uses_methods_named_map(pool, X):
    return pool.map(abs, X), X.filter


def loop_in_helper(X):
    return vectorized_step(X, X) + helper_with_loop(X)


def helper_with_loop(X):
    return tuple(row for row in X)


def line_of(function, text):
    """The line number of the first source line of function that contains text."""
    lines, first = inspect.getsourcelines(function)
    return first + next(i for i, line in enumerate(lines) if text in line)


def test_vectorized_code_has_no_loops():
    assert codecheck.find_loops(vectorized_step) == []
    assert codecheck.loop_message(vectorized_step) == ""
    assert codecheck.loop_message(shallow.backward) == ""
    assert codecheck.loop_message(shallow.train_step) == ""


@pytest.mark.parametrize("text, description", [
    ("for x in X:", "a for loop"),
    ("while total > 10:", "a while loop"),
    ("squares = [", "a list comprehension"),
    ("evens = {", "a set comprehension"),
    ("index = {", "a dict comprehension"),
    ("gen = sum(", "a generator expression"),
    ("list(map(", "map()"),
    ("list(filter(", "filter()"),
    ("np.vectorize(", "np.vectorize"),
    ("np.frompyfunc(", "np.frompyfunc"),
    ("np.apply_along_axis(", "np.apply_along_axis"),
    ("np.apply_over_axes(", "np.apply_over_axes"),
])
def test_each_kind_of_loop_is_found_on_its_line(text, description):
    line = line_of(every_kind_of_loop, text)
    found = codecheck.find_loops(every_kind_of_loop)
    assert (line, description) in {(number, kind) for number, kind, _ in found}
    assert any(number == line and text in source for number, _, source in found)


def test_findings_are_in_line_order_and_complete():
    found = codecheck.find_loops(every_kind_of_loop)
    assert len(found) == 12
    assert [number for number, _, _ in found] == sorted(number for number, _, _ in found)


def test_a_renamed_vectorize_is_still_found():
    [(line, description, text)] = codecheck.find_loops(aliased_vectorize)
    assert description == "np.vectorize" and "elementwise(abs)" in text


def test_methods_that_happen_to_be_called_map_are_not_loops():
    assert codecheck.find_loops(uses_methods_named_map) == []


def test_a_loop_in_a_called_helper_is_found_and_attributed():
    found = codecheck.find_loops(loop_in_helper)
    assert [(line, description) for line, description, _ in found] == [
        (line_of(helper_with_loop, "tuple("), "a generator expression in `helper_with_loop` (called by `loop_in_helper`)")]
    assert codecheck.find_loops(loop_in_helper, follow_calls=False) == []


def test_the_reference_loop_version_is_caught_through_its_helpers():
    message = codecheck.loop_message(shallow.train_step_loop)
    assert "`backward_loop`" in message and "for i in range(m):" in message
    assert f"line {line_of(shallow.backward_loop, 'for i in range(m):')}" in message


def test_the_message_names_the_line_and_its_text():
    message = codecheck.loop_message(every_kind_of_loop)
    assert message.startswith("`every_kind_of_loop` still runs 12 Python loops")
    assert f"a for loop at line {line_of(every_kind_of_loop, 'for x in X:')}: `for x in X:`" in message
    assert "and 9 more" in message


def test_a_single_loop_is_named_in_the_singular():
    message = codecheck.loop_message(helper_with_loop)
    assert message.startswith("`helper_with_loop` still runs a Python loop, a generator expression at line")
    assert "Replace it" in message


def test_functions_defined_in_a_notebook_cell():
    InteractiveShell = pytest.importorskip("IPython.core.interactiveshell").InteractiveShell
    shell = InteractiveShell()
    result = shell.run_cell("import numpy as np\n"
                            "\n"
                            "def train_step(X):\n"
                            "    total = 0\n"
                            "    for x in X:\n"
                            "        total += x\n"
                            "    return [t for t in total]\n")
    assert result.success
    found = codecheck.find_loops(shell.user_ns["train_step"])
    assert found == [(5, "a for loop", "for x in X:"), (7, "a list comprehension", "return [t for t in total]")]


@pytest.mark.parametrize("function, reason", [
    (np.add, "not a function written with `def`"),
    (print, "not a function written with `def`"),
    (3, "not a function written with `def`"),
])
def test_what_is_not_a_python_function_gets_a_clear_message(function, reason):
    with pytest.raises(codecheck.SourceUnavailable, match=reason):
        codecheck.find_loops(function)
    assert reason in codecheck.loop_message(function)


def test_a_function_without_source_gets_a_clear_message():
    namespace = {}
    exec("def made_by_exec(X):\n    return X\n", namespace)
    message = codecheck.loop_message(namespace["made_by_exec"])
    assert "source code of `made_by_exec` cannot be read" in message and "define it with `def`" in message


def test_a_lambda_is_checked_like_any_function():
    squares = lambda X: [x * x for x in X]  # noqa: E731 (a lambda on purpose)
    [(line, description, _)] = codecheck.find_loops(squares)
    assert line == line_of(test_a_lambda_is_checked_like_any_function, "squares = lambda")
    assert description == "a list comprehension"


def test_source_that_cannot_be_parsed_on_its_own_gets_a_clear_message(monkeypatch):
    monkeypatch.setattr(inspect, "getsourcelines", lambda function: (["f = apply(lambda x: x,\n"], 1))
    message = codecheck.loop_message(vectorized_step)
    assert "cannot be parsed on its own" in message and "write it as a function with `def`" in message
