"""helpers.notebook_loops: loops in a notebook's function, read from the cells the kernel ran, helpers included.

What the check cannot follow must cost the check (a reason is returned) rather than pass it.
"""
import ast
import importlib
import types

import pytest

from helpers import codecheck, notebook_loops, place
from helpers.notebook_loops import loop_report

NUMPY = "import numpy as np\n"


def report(*cells, name="f"):
    return loop_report(name, list(cells))


def findings(*cells, name="f"):
    """The findings of a check that must not have been refused."""
    found, reason = report(*cells, name=name)
    assert reason == ""
    return found


def refusal(*cells, name="f"):
    """The reason of a check that must have been refused (and then found nothing)."""
    found, reason = report(*cells, name=name)
    assert reason and found == []
    return reason


def test_a_function_without_loops_passes():
    assert report(NUMPY, "def f(X, W):\n    Z = W @ X\n    return np.tanh(Z), np.sum(Z, axis=1)\n") == ([], "")


def test_data_and_numpy_functions_it_uses_are_not_followed_as_code():
    assert findings(NUMPY + "import math\nfrom numpy import tanh\nW = np.ones(3)\nrate = 0.1\n",
                    "def f(X):\n    return tanh(W @ X) * rate + math.pi + np.sum(X)\n") == []


@pytest.mark.parametrize("body, line, kind, text", [
    pytest.param("    total = 0\n    for x in X:\n        total += x\n    return total\n", 3, "a for loop",
                 "for x in X:", id="for"),
    pytest.param("    while X > 1:\n        X = X / 2\n    return X\n", 2, "a while loop", "while X > 1:", id="while"),
    pytest.param("    return [x for x in X]\n", 2, "a list comprehension", "return [x for x in X]", id="list comp"),
    pytest.param("    s = 1\n    return {x for x in X}\n", 3, "a set comprehension", "return {x for x in X}",
                 id="set comp"),
    pytest.param("    return {i: x for i, x in enumerate(X)}\n", 2, "a dict comprehension",
                 "return {i: x for i, x in enumerate(X)}", id="dict comp"),
    pytest.param("    return sum(x for x in X)\n", 2, "a generator expression", "return sum(x for x in X)",
                 id="generator expression"),
    pytest.param("    def inner(Y):\n        return [y for y in Y]\n    return inner(X)\n", 3,
                 "a list comprehension", "return [y for y in Y]", id="in a nested def"),
])
def test_each_kind_of_loop_is_found_with_its_cell_and_line(body, line, kind, text):
    assert findings(NUMPY, "def f(X):\n" + body) == [(f"cell 2, line {line}", kind, text)]


def test_an_async_for_loop_is_found():
    assert findings("async def f(X):\n    async for x in X:\n        pass\n") == [
        ("cell 1, line 2", "an async for loop", "async for x in X:")]


def test_findings_are_in_order_and_each_line_once():
    found = findings("def f(X):\n    a = [[y for y in x] for x in X]\n    for x in X:\n        pass\n")
    assert found == [("cell 1, line 2", "a list comprehension", "a = [[y for y in x] for x in X]"),
                     ("cell 1, line 3", "a for loop", "for x in X:")]


def test_a_loop_in_a_helper_in_another_cell_is_found_and_attributed():
    found = findings(NUMPY, "def helper(X):\n    return [x for x in X]\n", "def f(X):\n    return helper(X) + 1\n")
    assert found == [("cell 2, line 2", "a list comprehension in `helper` (used by `f`)", "return [x for x in X]")]


def test_a_helper_of_a_helper_is_followed_and_attributed_to_its_caller():
    found = findings("def inner(X):\n    for x in X:\n        pass\n",
                     "def middle(X):\n    return inner(X)\n",
                     "def f(X):\n    return middle(X)\n")
    assert found == [("cell 1, line 2", "a for loop in `inner` (used by `middle`)", "for x in X:")]


