"""The course's answers in a student's edition: calls of the course's functions, recorded when the course was
published, answered again from that record.

A student's edition holds neither the reference implementation (helpers/reference) nor the catalogues of mistakes
and the questions' answers (helpers/answers): `python -m autograder publish` replaces each of their functions by a
stand-in made here, which answers the calls the lectures and the visible tests made of it while the course was
published, and only those. A call is answered when an earlier one had the same arguments: the same types, keys and
shapes, and numbers that agree within MATCH_RTOL (so the last bits of a computation done on another machine do not
matter). Any other call raises NotRecorded, which says so; a test cell whose stand-in was asked something the
record does not hold lets the student's own function answer instead, and says so in its table
(helpers/grading.py).

Everything crosses as plain JSON (encode, decode): arrays as their dtype, shape and bytes (zlib-compressed: a
lecture's decision regions are tens of thousands of 0s and 1s), never pickle.
"""
import base64
import functools
import hashlib
import json
import numbers
import warnings
import zlib
from pathlib import Path

import numpy as np

MATCH_RTOL = 1e-9
RECORD_FILE = Path(__file__).parent / "data" / "recorded.json"


class NotRecorded(LookupError):
    """A call of a course function that the student's edition has no answer for."""

    def __init__(self, name):
        super().__init__(
            f"the course's `{name}` was called with inputs it has no recorded answer for. A student's edition holds "
            "the course's answers only for the inputs its lectures and visible tests use; the grader, which holds "
            "the course's own functions, answers every input.")
        self.name = name


# -- plain data ---------------------------------------------------------------------------------------------


