"""Plain data across the boundary between the trusted grader and a student's kernel, and the kernel's agent.

During autograding, test cells run in the trusted grader, never in the student's kernel.
When a test cell calls a student's function, the grader sends this file's source to the
kernel and runs `serve(address)` there: the agent connects to the grader's Unix socket at
address (in a folder of the grader's own, which the sandbox sees read-only) and answers the
grader's requests (call a function with these arguments, with these stand-ins; look up a
name), one message each way, each sent as a frame: its length in FRAME_HEADER_BYTES bytes,
big-endian, then a JSON text in UTF-8 and, after a NUL byte (which JSON text never holds),
the bytes of the message's arrays, which the text points into. Arrays cross as bytes, not
as base64 inside the text: a training loop's stand-ins send the network's cache thousands
of times per test cell. A socket of its own rather than the Jupyter
protocol's stdin channel: a stand-in's call back to the grader is a plain round trip, not
a signed message relayed by two event loops, about a seventh of the time
(benchmarks/agent_channel.py), and a training loop makes thousands of them. The agent is
the student's to break: whatever it sends back is decoded by `decode`, strictly, as
untrusted data.

Plain data is None, bool, int, float, str, lists, tuples, dicts with str keys, NumPy
arrays and scalars of booleans and numbers, and NumPy random Generators (sent as their
state). `to_data(value, tail)` makes the text's part of a value and appends its arrays'
bytes to tail; `from_data(data, tail)` reads it back. Nothing else crosses: not pickle, not
code. A value of another type is sent as its type's name only, and decodes to
`Unsupported`.

This file uses only NumPy and the standard library: it runs, as source, in a kernel that
may have no `helpers` at all.
"""
import builtins
import json
import math

import numpy as np

PROTOCOL = "nn-course-agent/1"
MAX_MESSAGE_BYTES = 64 * 2**20   # one message: its text and its arrays' bytes; also what its arrays decode to
# Of one message's JSON text. Arrays travel as bytes after it, so the text is small; and json.loads takes about
# twenty times what it reads (a text of empty lists), before any other limit here is checked.
MAX_TEXT_BYTES = 16 * 2**20
FRAME_HEADER_BYTES = 8
MAX_DEPTH = 32
MAX_ITEMS = 1_000_000            # list, tuple and dict entries in one message, all together
MAX_TEXT_CHARS = 20_000          # of captured stdout and stderr, per call
MAX_DIMENSION = 2**31            # the longest axis of an array
DTYPES = {"bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "float16", "float32",
          "float64"}
BIT_GENERATORS = {"PCG64", "PCG64DXSM", "MT19937", "Philox", "SFC64"}
_DTYPE_NAMES = {np.dtype(name): name for name in DTYPES}  # dtype.name is slow, and arrays cross thousands of times


class WireError(ValueError):
    """A message that is not plain data in this module's format (or too large, or too deep)."""


class Unsupported:
    """Stands for a value that is not plain data: only its type's name crossed."""

    def __init__(self, type_name):
        self.type_name = str(type_name)[:100]

    def __repr__(self):
        return f"<a {self.type_name}, which is not data>"


class Function:
    """Stands for a function of the student's (only its name crossed)."""

    def __init__(self, name):
        self.name = name


class Module:
    """Stands for a module of the student's namespace (only its name crossed)."""

    def __init__(self, name):
        self.name = name


# -- encoding (both sides) ---------------------------------------------------------------


def _float(value):
    return value if math.isfinite(value) else {"float": repr(float(value))}


def _dtype_name(dtype):
    """The name the wire gives an allowed dtype, in either byte order; None for any other dtype."""
    name = _DTYPE_NAMES.get(dtype)
    return name if name is not None else _DTYPE_NAMES.get(dtype.newbyteorder("="))


def _array(array, name, tail):
    # C order and this machine's byte order: the other side reads the bytes as a native array of that name
    # (ascontiguousarray would make a 0-d array 1-d).
    array = np.asarray(array, dtype=np.dtype(name), order="C")
    at = len(tail)
    tail += array.tobytes()
    return {"dtype": name, "shape": list(array.shape), "at": at}