def test_a_helper_defined_after_the_function_is_followed():
    """The kernel looks a global name up when it is called, so the helper's cell may come later."""
    found = findings("def f(X):\n    return helper(X)\n", "def helper(X):\n    return [x for x in X]\n")
    assert [kind for _, kind, _ in found] == ["a list comprehension in `helper` (used by `f`)"]


def test_a_helper_passed_as_a_value_is_followed():
    found = findings(NUMPY, "def helper(x):\n    while x:\n        x -= 1\n",
                     "def f(X):\n    apply = helper\n    return apply(X)\n")
    assert [where for where, _, _ in found] == ["cell 2, line 2"]


def test_a_lambda_in_a_global_name_is_followed():
    found = findings("square_all = lambda X: [x * x for x in X]\n", "def f(X):\n    return square_all(X)\n")
    assert found == [("cell 1, line 1", "a list comprehension in `square_all` (used by `f`)",
                      "square_all = lambda X: [x * x for x in X]")]


def test_a_function_written_as_a_lambda_is_checked_itself():
    assert findings("f = lambda X: {x for x in X}\n") == [
        ("cell 1, line 1", "a set comprehension", "f = lambda X: {x for x in X}")]


def test_a_loop_free_lambda_in_a_global_name_passes():
    assert findings(NUMPY + "relu = lambda Z: np.maximum(Z, 0)\n", "def f(X):\n    return relu(X)\n") == []


@pytest.mark.parametrize("call, kind", [
    pytest.param("list(map(abs, X))", "map()", id="map"),
    pytest.param("list(filter(None, X))", "filter()", id="filter"),
    pytest.param("np.vectorize(abs)(X)", "np.vectorize", id="np.vectorize"),
    pytest.param("np.frompyfunc(abs, 1, 1)(X)", "np.frompyfunc", id="np.frompyfunc"),
    pytest.param("np.apply_along_axis(np.sum, 0, X)", "np.apply_along_axis", id="np.apply_along_axis"),
    pytest.param("np.apply_over_axes(np.sum, X, [0])", "np.apply_over_axes", id="np.apply_over_axes"),
    pytest.param("np.fromiter(X, float)", "np.fromiter", id="np.fromiter"),
    pytest.param("np.piecewise(X, [X < 0], [lambda x: -x])", "np.piecewise", id="np.piecewise"),
    pytest.param("sorted(X, key=abs)", "sorted() with a key function", id="sorted with key"),
    pytest.param("min(X, key=abs)", "min() with a key function", id="min with key"),
    pytest.param("max(X, key=lambda x: -x)", "max() with a key function", id="max with key"),
])
def test_calls_that_run_python_per_element_are_found(call, kind):
    assert findings(NUMPY, f"def f(X):\n    return {call}\n") == [("cell 2, line 2", kind, f"return {call}")]


@pytest.mark.parametrize("cells, kind", [
    pytest.param(["import functools\n", "def f(X):\n    return functools.reduce(lambda a, b: a + b, X)\n"],
                 "functools.reduce", id="functools.reduce"),
    pytest.param(["from functools import reduce\n", "def f(X):\n    return reduce(lambda a, b: a + b, X)\n"],
                 "functools.reduce", id="reduce imported by name"),
    pytest.param(["import itertools\n", "def f(X):\n    return list(itertools.accumulate(X))\n"],
                 "itertools.accumulate", id="itertools.accumulate"),
])
def test_looping_calls_of_the_standard_library_cost_the_check(cells, kind):
    """functools and itertools are not modules the check reads, so it refuses them, which costs the same."""
    loops, reason = loop_report("f", list(cells))
    module = kind.split(".")[0]
    assert reason and module in reason or [found_kind for _, found_kind, _ in loops] == [kind]


def test_methods_that_happen_to_be_called_map_or_filter_are_not_loops():
    assert findings("def f(pool, frame, X):\n    return pool.map(abs, X), frame.filter(X)\n") == []


