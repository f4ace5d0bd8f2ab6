"""Record the course's answers for a student's edition: every call that a lecture or a visible test makes of the
course's reference (helpers/reference) and of its catalogues and answers (helpers/answers), with its result.

publish.py runs each lecture, and each released assignment with the instructor's solutions in its answer cells, in a
fresh kernel whose first cell is `install()` and whose last is `save(path)`. Only calls made from outside those
packages are recorded (a reference's `fit` is recorded once, not the thousands of steps it takes), each with its
arguments, keyword arguments and result, as plain data (helpers/replay.py).
"""
import importlib
import json
import pkgutil
import sys
from functools import wraps
from pathlib import Path

import numpy as np

import helpers.answers
import helpers.reference
import helpers.specs
from helpers import replay

# A spec imports names from the specs before it: they are reloaded in this order, each after those it imports.
SPEC_ORDER = ("perceptron", "adaline", "logistic_regression", "shallow_network", "vectorization")
_calls = {}   # {name: {key of the arguments: [args, kwargs, result]}}
_arrays = {}  # {digest: array}: every array once (replay.encode)
# A call whose arguments hold more numbers than this is left out (a lecture's decision regions ask about a grid of
# 150,000 numbers; the speed tests' larger problems are timed in an edition with the loop version it has).
MAX_NUMBERS_PER_CALL = 400_000
# Calls made under these functions of the specs depend on how many calls a timing made: left out, so that the same
# course always gives the same record (and publishing it again adds no commit).
UNRECORDED_UNDER = {"_require_the_work_was_done"}
_depth = [0]  # >0 while a recorded function runs: its inner calls of the course are its own business


def _modules(package):
    return [importlib.import_module(f"{package.__name__}.{info.name}") for info in pkgutil.iter_modules(package.__path__)]


def recorded_functions(module):
    """{name: function} of the public functions a module defines itself: what an edition replaces by stand-ins."""
    return {name: value for name, value in vars(module).items()
            if callable(value) and not name.startswith("_") and getattr(value, "__module__", None) == module.__name__
            and not isinstance(value, type)}


def _recording(name, function):
    @wraps(function)
    def call(*args, **kwargs):
        if _depth[0]:
            return function(*args, **kwargs)
        if _numbers((args, kwargs)) > MAX_NUMBERS_PER_CALL or _under_timing():
            return function(*args, **kwargs)
        try:
            encoded = (replay.encode(args, _arrays), replay.encode(kwargs, _arrays))
        except TypeError:  # an argument that is not plain data cannot be matched in an edition: not recorded
            return function(*args, **kwargs)
        _depth[0] += 1
        try:
            result = function(*args, **kwargs)
        finally:
            _depth[0] -= 1
        key = json.dumps(encoded, sort_keys=True)
        if key not in _calls.setdefault(name, {}):
            try:
                _calls[name][key] = [encoded[0]["tuple"], encoded[1]["dict"], replay.encode(result, _arrays)]
            except TypeError:  # a result that is not plain data: not recorded
                pass
        return result
    call.recorded_as = name
    return call


def _under_timing():
    frame = sys._getframe(2)
    while frame is not None:
        if frame.f_code.co_name in UNRECORDED_UNDER and frame.f_globals.get("__name__", "").startswith("helpers.specs"):
            return True
        frame = frame.f_back
    return False


def _numbers(value):
    if isinstance(value, np.ndarray):
        return value.size
    if isinstance(value, (tuple, list)):
        return sum(_numbers(item) for item in value)
    if isinstance(value, dict):
        return sum(_numbers(item) for item in value.values())
    return 1


# A lecture's interactive widget asks the course's functions again for every value of its sliders: while a lecture is
# recorded, interact() also calls its function for every combination of its sliders' values (at most this many).
MAX_WIDGET_COMBINATIONS = 1000


def slider_values(widget):
    """Every value a slider can take (its grid), or None for another kind of control."""
    import ipywidgets

    if isinstance(widget, ipywidgets.FloatLogSlider):
        exponents = np.arange(widget.min, widget.max + widget.step / 2, widget.step)
        return [float(widget.base ** exponent) for exponent in exponents]
    if isinstance(widget, ipywidgets.IntSlider):
        return list(range(widget.min, widget.max + 1, widget.step))
    if isinstance(widget, ipywidgets.FloatSlider):
        return [float(value) for value in np.round(np.arange(widget.min, widget.max + widget.step / 2, widget.step), 10)]
    if isinstance(widget, (ipywidgets.SelectionSlider, ipywidgets.Dropdown)):
        return list(widget._options_values)  # the values behind the labels
    return None


def _exploring(interact):
    """interact, which afterwards calls the function for every combination of its sliders' values, output hidden."""
    @wraps(interact)
    def explore(function=None, **controls):
        shown = interact(function, **controls)
        grids = {name: slider_values(control) for name, control in controls.items()}
        fixed = {name: control for name, control in controls.items() if grids[name] is None}
        sliders = {name: values for name, values in grids.items() if values is not None}
        if sliders and int(np.prod([len(values) for values in sliders.values()])) <= MAX_WIDGET_COMBINATIONS:
            import itertools

            import matplotlib.pyplot as plt
            from IPython.utils.capture import capture_output

            for combination in itertools.product(*sliders.values()):
                with capture_output():
                    function(**dict(zip(sliders, combination)), **fixed)
                plt.close("all")
        return shown
    return explore


def install():
    """Record from now on every outside call of helpers.reference and helpers.answers in this process."""
    import ipywidgets

    ipywidgets.interact = _exploring(ipywidgets.interact)
    # A lecture's study (helpers.replay.study) is recorded as one call, its thousands of inner calls are its own.
    replay._recorder = lambda name, function, args, kwargs: _recording(name, function)(*args, **kwargs)
    for package in (helpers.reference, helpers.answers):
        for module in _modules(package):
            for name, function in recorded_functions(module).items():
                setattr(module, name, _recording(f"{module.__name__}.{name}", function))
    # The modules that imported names from them hold the originals: reloaded, they bind the recording ones.
    for package in (helpers.answers,):
        for module in _modules(package):
            importlib.reload(module)
            for name, function in recorded_functions(module).items():
                if not hasattr(function, "recorded_as"):
                    setattr(module, name, _recording(f"{module.__name__}.{name}", function))
    for name in SPEC_ORDER:
        importlib.reload(importlib.import_module(f"helpers.specs.{name}"))


def save(path):
    """Write what was recorded to path, as helpers/replay.py's Record reads it."""
    Path(path).write_text(json.dumps({"arrays": _arrays, "calls": {name: list(calls.values())
                                                                   for name, calls in _calls.items()}}))


def merge(paths, into):
    """One record from several (each call once); returns the number of calls."""
    arrays, merged = {}, {}
    for path in paths:
        data = json.loads(Path(path).read_text())
        arrays.update(data["arrays"])
        for name, calls in data["calls"].items():
            known = merged.setdefault(name, {})
            for args, kwargs, result in calls:
                known.setdefault(json.dumps([args, kwargs], sort_keys=True), [args, kwargs, result])
    Path(into).write_text(json.dumps({"arrays": dict(sorted(arrays.items())),
                                      "calls": {name: list(calls.values()) for name, calls in sorted(merged.items())}}))
    return sum(len(calls) for calls in merged.values())