def to_data(value, tail, depth=0):
    """value as JSON-ready structures, its arrays' bytes appended to tail (a bytearray); what is not plain data
    becomes {'other': its type's name}."""
    if value is None or type(value) in (bool, str):
        return value
    if type(value) is int:
        return value  # exactly, however large (a random generator's state is a 128-bit number)
    if type(value) is float:
        return _float(value)
    if type(value) in (list, tuple, dict) and depth >= MAX_DEPTH:  # its items would be too deep to read back
        return {"other": "deeply nested value"}
    if type(value) in (list, tuple):
        items = [to_data(item, tail, depth + 1) for item in value]
        return items if type(value) is list else {"tuple": items}
    if isinstance(value, tuple):  # a namedtuple, say: its items, read as a tuple's (not through its own methods)
        if depth >= MAX_DEPTH:
            return {"other": "deeply nested value"}
        return {"tuple": [to_data(tuple.__getitem__(value, index), tail, depth + 1)
                          for index in range(tuple.__len__(value))]}
    if type(value) is dict:
        if not all(type(key) is str for key in value):
            return {"other": "dict with keys that are not strings"}
        return {"dict": [[key, to_data(item, tail, depth + 1)] for key, item in value.items()]}
    if type(value) is np.ndarray and (name := _dtype_name(value.dtype)):
        return {"array": _array(value, name, tail)}
    if isinstance(value, np.generic) and type(value).__module__ == "numpy" and (name := _dtype_name(value.dtype)):
        return {"scalar": _array(np.asarray(value), name, tail)}
    if type(value) is np.random.Generator and type(value.bit_generator).__name__ in BIT_GENERATORS:
        return {"generator": [type(value.bit_generator).__name__,
                              to_data(value.bit_generator.state, tail, depth + 1)]}
    if type(value) is Function:
        return {"function": value.name}
    if type(value) is Module:
        return {"module": value.name}
    return {"other": type(value).__qualname__}


# -- decoding (strict: the other side may be hostile) ------------------------------------


class _Budget:
    """What one message may decode to: MAX_ITEMS items, and MAX_MESSAGE_BYTES of arrays (arrays point into the
    message's bytes, and many could point at the same bytes)."""

    def __init__(self):
        self.items = 0
        self.array_bytes = 0

    def spend(self, count):
        self.items += count
        if self.items > MAX_ITEMS:
            raise WireError(f"more than {MAX_ITEMS:,} items")

    def spend_bytes(self, count):
        self.array_bytes += count
        if self.array_bytes > MAX_MESSAGE_BYTES:
            raise WireError(f"arrays of more than {MAX_MESSAGE_BYTES:,} bytes")


def _decode_array(spec, tail, budget):
    if not (type(spec) is dict and set(spec) == {"dtype", "shape", "at"}):
        raise WireError("an array without exactly dtype, shape and at")
    dtype, shape, at = spec["dtype"], spec["shape"], spec["at"]
    if type(dtype) is not str or dtype not in DTYPES:
        raise WireError(f"an array of dtype {str(dtype)[:40]!r}")
    if not (type(shape) is list and len(shape) <= 32 and all(type(n) is int and 0 <= n <= MAX_DIMENSION
                                                              for n in shape)):
        raise WireError("an array with a malformed shape")
    count = math.prod(shape)
    size = count * np.dtype(dtype).itemsize
    if type(at) is not int or at < 0 or at + size > len(tail):
        raise WireError("an array whose bytes are not in the message")
    budget.spend_bytes(size)
    try:
        return np.frombuffer(tail, dtype=dtype, count=count, offset=at).reshape(shape).copy()
    except ValueError:  # e.g. a zero-sized shape with an axis NumPy cannot hold
        raise WireError("an array with a shape NumPy cannot hold") from None