def test_a_ufuncs_reduce_and_accumulate_are_not_loops():
    assert findings(NUMPY, "def f(X):\n    return np.add.reduce(X, axis=1, keepdims=True), np.add.accumulate(X)\n") \
        == []


def test_the_advice_and_the_notebook_reading_share_one_list_of_looping_calls():
    """helpers.codecheck reads a file's function with notebook_loops' list, and finds an aliased import through it."""
    assert not hasattr(codecheck, "_LOOPING_CALLS")
    for name, (module, description) in notebook_loops.LOOPING_CALLS.items():
        call = ast.parse(f"{name}(f, X)").body[0].value
        renamed = ast.parse("alias(f, X)").body[0].value
        assert codecheck._describe(call, {}) == description
        assert codecheck._describe(renamed, {"alias": getattr(importlib.import_module(module), name)}) == description


def test_sorted_min_and_max_without_a_key_are_not_loops():
    assert findings("def f(X):\n    return sorted(X), min(X), max(X, default=0)\n") == []


def test_direct_recursion_is_a_loop():
    assert findings("def f(n):\n    return f(n - 1) if n else 0\n") == [
        ("cell 1, line 1", "recursion (a function that ends up calling itself)", "def f(n):")]


def test_mutual_recursion_across_cells_is_a_loop():
    found = findings(NUMPY, "def f(n):\n    return g(n - 1) if n else 0\n", "def g(n):\n    return f(n)\n")
    assert found == [("cell 2, line 1", "recursion (a function that ends up calling itself)", "def f(n):")]


def test_recursion_in_a_helper_is_a_loop():
    found = findings("def helper(n):\n    return helper(n - 1) if n else 0\n", "def f(n):\n    return helper(n)\n")
    assert [kind for _, kind, _ in found] == ["recursion (a function that ends up calling itself)"]


def test_calling_the_same_helper_twice_is_not_recursion():
    assert findings("def helper(x):\n    return 2 * x\n", "def f(x):\n    return helper(helper(x))\n") == []


def test_a_parameter_that_shadows_a_notebook_function_is_not_followed():
    assert findings("def helper(X):\n    return [x for x in X]\n", "def f(helper, X):\n    return helper(X)\n") == []


def test_a_local_variable_that_shadows_a_notebook_function_is_not_followed():
    assert findings("def helper(X):\n    return [x for x in X]\n",
                    "def f(X, *args, **kwargs):\n    helper = abs\n    return helper(X)\n") == []


def test_a_lambda_parameter_that_shadows_a_notebook_function_is_not_followed():
    assert findings("def helper(X):\n    return [x for x in X]\n",
                    "f = lambda X, helper=abs: helper(X)\n") == []


# -- cells with IPython syntax -----------------------------------------------------------------


@pytest.mark.parametrize("magic", ["%%time", "%%timeit -n1 -r1", "%%capture output"])
def test_the_body_of_a_timing_cell_is_read_as_python(magic):
    found = findings(NUMPY, f"{magic}\ndef f(X):\n    for x in X:\n        pass\n")
    assert [(where.split(",")[0], kind) for where, kind, _ in found] == [("cell 2", "a for loop")]


def test_the_quoted_line_of_a_timing_cell_is_the_loop():
    [(_, _, text)] = findings("%%time\ndef f(X):\n    total = 0\n    return [x for x in X]\n")
    assert text == "return [x for x in X]"


def test_the_quoted_line_of_a_cell_with_leading_blank_lines_is_the_loop():
    [(_, _, text)] = findings("\n\ndef f(X):\n    return [x for x in X]\n")
    assert text == "return [x for x in X]"


def test_a_line_magic_and_shell_command_in_the_same_cell_do_not_stop_the_check():
    found = findings(NUMPY + "%matplotlib inline\n!echo hello\n%time r = 1\n"
                     "def f(X):\n    return [x for x in X]\n")
    assert found == [("cell 1, line 6", "a list comprehension", "return [x for x in X]")]