def encode(value, arrays=None):
    """value as JSON-able plain data: numbers, strings, None, lists, tuples, dicts, NumPy arrays and scalars, NumPy
    random generators (by their state) and the course's functions (by name). With arrays (a dict), each array is
    kept there once, under the digest of its contents, and value refers to it: {"ref": digest}."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, np.ndarray):
        array = np.array(value, order="C", copy=True)  # (ascontiguousarray would make a 0-d array 1-d)
        content = {"dtype": array.dtype.str, "shape": list(array.shape),
                   "zlib": base64.b64encode(zlib.compress(array.tobytes(), 6)).decode("ascii")}
        if arrays is None:
            return {"array": content}
        digest = hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()[:24]
        arrays.setdefault(digest, content)
        return {"ref": digest}
    if isinstance(value, np.generic):
        return {"scalar": encode(np.asarray(value))}
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        number = float(value)
        return number if np.isfinite(number) else {"float": repr(number)}
    if isinstance(value, tuple):
        return {"tuple": [encode(item, arrays) for item in value]}
    if isinstance(value, list):
        return [encode(item, arrays) for item in value]
    if isinstance(value, dict):
        return {"dict": [[encode(key), encode(item, arrays)] for key, item in value.items()]}
    if isinstance(value, np.random.Generator):
        return {"rng": {"bit_generator": type(value.bit_generator).__name__,
                        "state": encode(value.bit_generator.state)}}
    if callable(value) and getattr(value, "__module__", "").startswith("helpers."):
        return {"function": f"{value.__module__}.{value.__qualname__}"}
    raise TypeError(f"{type(value).__name__} is not plain data")


def decode(data, arrays=None):
    """The value encode(value, arrays) stands for (a fresh copy every time)."""
    if data is None or isinstance(data, (bool, str, int, float)):
        return data
    if isinstance(data, list):
        return [decode(item, arrays) for item in data]
    (kind, content), = data.items()
    if kind == "ref":
        kind, content = "array", arrays[content]
    if kind == "array":
        raw = zlib.decompress(base64.b64decode(content["zlib"]))
        return np.frombuffer(raw, dtype=np.dtype(content["dtype"])).reshape(content["shape"]).copy()
    if kind == "scalar":
        return decode(content)[()]
    if kind == "float":
        return float(content)
    if kind == "tuple":
        return tuple(decode(item, arrays) for item in content)
    if kind == "dict":
        return {decode(key): decode(item, arrays) for key, item in content}
    if kind == "rng":
        generator = getattr(np.random, content["bit_generator"])()
        generator.state = decode(content["state"])
        return np.random.Generator(generator)
    if kind == "function":
        module, _, name = content.rpartition(".")
        import importlib

        return getattr(importlib.import_module(module), name)
    raise ValueError(f"unknown kind of recorded data: {kind!r}")


# -- matching -----------------------------------------------------------------------------------------------


def same(recorded, value, arrays=None):
    """True when value matches recorded data: same structure, types and shapes, numbers within MATCH_RTOL."""
    if isinstance(recorded, dict) and len(recorded) == 1 and ("array" in recorded or "ref" in recorded):
        content = recorded["array"] if "array" in recorded else arrays[recorded["ref"]]
        if not isinstance(value, np.ndarray) or list(value.shape) != content["shape"]:
            return False
        cache = getattr(arrays, "decoded", None)
        if cache is not None and "ref" in recorded:
            wanted = cache.get(recorded["ref"])
            if wanted is None:
                wanted = cache[recorded["ref"]] = decode({"array": content})
        else:
            wanted = decode({"array": content})
        if wanted.dtype.kind in "biuf" and value.dtype.kind in "biuf":
            return _close(wanted.astype(np.float64), value.astype(np.float64))
        return wanted.dtype == value.dtype and np.array_equal(wanted, value)
    if isinstance(recorded, dict) and len(recorded) == 1 and "tuple" in recorded:
        return isinstance(value, tuple) and len(value) == len(recorded["tuple"]) \
            and all(same(item, part, arrays) for item, part in zip(recorded["tuple"], value))
    if isinstance(recorded, dict) and len(recorded) == 1 and "dict" in recorded:
        return isinstance(value, dict) and len(value) == len(recorded["dict"]) \
            and all(decode(key) in value and same(item, value[decode(key)], arrays) for key, item in recorded["dict"])
    if isinstance(recorded, dict) and len(recorded) == 1 and "rng" in recorded:
        return isinstance(value, np.random.Generator) and encode(value) == recorded
    if isinstance(recorded, list):
        return isinstance(value, list) and len(value) == len(recorded) \
            and all(same(item, part, arrays) for item, part in zip(recorded, value))
    try:
        encoded = encode(value)
    except TypeError:
        return False
    if isinstance(recorded, float) and isinstance(encoded, (int, float)) and not isinstance(encoded, bool):
        return _close(np.float64(recorded), np.float64(encoded))
    return encoded == recorded and type(encoded) is type(recorded)


def _close(wanted, got):
    if wanted.shape != got.shape:
        return False
    finite = np.isfinite(wanted)
    if not np.array_equal(finite, np.isfinite(got)) or not np.array_equal(wanted[~finite], got[~finite]):
        return False
    scale = max(float(np.max(np.abs(wanted[finite]), initial=0.0)), 1e-300)
    return bool(np.all(np.abs(wanted[finite] - got[finite]) <= MATCH_RTOL * scale))


# -- the record and its stand-ins ------------------------------------------------------------------------------


class _DecodedArrays(dict):
    """The record's arrays by digest, each decoded once, when first compared (a widget compares hundreds a move)."""

    def __init__(self, encoded):
        super().__init__(encoded)
        self.decoded = {}


class Record:
    """The course's answers in an edition: {"arrays": {digest: array}, "calls": {function name: [[arguments, keyword
    arguments, result], ...]}}, all plain data (encode)."""

    def __init__(self, data):
        self.arrays, self.calls = _DecodedArrays(data.get("arrays", {})), data.get("calls", {})
        self._index = {}  # {name: {coarse key of the arguments: [recorded calls]}}, made on first use

    @classmethod
    def load(cls, path=RECORD_FILE):
        return cls(json.loads(Path(path).read_text()) if Path(path).exists() else {})

    def answer(self, name, args, kwargs):
        """The result of the recorded call of `name` with these arguments; NotRecorded if there is none."""
        if name not in self._index:
            index = self._index[name] = {}
            for call in self.calls.get(name, ()):
                key = _coarse((decode({"tuple": call[0]}, self.arrays), decode({"dict": call[1]}, self.arrays)))
                index.setdefault(key, []).append(call)
        # the calls whose arguments round alike first; all of them only if none of those matches (a number that
        # rounds the other way on another machine)
        nearby = self._index[name].get(_coarse((tuple(args), dict(kwargs))), [])
        for calls in (nearby, self.calls.get(name, ())):
            for recorded_args, recorded_kwargs, result in calls:
                if same({"tuple": recorded_args}, tuple(args), self.arrays) \
                        and same({"dict": recorded_kwargs}, dict(kwargs), self.arrays):
                    return decode(result, self.arrays)
        raise NotRecorded(name)