def from_data(data, tail=b"", budget=None, depth=0, generators=False):
    """The value that to_data made, its arrays' bytes in tail, checked at every step; raises WireError on
    anything else.

    generators=True also reads random generators, whose state NumPy does not check well enough to take
    from a hostile sender (a bad position reads outside the generator's buffers): only the kernel's agent
    reads them, from the grader.
    """
    budget = budget or _Budget()
    if depth > MAX_DEPTH:
        raise WireError(f"nested deeper than {MAX_DEPTH}")
    if data is None or type(data) in (bool, str, int):
        return data
    if type(data) is float:
        if not math.isfinite(data):
            raise WireError("a float that JSON cannot hold")
        return data
    if type(data) is list:
        budget.spend(len(data))
        return [from_data(item, tail, budget, depth + 1, generators) for item in data]
    if type(data) is not dict or len(data) != 1:
        raise WireError("a value that is not in the format")
    ((kind, content),) = data.items()
    if kind == "float" and content in ("nan", "inf", "-inf"):
        return float(content)
    if kind == "tuple" and type(content) is list:
        budget.spend(len(content))
        return tuple(from_data(item, tail, budget, depth + 1, generators) for item in content)
    if kind == "dict" and type(content) is list:
        budget.spend(len(content))
        result = {}
        for pair in content:
            if not (type(pair) is list and len(pair) == 2 and type(pair[0]) is str):
                raise WireError("a dict entry that is not a [str, value] pair")
            result[pair[0]] = from_data(pair[1], tail, budget, depth + 1, generators)
        return result
    if kind == "array":
        return _decode_array(content, tail, budget)
    if kind == "scalar":
        array = _decode_array(content, tail, budget)
        if array.shape != ():
            raise WireError("a scalar with a shape")
        return array[()]
    if kind == "generator" and generators and type(content) is list and len(content) == 2 \
            and type(content[0]) is str and content[0] in BIT_GENERATORS:
        state = from_data(content[1], tail, budget, depth + 1, generators)
        try:
            bit_generator = getattr(np.random, content[0])()
            bit_generator.state = state
        except Exception:
            raise WireError("a random generator with a malformed state") from None
        return np.random.Generator(bit_generator)
    if kind == "function" and type(content) is str:
        return Function(content[:200])
    if kind == "module" and type(content) is str:
        return Module(content[:200])
    if kind == "other" and type(content) is str:
        return Unsupported(content)
    raise WireError("a value that is not in the format")


def frame(text, tail=b""):
    """One message as it goes over the socket: its length, then its text, then a NUL byte and its arrays' bytes
    (tail) if it has any."""
    data = text.encode("utf-8") + (b"\0" + tail if tail else b"")
    return len(data).to_bytes(FRAME_HEADER_BYTES, "big") + data


class Frames:
    """Cuts a byte stream into messages; a frame over MAX_MESSAGE_BYTES raises WireError at once, before its
    bytes are read, so a hostile sender cannot make the reader hold more than that."""

    def __init__(self):
        self.buffer = bytearray()

    def feed(self, data):
        self.buffer += data

    def next_message(self):
        """(text, tail) of the next whole message, or None while it has not all arrived."""
        if len(self.buffer) < FRAME_HEADER_BYTES:
            return None
        length = int.from_bytes(self.buffer[:FRAME_HEADER_BYTES], "big")
        if length > MAX_MESSAGE_BYTES:
            raise WireError(f"a message over {MAX_MESSAGE_BYTES:,} bytes")
        end = FRAME_HEADER_BYTES + length
        if len(self.buffer) < end:
            return None
        data = bytes(self.buffer[FRAME_HEADER_BYTES:end])
        del self.buffer[:end]
        text, _, tail = data.partition(b"\0")
        if len(text) > MAX_TEXT_BYTES:
            raise WireError(f"a message whose text is over {MAX_TEXT_BYTES:,} bytes")
        try:
            return text.decode("utf-8"), tail
        except UnicodeDecodeError:
            raise WireError("a message whose text is not UTF-8") from None


def decode(text):
    """Parse one message of the other side: a dict of plain data, or raise WireError."""
    if type(text) is not str or len(text) > MAX_TEXT_BYTES:
        raise WireError(f"a message whose text is over {MAX_TEXT_BYTES:,} characters")
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        raise WireError("a message that is not JSON") from None
    if type(data) is not dict:
        raise WireError("a message that is not an object")
    return {str(key): value for key, value in data.items()}


# -- the kernel's side -------------------------------------------------------------------


def _where(error):
    """' at line 3 of `update_step`: `code`' for the innermost frame of the student's code."""
    import traceback

    frames = [frame for frame in traceback.extract_tb(error.__traceback__) if frame.filename != __file__]
    if not frames:
        return ""
    frame = frames[-1]
    return f" at line {frame.lineno} of `{frame.name}`" + (f": `{frame.line.strip()}`" if frame.line else "")