def test_a_function_timed_with_a_line_magic_is_still_checked():
    found = findings("def f(X):\n    return [x for x in X]\n", "%time f([1, 2])\n")
    assert [where for where, _, _ in found] == ["cell 1, line 2"]


@pytest.mark.parametrize("cell, magic", [
    pytest.param("%run helpers_of_mine.py\n", "%run", id="%run"),
    pytest.param("%load helpers_of_mine.py\n", "%load", id="%load"),
    pytest.param("%%writefile helpers_of_mine.py\ndef slow(X):\n    return [x for x in X]\n", "%writefile",
                 id="%%writefile"),
    pytest.param("%%time\n%run helpers_of_mine.py\n", "%run", id="%run inside %%time"),
])
def test_magics_that_run_code_the_check_cannot_read_make_it_refuse(cell, magic):
    reason = refusal(cell, "def f(X):\n    return X\n")
    assert reason == f"cell 1 uses {magic}, which runs code the check cannot read"


# -- what the check cannot follow is refused -----------------------------------------------------


@pytest.mark.parametrize("code, what", [
    pytest.param("exec('x = 1')", "exec()", id="exec"),
    pytest.param("y = eval('1 + 1')", "eval()", id="eval"),
    pytest.param("code = compile('1', 'x', 'eval')", "compile()", id="compile"),
    pytest.param("globals()['helper'] = abs", "globals()", id="globals()"),
    pytest.param("v = vars()", "vars()", id="vars()"),
    pytest.param("setattr(np, 'sum', len)", "setattr()", id="setattr"),
    pytest.param("delattr(np, 'sum')", "delattr()", id="delattr"),
    pytest.param("name = 'sum'\ntotal = getattr(np, name)", "getattr with a name made at run time", id="getattr with a variable name"),
    pytest.param("m = __import__('os')", "__import__()", id="__import__"),
    pytest.param("import sys\nsys.modules['numpy'] = None", "sys.modules", id="sys.modules"),
    pytest.param("import importlib\nm = importlib.import_module('mine')", "importlib.import_module",
                 id="importlib"),
    pytest.param("import builtins\nbuiltins.sum = len", "builtins.sum", id="builtins"),
    pytest.param("np.sum.__code__ = len.__code__", "numpy.sum.__code__", id="__code__"),
    pytest.param("def g():\n    global helper\n    helper = abs", "global helper", id="global statement"),
])
def test_code_that_rebinds_names_at_run_time_anywhere_makes_it_refuse(code, what):
    """Even in a cell unrelated to the function, run after it."""
    reason = refusal(NUMPY, "def f(X):\n    return X\n", code + "\n")
    assert reason.startswith(f"cell 3 uses {what}, which can change what a name means")


def test_getattr_with_a_constant_name_is_allowed():
    assert findings(NUMPY, "def f(X):\n    return getattr(np, 'sum')(X)\n") == []


def test_a_decorator_makes_it_refuse():
    reason = refusal("import functools\n", "@functools.lru_cache\ndef f(X):\n    return X\n")
    assert reason == "`f` has a decorator, whose code the check cannot follow: remove it"


def test_a_decorated_helper_makes_it_refuse():
    reason = refusal("def twice(g):\n    return g\n\n@twice\ndef helper(X):\n    return X\n",
                     "def f(X):\n    return helper(X)\n")
    assert "`helper` has a decorator" in reason


def test_a_class_makes_it_refuse():
    assert refusal("class f:\n    def __call__(self, X):\n        return X\n") == \
        "`f` is a class: its methods cannot be checked for loops here"


def test_a_class_used_by_the_function_makes_it_refuse():
    reason = refusal("class Layer:\n    pass\n", "def f(X):\n    return Layer(X)\n")
    assert reason == "`Layer` is a class: its methods cannot be checked for loops here"