def _coarse(value):
    """A hashable summary of value in which numbers that agree to about 7 digits (of the largest entry, for an
    array) are alike: what Record.answer looks a call up by before it compares within MATCH_RTOL."""
    if isinstance(value, np.ndarray):
        if value.dtype.kind not in "biuf":
            return ("array", value.shape, value.dtype.str, value.tobytes())
        floats = value.astype(np.float64)
        scale = float(np.max(np.abs(floats), initial=0.0)) if np.all(np.isfinite(floats)) else 1.0
        rounded = np.round(floats / scale, 7) if scale else floats
        return ("array", value.shape, hashlib.sha1(np.nan_to_num(rounded).tobytes()).hexdigest(), f"{scale:.6g}")
    if isinstance(value, (tuple, list)):
        return (type(value).__name__, tuple(_coarse(item) for item in value))
    if isinstance(value, dict):
        return ("dict", tuple(sorted((repr(key), _coarse(item)) for key, item in value.items())))
    if isinstance(value, (bool, str)) or value is None:
        return value
    if isinstance(value, numbers.Real):
        return f"{float(value):.7g}"
    if isinstance(value, np.random.Generator):
        return ("rng", json.dumps(encode(value), sort_keys=True))
    return ("other", repr(value))


_record = None


def record():
    """This edition's record, read once."""
    global _record
    if _record is None:
        _record = Record.load()
    return _record


def in_edition():
    """True in a student's edition, where helpers.reference is made of stand-ins."""
    import helpers.reference

    return bool(getattr(helpers.reference, "REPLAYED", False))


_told_about = set()  # the functions whose fallback this kernel has already announced


def _tell_once(name, fallback):
    if name not in _told_about:
        _told_about.add(name)
        warnings.warn(f"this edition has no recorded answer of the course's `{name.rpartition('.')[2]}` for these "
                      f"inputs: the lecture notes' loop version `{fallback.__name__}` answers instead (the same "
                      "results up to rounding, only slower)", stacklevel=3)


def stand_in(name, fallback=None):
    """A function that answers like the course's function `name` ('helpers.reference.shallow.forward') did when the
    course was published, for the same arguments; for others, fallback's answer (a public function that computes
    the same), or NotRecorded."""
    def answer(*args, **kwargs):
        try:
            return record().answer(name, args, kwargs)
        except NotRecorded:
            if fallback is None:
                raise
            _tell_once(name, fallback)
            return fallback(*args, **kwargs)

    answer.__name__ = answer.__qualname__ = name.rpartition(".")[2]
    answer.__doc__ = f"The course's `{name}`, answered from this edition's record (helpers/replay.py)."
    answer.replayed = name
    return answer


# -- a lecture's studies ---------------------------------------------------------------------------------------

_recorder = None  # while the course's answers are recorded: autograder/record.py's recorder of a call


def study(name):
    """Decorator for a lecture's long study of the course's functions (thousands of training steps, a Hessian at
    every tenth step): in a student's edition the study answers from the record, for the arguments the lecture
    used; elsewhere, and for other arguments, its own code runs. A study's result must depend only on its
    arguments (pass the data in), since that is what the record is looked up by."""
    def decorate(function):
        @functools.wraps(function)
        def run(*args, **kwargs):
            if _recorder is not None:
                return _recorder(f"study:{name}", function, args, kwargs)
            if in_edition():
                try:
                    return record().answer(f"study:{name}", args, kwargs)
                except NotRecorded:
                    pass
            return function(*args, **kwargs)
        run.study = name
        return run
    return decorate