def serve(address):
    """Answer the grader's requests on its socket at address until it says it is done (runs in the student's
    kernel)."""
    import contextlib
    import io
    import socket
    import warnings

    from IPython import get_ipython

    namespace = get_ipython().user_ns
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    connection.connect(address)
    frames, buffer = Frames(), bytearray(2**20)

    def ask(message, tail):
        """Send message (its arrays' bytes in tail); return the grader's next message and its tail."""
        text = json.dumps(message, allow_nan=False)
        if len(text) + len(tail) + 1 > MAX_MESSAGE_BYTES or len(text) > MAX_TEXT_BYTES:  # ASCII: one byte a character
            text, tail = json.dumps({"kind": "error", "type": "ValueError", "where": "",
                                     "message": f"the answer is over {MAX_MESSAGE_BYTES:,} bytes as data, or "
                                                f"over {MAX_TEXT_BYTES:,} as text (lists and numbers travel as "
                                                "text: return NumPy arrays)"}), b""
        connection.sendall(frame(text, tail))
        while True:
            received = frames.next_message()
            if received is not None:
                return decode(received[0]), received[1]
            count = connection.recv_into(buffer)  # recv(n) would allocate n bytes every time
            if not count:
                raise ConnectionError("the grader closed the connection")
            frames.feed(memoryview(buffer)[:count])

    def stand_in(name):
        def call_the_grader(*args, **kwargs):
            tail = bytearray()
            message = {"kind": "callback", "name": name, "args": to_data(list(args), tail),
                       "kwargs": to_data(kwargs, tail)}
            reply, reply_tail = ask(message, tail)
            if reply.get("kind") != "return":
                # the course's function refused the student's arguments: raise what it raised, as it would have
                kind = getattr(builtins, str(reply.get("type")), None)
                kind = kind if isinstance(kind, type) and issubclass(kind, Exception) else RuntimeError
                raise kind(str(reply.get("message", "the course's version failed")))
            return from_data(reply.get("value"), reply_tail, generators=True)

        call_the_grader.__name__ = name
        return call_the_grader

    def look_up(name, tail):
        if name not in namespace:
            return {"kind": "missing"}
        value = namespace[name]
        if type(value).__name__ == "module":
            return {"kind": "value", "value": to_data(Module(value.__name__), tail)}
        if callable(value) and not isinstance(value, (np.ndarray, np.generic)) and type(value) is not type:
            return {"kind": "value", "value": to_data(Function(name), tail)}
        return {"kind": "value", "value": to_data(value, tail)}

    def call(request, request_tail, tail):
        function = namespace.get(request.get("name"))
        if not callable(function):
            return {"kind": "missing"}
        args = from_data(request.get("args", []), request_tail, generators=True)
        kwargs = from_data(request.get("kwargs", {"dict": []}), request_tail, generators=True)
        globals_ = getattr(function, "__globals__", namespace)
        swapped = {name: globals_.get(name, swapped_out) for name in request.get("stand_ins", [])}
        globals_.update({name: stand_in(name) for name in swapped})
        stdout, stderr = io.StringIO(), io.StringIO()
        # Nobody answers input() while the notebook is graded: fail at once rather than wait for the time limit.
        answer_input, builtins.input = builtins.input, no_input
        try:
            with warnings.catch_warnings(record=True) as caught, contextlib.redirect_stdout(stdout), \
                    contextlib.redirect_stderr(stderr):
                warnings.simplefilter("always")
                result = function(*args, **kwargs)
            reply = {"kind": "result", "value": to_data(result, tail)}
        except NotImplementedError:
            caught, reply = [], {"kind": "not_implemented"}
        except BaseException as error:  # KeyboardInterrupt included: the grader's interrupt ends the call
            caught, reply = [], {"kind": "error", "type": type(error).__name__, "message": str(error)[:2000],
                                 "where": _where(error)}
        finally:
            builtins.input = answer_input
            for name, value in swapped.items():
                if value is swapped_out:
                    globals_.pop(name, None)
                else:
                    globals_[name] = value
        reply["stdout"] = stdout.getvalue()[-MAX_TEXT_CHARS:]
        reply["stderr"] = stderr.getvalue()[-MAX_TEXT_CHARS:]
        reply["warnings"] = [f"{warning.category.__name__}: {warning.message}"[:500] for warning in caught][:50]
        return reply

    def no_input(*args, **kwargs):
        from IPython.core.error import StdinNotImplementedError

        raise StdinNotImplementedError("input() cannot be answered while the notebook is graded")

    swapped_out = object()
    message, tail = {"kind": "ready", "protocol": PROTOCOL}, bytearray()
    with connection:
        while True:
            request, request_tail = ask(message, tail)
            kind, tail = request.get("kind"), bytearray()
            if kind == "done":
                return
            if kind == "call":
                message = call(request, request_tail, tail)
            elif kind == "lookup":
                message = look_up(request.get("name"), tail)
            else:
                message = {"kind": "error", "type": "ProtocolError",
                           "message": f"unknown request {str(kind)[:40]!r}"}