@pytest.mark.parametrize("imports, used, module", [
    pytest.param("import os\n", "os.listdir(X)", "os", id="import"),
    pytest.param("from os import listdir\n", "listdir(X)", "os", id="from import"),
    pytest.param("import my_helpers as mh\n", "mh.slow(X)", "my_helpers", id="import as"),
    pytest.param("from my_package.tools import slow\n", "slow(X)", "my_package.tools", id="from a package"),
])
def test_a_name_from_an_unknown_module_makes_it_refuse(imports, used, module):
    reason = refusal(imports, f"def f(X):\n    return {used}\n")
    assert f"comes from the module {module}, whose code cannot be checked for loops" in reason


def test_names_from_numpy_math_and_helpers_are_allowed():
    assert findings("import numpy.linalg as la\nfrom math import sqrt\nfrom helpers.reference.activations import sigmoid\n",
                    "def f(X):\n    return la.norm(X) + sqrt(2) + sigmoid(X)\n") == []


def test_an_unused_unknown_module_does_not_make_it_refuse():
    assert findings("import os\n", "def f(X):\n    return X\n") == []


def test_a_function_that_is_not_defined_makes_it_refuse():
    assert refusal("def g(X):\n    return X\n") == "`f` is not defined in the notebook's cells"


def test_a_function_defined_by_assignment_makes_it_refuse():
    reason = refusal(NUMPY + "f = np.sum\n")
    assert reason == "`f` is not written with `def`, so its code cannot be checked for loops"


# -- which definition counts -----------------------------------------------------------------------


def test_the_last_definition_of_a_redefined_function_is_checked():
    looping, plain = "def f(X):\n    return [x for x in X]\n", "def f(X):\n    return X\n"
    assert findings(looping, plain) == []
    assert findings(plain, looping) == [("cell 2, line 2", "a list comprehension", "return [x for x in X]")]


def test_the_last_definition_of_a_redefined_helper_is_followed():
    found = findings("def helper(X):\n    return X\n", "def f(X):\n    return helper(X)\n",
                     "def helper(X):\n    while True:\n        return X\n")
    assert found == [("cell 3, line 2", "a while loop in `helper` (used by `f`)", "while True:")]


def test_a_cell_with_a_syntax_error_is_skipped():
    """The kernel could not run it, so it defined nothing: the earlier definition stands; cells keep their numbers."""
    found = findings("def f(X):\n    return [x for x in X]\n", "def f(X:\n    return X\n", "x = (\n")
    assert found == [("cell 1, line 2", "a list comprehension", "return [x for x in X]")]
    assert findings("def f(X:\n", "def f(X):\n    for x in X:\n        pass\n") == [
        ("cell 2, line 2", "a for loop", "for x in X:")]


def test_a_function_only_in_a_cell_with_a_syntax_error_is_not_defined():
    assert refusal("def f(X):\n    return [x for x in X\n") == "`f` is not defined in the notebook's cells"


# -- ways to hide a loop that the check should refuse, not pass --------------------------------------


@pytest.mark.parametrize("cells", [
    pytest.param([NUMPY + "slow = np.vectorize(lambda x: x + 1)\n", "def f(X):\n    return slow(X)\n"],
                 id="np.vectorize made in a global name"),
    pytest.param(["def make():\n    def inner(X):\n        return [x for x in X]\n    return inner\n",
                  "helper = make()\n", "def f(X):\n    return helper(X)\n"],
                 id="a function made by another function"),
    pytest.param(["def f(X):\n    import my_helpers\n    return my_helpers.slow(X)\n"],
                 id="a module of the student's imported inside the function"),
    pytest.param(["from my_helpers import *\n", "def f(X):\n    return slow(X)\n"],
                 id="a star import from a module of the student's"),
    pytest.param(["from mathutils import slow\n", "def f(X):\n    return slow(X)\n"],
                 id="a module whose name merely starts with math"),
    pytest.param(["from numpy_loops import slow\n", "def f(X):\n    return slow(X)\n"],
                 id="a module whose name merely starts with numpy"),
    pytest.param(["run = exec\nrun('def helper(X):\\n    return [x for x in X]')\n",
                  "def f(X):\n    return helper(X)\n"],
                 id="exec under another name"),
    pytest.param(["import importlib as il\nmine = il.import_module('my_helpers')\n",
                  "def f(X):\n    return mine.slow(X)\n"],
                 id="importlib under another name"),
    pytest.param(["from importlib import import_module\nhelper = import_module('my_helpers').slow\n",
                  "def f(X):\n    return helper(X)\n"],
                 id="import_module imported by name"),
    pytest.param(["from sys import modules\nmodules['numpy'].sum = lambda X: [x for x in X]\n",
                  NUMPY + "def f(X):\n    return np.sum(X)\n"],
                 id="sys.modules imported by name"),
    pytest.param(["import builtins as b\nb.abs = lambda X: [x for x in X]\n", "def f(X):\n    return abs(X)\n"],
                 id="builtins under another name"),
    pytest.param(["get_ipython().run_cell('def helper(X):\\n    return [x for x in X]')\n",
                  "def f(X):\n    return helper(X)\n"],
                 id="get_ipython().run_cell"),
    pytest.param(["magic = 'run'\nget_ipython().run_line_magic(magic, 'my_helpers.py')\n",
                  "def f(X):\n    return slow(X)\n"],
                 id="a magic whose name is not a constant"),
])
def test_a_loop_hidden_where_the_check_cannot_follow_does_not_pass(cells):
    found, reason = report(*cells)
    assert found or reason


# -- through codecheck.loop_message ------------------------------------------------------------


class FakePlace:
    """A place whose kernel ran these cells."""

    remote = True

    def __init__(self, cells):
        self.cells = list(cells)

    def sources(self):
        return self.cells


def notebook_function(name):
    """What the grader holds for a function of the student's kernel: a name, and remote=True."""
    return types.SimpleNamespace(remote=True, __name__=name)


def test_loop_message_of_a_notebook_function_names_the_cell_line_and_text():
    cells = [NUMPY, "def train_step(X):\n    total = 0\n    for x in X:\n        total += x\n    return total\n"]
    with place.using(FakePlace(cells)):
        message = codecheck.loop_message(notebook_function("train_step"))
    assert message.startswith("`train_step` still runs a Python loop, a for loop at cell 2, line 3: `for x in X:`.")
    assert "Replace it with NumPy operations" in message


def test_loop_message_of_a_notebook_function_without_loops_is_empty():
    with place.using(FakePlace([NUMPY, "def train_step(X):\n    return np.sum(X)\n"])):
        assert codecheck.loop_message(notebook_function("train_step")) == ""


def test_loop_message_of_a_notebook_function_names_a_helper_s_loop():
    cells = ["def helper(X):\n    return [x for x in X]\n", "def train_step(X):\n    return helper(X)\n"]
    with place.using(FakePlace(cells)):
        message = codecheck.loop_message(notebook_function("train_step"))
    assert "a list comprehension in `helper` (used by `train_step`) at cell 1, line 2: `return [x for x in X]`" \
        in message


def test_loop_message_of_a_notebook_function_that_cannot_be_checked_gives_the_reason():
    with place.using(FakePlace(["exec('pass')\n", "def train_step(X):\n    return X\n"])):
        message = codecheck.loop_message(notebook_function("train_step"))
    assert message == ("cell 1 uses exec(), which can change what a name means while the notebook runs, "
                       "so the code cannot be checked for loops.")


def test_loop_message_reads_the_cells_of_the_current_place_only():
    looping = FakePlace(["def train_step(X):\n    return [x for x in X]\n"])
    plain = FakePlace(["def train_step(X):\n    return X\n"])
    with place.using(looping):
        with place.using(plain):
            assert codecheck.loop_message(notebook_function("train_step")) == ""
        assert "cell 1, line 2" in codecheck.loop_message(notebook_function("train_step"))
