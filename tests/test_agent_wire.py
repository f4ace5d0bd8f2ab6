"""autograder.agent's codec: plain data crosses exactly, anything else as its type's name, malformed input is refused.

The kernel on the other side of the wire may be hostile, so decoding must raise WireError (and
nothing else) for every message that to_data could not have made.
"""
import json
import math

import numpy as np
import pytest

from autograder import agent
from autograder.agent import Unsupported, WireError


def as_data(value):
    """(value's data, its tail of array bytes), as to_data makes them."""
    tail = bytearray()
    return agent.to_data(value, tail), bytes(tail)


def through_the_wire(value, generators=False):
    """value as the other side reads it: to_data, one framed message, Frames, decode, from_data (as the grader
    does; generators=True as the kernel's agent does, which alone reads random generators, from the grader)."""
    tail = bytearray()
    text = json.dumps({"kind": "result", "value": agent.to_data(value, tail)}, allow_nan=False)
    frames = agent.Frames()
    frames.feed(agent.frame(text, tail))
    received_text, received_tail = frames.next_message()
    return agent.from_data(agent.decode(received_text)["value"], received_tail, generators=generators)


def assert_identical(got, expected):
    """Same types all the way down, same values (nan equal to nan, -0.0 distinct from 0.0), same array bytes."""
    assert type(got) is type(expected), (got, expected)
    if isinstance(expected, (np.ndarray, np.generic)):
        assert got.dtype == expected.dtype and got.shape == expected.shape
        assert got.tobytes() == np.ascontiguousarray(expected).tobytes()
    elif isinstance(expected, float):
        assert (math.isnan(got) and math.isnan(expected)) or (got == expected and
                                                              math.copysign(1, got) == math.copysign(1, expected))
    elif isinstance(expected, (list, tuple)):
        assert len(got) == len(expected)
        for got_item, expected_item in zip(got, expected):
            assert_identical(got_item, expected_item)
    elif isinstance(expected, dict):
        assert list(got) == list(expected)  # the order of the keys too
        for key in expected:
            assert_identical(got[key], expected[key])
    else:
        assert got == expected


# -- plain data round-trips exactly ------------------------------------------------------------


@pytest.mark.parametrize("value", [
    None, True, False, 0, -7, 2**127 + 12345, -(2**128), 0.0, -0.0, 1.5, -2.5e-308, 1.7976931348623157e308,
    float("nan"), float("inf"), float("-inf"), "", "text", "ünïcode ✓ \n\t\"quotes\"", "nan",
], ids=repr)
def test_scalars_round_trip_exactly(value):
    assert_identical(through_the_wire(value), value)


def test_bools_stay_bools_and_ints_stay_ints():
    assert_identical(through_the_wire([True, 1, False, 0, 1.0]), [True, 1, False, 0, 1.0])


def test_a_128_bit_int_is_not_rounded():
    value = 2**128 - 1
    assert through_the_wire(value) == value and type(through_the_wire(value)) is int


def test_non_finite_floats_are_sent_as_valid_json():
    text = json.dumps(as_data([float("nan"), float("inf"), float("-inf")])[0], allow_nan=False)
    json.loads(text, parse_constant=lambda name: pytest.fail(f"{name} in the JSON text"))
    nan, inf, minus_inf = agent.from_data(json.loads(text))
    assert math.isnan(nan) and inf == math.inf and minus_inf == -math.inf


def test_lists_and_tuples_keep_their_type():
    value = [(1, 2), [3, (4,)], (), [], ([],)]
    assert_identical(through_the_wire(value), value)


def test_dicts_with_str_keys_keep_their_keys_and_order():
    value = {"z": 1, "a": [1, 2], "": None, "nested": {"b": (1.5, "x"), "a": {}}}
    assert_identical(through_the_wire(value), value)


def test_a_dict_whose_keys_look_like_the_format_is_still_a_dict():
    value = {"tuple": [1], "array": "not an array", "other": "x"}
    assert_identical(through_the_wire(value), value)


def test_nested_data_of_every_kind_round_trips():
    rng = np.random.default_rng(3)
    value = {"params": {"W1": rng.normal(size=(3, 2)), "b1": np.zeros((3, 1))},
             "history": [(0, np.float64(0.5)), (1, np.float32(0.25))],
             "flags": (True, None, np.bool_(False)), "labels": np.array([0, 1, 1], dtype=np.int8)}
    assert_identical(through_the_wire(value), value)


def example_array(dtype):
    """A small array of dtype holding its extreme values (and nan, inf and -0.0 for floats)."""
    if dtype == "bool":
        return np.array([[True, False], [False, True]])
    if np.dtype(dtype).kind in "iu":
        info = np.iinfo(dtype)
        return np.array([info.min, info.max, 0, 1], dtype=dtype)
    info = np.finfo(dtype)
    return np.array([np.nan, np.inf, -np.inf, -0.0, info.tiny, info.max, info.eps], dtype=dtype)


@pytest.mark.parametrize("dtype", sorted(agent.DTYPES))
def test_arrays_of_every_allowed_dtype_round_trip(dtype):
    array = example_array(dtype)
    assert_identical(through_the_wire(array), array)


@pytest.mark.parametrize("dtype", sorted(agent.DTYPES))
def test_zero_dimensional_arrays_stay_arrays(dtype):
    array = np.asarray(example_array(dtype).flat[-1])
    assert array.shape == () and type(array) is np.ndarray
    assert_identical(through_the_wire(array), array)


@pytest.mark.parametrize("dtype", sorted(agent.DTYPES))
def test_numpy_scalars_keep_their_type(dtype):
    scalar = example_array(dtype).flat[-1]
    assert isinstance(scalar, np.generic)
    decoded = through_the_wire(scalar)
    assert type(decoded) is type(scalar)
    assert_identical(decoded, scalar)


@pytest.mark.parametrize("shape", [(0,), (3, 0), (0, 4, 2), (2, 0, 0), (1, 1, 1, 1)], ids=str)
def test_arrays_with_zero_sized_dimensions_keep_their_shape(shape):
    array = np.zeros(shape, dtype=np.float32)
    decoded = through_the_wire(array)
    assert decoded.shape == shape and decoded.dtype == np.float32


def test_views_that_are_not_c_contiguous_are_sent_by_value():
    base = np.arange(24, dtype=np.int16).reshape(4, 6)
    for view in (base.T, base[::2, 1::3], np.asfortranarray(base), base[:, ::-1]):
        decoded = through_the_wire(view)
        assert decoded.shape == view.shape and np.array_equal(decoded, view)


def test_a_decoded_array_is_writable_and_owns_its_data():
    decoded = through_the_wire(np.arange(3.0))
    decoded[0] = 7.0
    assert decoded.flags.writeable and decoded.flags.owndata


def test_a_big_endian_array_round_trips_or_is_unsupported():
    array = np.arange(3, dtype=">i4")
    decoded = through_the_wire(array)
    assert isinstance(decoded, Unsupported) or np.array_equal(decoded, [0, 1, 2])


def generator_after_some_draws(name):
    generator = np.random.Generator(getattr(np.random, name)(2024))
    generator.normal(size=5)
    generator.integers(0, 2**32, dtype=np.uint32)  # leaves half a 64-bit draw buffered (has_uint32)
    return generator


@pytest.mark.parametrize("name", sorted(agent.BIT_GENERATORS))
def test_a_random_generator_crosses_with_its_exact_state(name):
    generator = generator_after_some_draws(name)
    decoded = through_the_wire(generator, generators=True)
    assert type(decoded) is np.random.Generator and type(decoded.bit_generator).__name__ == name
    assert as_data(decoded.bit_generator.state) == as_data(generator.bit_generator.state)
    assert decoded.integers(0, 2**32, dtype=np.uint32) == generator.integers(0, 2**32, dtype=np.uint32)
    assert np.array_equal(decoded.normal(size=10), generator.normal(size=10))
    assert np.array_equal(decoded.permutation(20), generator.permutation(20))


def test_a_decoded_generator_is_independent_of_the_original():
    generator = generator_after_some_draws("PCG64")
    decoded = through_the_wire(generator, generators=True)
    decoded.normal(size=100)
    assert np.array_equal(through_the_wire(generator, generators=True).normal(size=3), generator.normal(size=3))


def test_functions_and_modules_cross_as_their_names():
    function, module = through_the_wire([agent.Function("train_step"), agent.Module("numpy")])
    assert type(function) is agent.Function and function.name == "train_step"
    assert type(module) is agent.Module and module.name == "numpy"


def test_arrays_cross_as_their_bytes_after_the_text():
    arrays = [np.arange(3.0), np.array([[True, False]]), np.int16(-2)]
    tail = bytearray()
    text = json.dumps(agent.to_data(arrays, tail))
    assert bytes(tail) == b"".join(np.asarray(array).tobytes() for array in arrays)
    assert "AAAA" not in text and len(text) < 200  # no base64 in the text
    message = agent.frame(text, tail)
    assert message == (len(text) + 1 + len(tail)).to_bytes(8, "big") + text.encode() + b"\0" + bytes(tail)


def test_a_message_without_arrays_is_its_text_alone():
    assert agent.frame('{"kind": "done"}') == (16).to_bytes(8, "big") + b'{"kind": "done"}'
    frames = agent.Frames()
    frames.feed(agent.frame('{"kind": "done"}'))
    assert frames.next_message() == ('{"kind": "done"}', b"")


def test_frames_arriving_in_pieces_and_together_are_cut_apart():
    tail = bytearray()
    first = agent.frame(json.dumps(agent.to_data(np.arange(4.0), tail)), tail)
    second = agent.frame('{"kind": "done"}')
    frames = agent.Frames()
    stream = first + second
    for start in range(0, len(stream), 7):
        frames.feed(stream[start:start + 7])
    text, received_tail = frames.next_message()
    assert np.array_equal(agent.from_data(json.loads(text), received_tail), np.arange(4.0))
    assert frames.next_message() == ('{"kind": "done"}', b"") and frames.next_message() is None


def test_a_frame_whose_text_is_not_utf8_is_refused():
    frames = agent.Frames()
    frames.feed((3).to_bytes(8, "big") + b"\xff\xfe{")
    with pytest.raises(WireError, match="UTF-8"):
        frames.next_message()


def test_a_frame_over_max_message_bytes_is_refused_before_it_arrives(monkeypatch):
    monkeypatch.setattr(agent, "MAX_MESSAGE_BYTES", 100)
    frames = agent.Frames()
    frames.feed((101).to_bytes(8, "big"))
    with pytest.raises(WireError, match="over"):
        frames.next_message()


def test_a_frame_whose_text_is_over_max_text_bytes_is_refused_before_it_is_parsed(monkeypatch):
    monkeypatch.setattr(agent, "MAX_TEXT_BYTES", 20)
    frames = agent.Frames()
    fits, over = '{"kind": "x" ' + " " * 6 + "}", '{"kind": "x"' + " " * 8 + "}"
    assert len(fits) == 20 and len(over) == 21
    frames.feed(agent.frame(fits, b"\1" * 100) + agent.frame(over))
    assert frames.next_message() == (fits, b"\1" * 100), "the arrays' bytes do not count"
    with pytest.raises(WireError, match="text is over"):
        frames.next_message()


# -- what is not plain data crosses as its type's name -------------------------------------------


class Opaque:
    pass


class TaggedArray(np.ndarray):
    pass


class SubGenerator(np.random.Generator):
    pass


@pytest.mark.parametrize("value, type_name", [
    pytest.param(lambda x: x, "function", id="a lambda"),
    pytest.param(print, "builtin_function_or_method", id="a builtin"),
    pytest.param(Opaque(), "Opaque", id="a custom object"),
    pytest.param(Opaque, "type", id="a class"),
    pytest.param({1: "a"}, "dict with keys that are not strings", id="a dict with int keys"),
    pytest.param({"a": 1, ("b",): 2}, "dict with keys that are not strings", id="a dict with a tuple key"),
    pytest.param(np.zeros(3).view(TaggedArray), "TaggedArray", id="an ndarray subclass"),
    pytest.param(np.ma.masked_array([1, 2], mask=[0, 1]), "MaskedArray", id="a masked array"),
    pytest.param(np.array([1, "a", None], dtype=object), "ndarray", id="an object-dtype array"),
    pytest.param(np.array([1 + 2j]), "ndarray", id="a complex array"),
    pytest.param(np.array(["ab", "c"]), "ndarray", id="a str array"),
    pytest.param(np.complex128(1j), "complex128", id="a complex NumPy scalar"),
    pytest.param(np.longdouble(1.5), "longdouble", id="a long double scalar"),
    pytest.param(1j, "complex", id="a Python complex"),
    pytest.param({1, 2}, "set", id="a set"),
    pytest.param(b"bytes", "bytes", id="bytes"),
    pytest.param(range(3), "range", id="a range"),
    pytest.param(np.random.RandomState(0), "RandomState", id="a legacy RandomState"),
    pytest.param(SubGenerator(np.random.PCG64(0)), "SubGenerator", id="a Generator subclass"),
    pytest.param(np.random.PCG64(0), "PCG64", id="a bare bit generator"),
])
def test_what_is_not_data_becomes_unsupported_with_its_type_name(value, type_name):
    decoded = through_the_wire(value)
    assert type(decoded) is Unsupported
    assert decoded.type_name.endswith(type_name)
    assert type_name in repr(decoded) and "not data" in repr(decoded)


def test_non_data_inside_data_only_replaces_that_item():
    decoded = through_the_wire({"ok": [1, 2], "bad": [Opaque(), 3]})
    assert decoded["ok"] == [1, 2] and decoded["bad"][1] == 3
    assert type(decoded["bad"][0]) is Unsupported and decoded["bad"][0].type_name == "Opaque"


def test_no_code_or_pickle_crosses_for_non_data():
    assert as_data(Opaque()) == ({"other": "Opaque"}, b"")
    assert as_data(lambda x: x) == ({"other": "function"}, b"")


def test_an_unsupported_type_name_is_cut_to_100_characters():
    assert len(agent.from_data({"other": "x" * 5000}).type_name) == 100


def test_a_list_that_contains_itself_does_not_recurse_forever():
    cyclic = []
    cyclic.append(cyclic)
    assert "deeply nested value" in json.dumps(as_data(cyclic)[0])


def nested_lists(depth):
    value = 0
    for _ in range(depth):
        value = [value]
    return value


def test_data_nested_exactly_max_depth_deep_round_trips():
    value = nested_lists(agent.MAX_DEPTH)
    assert through_the_wire(value) == value


def test_data_nested_deeper_than_max_depth_decodes_with_unsupported_inside():
    decoded = through_the_wire(nested_lists(agent.MAX_DEPTH + 5))
    for _ in range(agent.MAX_DEPTH):  # the list at depth MAX_DEPTH could not hold its item: it is the marker
        (decoded,) = decoded
    assert type(decoded) is Unsupported


# -- decoding is strict --------------------------------------------------------------------------


# The tail the malformed messages below point into: 64 zero bytes, then the generators' arrays.
TAIL = bytearray(64)


def array_data(dtype="int32", shape=(2,), at=0, **extra):
    return {"dtype": dtype, "shape": list(shape), "at": at, **extra}


def in_tail(value):
    """value's data, its arrays' bytes appended to TAIL."""
    return agent.to_data(value, TAIL)


def generator_data(name, change):
    """A generator's wire form whose state went through change(state) first."""
    state = np.random.Generator(getattr(np.random, name)(7)).bit_generator.state
    change(state)
    return {"generator": [name, in_tail(state)]}


def setter(key, value, inner=False):
    def change(state):
        (state["state"] if inner else state)[key] = value
    return change


MT_KEY = np.random.MT19937(7).state["state"]["key"]


@pytest.mark.parametrize("data", [
    # values that are not in the format at all
    pytest.param({"set": [1, 2]}, id="unknown kind"),
    pytest.param({"Tuple": []}, id="kind in the wrong case"),
    pytest.param({}, id="empty object"),
    pytest.param({"tuple": [], "extra": 1}, id="extra key next to the kind"),
    pytest.param({"other": "x", "function": "f"}, id="two kinds"),
    pytest.param(float("nan"), id="a bare nan"),
    pytest.param(float("inf"), id="a bare inf"),
    pytest.param((1, 2), id="a Python tuple, which JSON cannot make"),
    pytest.param({1, 2}, id="a set"),
    pytest.param(b"bytes", id="bytes"),
    pytest.param(Opaque(), id="an object"),
    pytest.param([1, {"set": []}], id="malformed item inside a list"),
    # floats
    pytest.param({"float": "1.5"}, id="float kind for a finite number"),
    pytest.param({"float": "NaN"}, id="float kind spelled NaN"),
    pytest.param({"float": "infinity"}, id="float kind spelled infinity"),
    pytest.param({"float": 1.5}, id="float kind holding a number"),
    # tuples and dicts
    pytest.param({"tuple": "ab"}, id="tuple of a string"),
    pytest.param({"tuple": {"dict": []}}, id="tuple of a dict"),
    pytest.param({"tuple": [{"bad": 1}]}, id="malformed item inside a tuple"),
    pytest.param({"dict": {"a": 1}}, id="dict as a JSON object"),
    pytest.param({"dict": [[1, 2]]}, id="dict entry with an int key"),
    pytest.param({"dict": [[None, 2]]}, id="dict entry with a null key"),
    pytest.param({"dict": [["a"]]}, id="dict entry of one item"),
    pytest.param({"dict": [["a", 1, 2]]}, id="dict entry of three items"),
    pytest.param({"dict": ["a"]}, id="dict entry that is not a pair"),
    pytest.param({"dict": [("a", 1)]}, id="dict entry that is a tuple"),
    pytest.param({"dict": [["a", {"bad": 1}]]}, id="malformed value inside a dict"),
    # arrays
    pytest.param({"array": [1, 2]}, id="array spec that is a list"),
    pytest.param({"array": {"dtype": "int32", "shape": [0]}}, id="array without at"),
    pytest.param({"array": array_data(order="C")}, id="array with an extra key"),
    pytest.param({"array": array_data("object")}, id="array of object dtype"),
    pytest.param({"array": array_data("complex128")}, id="array of complex dtype"),
    pytest.param({"array": array_data("float128")}, id="array of float128 dtype"),
    pytest.param({"array": array_data("<i4")}, id="array dtype with a byte order"),
    pytest.param({"array": array_data(">i4")}, id="array dtype big-endian"),
    pytest.param({"array": dict(array_data(), dtype="V8")}, id="array of void dtype"),
    pytest.param({"array": dict(array_data(), dtype=None)}, id="array dtype null"),
    pytest.param({"array": dict(array_data(), dtype=4)}, id="array dtype a number"),
    pytest.param({"array": dict(array_data(), dtype=["int32"])}, id="array dtype a list"),
    pytest.param({"array": dict(array_data(), shape=2)}, id="array shape not a list"),
    pytest.param({"array": dict(array_data(), shape="2")}, id="array shape a string"),
    pytest.param({"array": dict(array_data(), shape=[-2])}, id="array with a negative dim"),
    pytest.param({"array": dict(array_data(), shape=[-1, -2])}, id="array with two negative dims"),
    pytest.param({"array": dict(array_data(), shape=[2.0])}, id="array with a float dim"),
    pytest.param({"array": dict(array_data(), shape=[True, 2])}, id="array with a bool dim"),
    pytest.param({"array": dict(array_data(), shape=["2"])}, id="array with a string dim"),
    pytest.param({"array": dict(array_data(), shape=[None])}, id="array with a null dim"),
    pytest.param({"array": array_data(shape=(1,) * 33)}, id="array with 33 dims"),
    pytest.param({"array": array_data(data="AAAAAAAAAAA=")}, id="array with base64 data next to at"),
    pytest.param({"array": dict(array_data(), at="0")}, id="array at a string"),
    pytest.param({"array": dict(array_data(), at=0.0)}, id="array at a float"),
    pytest.param({"array": dict(array_data(), at=False)}, id="array at a bool"),
    pytest.param({"array": dict(array_data(), at=None)}, id="array at null"),
    pytest.param({"array": dict(array_data(), at=[0])}, id="array at a list"),
    pytest.param({"array": dict(array_data(), at=-1)}, id="array at a negative offset"),
    pytest.param({"array": dict(array_data(), at=-2**70)}, id="array at a huge negative offset"),
    pytest.param({"array": dict(array_data(), at=2**70)}, id="array at a huge offset"),
    pytest.param({"array": array_data(shape=(2**24,))}, id="array longer than the tail"),
    pytest.param({"array": array_data("float64", shape=(2**20, 2**20))}, id="array of a terabyte"),
    pytest.param({"array": array_data(at=10**6)}, id="array past the end of the tail"),
    pytest.param({"array": array_data(shape=(0,), at=10**6)}, id="empty array past the end of the tail"),
    pytest.param({"array": array_data(shape=(0, 2**64))}, id="empty array with a 2**64 dim"),
    pytest.param({"array": array_data(shape=(2**40, 2**40, 0))}, id="empty array with huge dims"),
    # NumPy scalars
    pytest.param({"scalar": array_data(shape=(1,))}, id="scalar with a shape"),
    pytest.param({"scalar": array_data(shape=(0,))}, id="scalar with an empty shape"),
    pytest.param({"scalar": array_data("complex64", shape=())}, id="scalar of complex dtype"),
    pytest.param({"scalar": "1.5"}, id="scalar as text"),
    # random generators
    pytest.param({"generator": ["Xoshiro256", in_tail(np.random.PCG64(0).state)]}, id="unknown bit generator"),
    pytest.param({"generator": ["RandomState", {"dict": []}]}, id="generator of a RandomState"),
    pytest.param({"generator": ["PCG64"]}, id="generator without a state"),
    pytest.param({"generator": ["PCG64", {"dict": []}, 1]}, id="generator with three items"),
    pytest.param({"generator": {"PCG64": {"dict": []}}}, id="generator as an object"),
    pytest.param({"generator": ["PCG64", 3]}, id="generator state a number"),
    pytest.param({"generator": ["PCG64", {"dict": []}]}, id="generator state empty"),
    pytest.param({"generator": ["PCG64", {"bad": 1}]}, id="generator state malformed data"),
    pytest.param({"generator": ["PCG64", in_tail(np.random.MT19937(0).state)]},
                 id="generator state of another bit generator"),
    pytest.param(generator_data("PCG64", setter("state", "x", inner=True)), id="PCG64 state a string"),
    pytest.param(generator_data("PCG64", setter("state", None, inner=True)), id="PCG64 state null"),
    pytest.param(generator_data("PCG64", setter("state", {"state": 1}, inner=False)), id="PCG64 state without inc"),
    pytest.param(generator_data("PCG64", setter("has_uint32", "yes")), id="PCG64 has_uint32 a string"),
    pytest.param(generator_data("SFC64", setter("state", np.zeros(2, np.uint64), inner=True)),
                 id="SFC64 state too short"),
    pytest.param({"generator": [["PCG64"], {"dict": []}]}, id="bit generator name a list"),
    pytest.param(generator_data("PCG64", setter("state", -1, inner=True)), id="PCG64 state negative"),
    pytest.param(generator_data("PCG64", setter("state", 2**200, inner=True)), id="PCG64 state over 128 bits"),
    pytest.param(generator_data("PCG64", setter("uinteger", -5)), id="PCG64 uinteger negative"),
    pytest.param(generator_data("MT19937", setter("key", MT_KEY[:3], inner=True)), id="MT19937 key too short"),
    pytest.param(generator_data("MT19937", setter("pos", 10**6, inner=True)), id="MT19937 pos past the key"),
    pytest.param(generator_data("MT19937", setter("pos", -1, inner=True)), id="MT19937 pos negative"),
    pytest.param(generator_data("Philox", setter("buffer_pos", -1)), id="Philox buffer_pos negative"),
    pytest.param(generator_data("Philox", setter("counter", np.zeros(2, np.uint64), inner=True)),
                 id="Philox counter too short"),
    # functions, modules and other types
    pytest.param({"function": 3}, id="function name a number"),
    pytest.param({"function": None}, id="function name null"),
    pytest.param({"module": ["numpy"]}, id="module name a list"),
    pytest.param({"other": {"dict": []}}, id="other type name not text"),
])
def test_from_data_refuses_malformed_input_with_wire_error(data):
    with pytest.raises(WireError):
        agent.from_data(data, bytes(TAIL))


def test_the_same_array_bytes_read_many_times_count_every_time(monkeypatch):
    """Arrays point into the message's bytes: a hostile sender could point a million arrays at the same
    megabyte and make the reader build a terabyte. What one message decodes to is capped."""
    monkeypatch.setattr(agent, "MAX_MESSAGE_BYTES", 1000)
    tail = bytes(400)
    one = {"array": array_data("float64", shape=(50,))}  # 400 bytes
    assert len(agent.from_data([one, one], tail)) == 2
    with pytest.raises(WireError, match="bytes"):
        agent.from_data([one, one, one], tail)
    assert len(agent.from_data([one, one], tail)) == 2  # a new call has a new budget


def test_arrays_read_from_the_same_bytes_are_independent_copies():
    tail = np.arange(4.0).tobytes()
    first, second = agent.from_data([{"array": array_data("float64", shape=(4,))}] * 2, tail)
    first[0] = 99.0
    assert second[0] == 0.0 and first.flags.owndata and first.flags.writeable


def test_wire_error_is_a_value_error():
    assert issubclass(WireError, ValueError)


def test_nesting_deeper_than_max_depth_is_refused(monkeypatch):
    monkeypatch.setattr(agent, "MAX_DEPTH", 3)
    assert agent.from_data(nested_lists(3)) == nested_lists(3)
    with pytest.raises(WireError, match="deeper"):
        agent.from_data(nested_lists(4))


@pytest.mark.parametrize("wrap", [
    pytest.param(lambda inner: [inner], id="lists"),
    pytest.param(lambda inner: {"tuple": [inner]}, id="tuples"),
    pytest.param(lambda inner: {"dict": [["k", inner]]}, id="dicts"),
])
def test_every_container_counts_towards_the_depth(monkeypatch, wrap):
    monkeypatch.setattr(agent, "MAX_DEPTH", 3)
    data = 0
    for _ in range(3):
        data = wrap(data)
    agent.from_data(data)
    with pytest.raises(WireError, match="deeper"):
        agent.from_data(wrap(data))


def test_a_generator_state_counts_towards_the_depth(monkeypatch):
    data, tail = as_data(np.random.default_rng(0))
    monkeypatch.setattr(agent, "MAX_DEPTH", 1)
    with pytest.raises(WireError, match="deeper"):
        agent.from_data(data, tail, generators=True)


def test_the_grader_never_reads_a_random_generator_from_the_kernel():
    """NumPy's state setters do not check a state well enough to take one from a hostile kernel."""
    data, tail = as_data(np.random.default_rng(0))
    with pytest.raises(WireError):
        agent.from_data(data, tail)
    assert type(agent.from_data(data, tail, generators=True)) is np.random.Generator


def test_deep_json_is_refused_without_a_recursion_error():
    with pytest.raises(WireError):
        agent.decode('{"value": ' + "[" * 100_000 + "]" * 100_000 + "}")


@pytest.mark.parametrize("data", [
    pytest.param(list(range(6)), id="one list"),
    pytest.param([[1, 2], [3, 4]], id="nested lists, containers counted"),
    pytest.param({"tuple": [1, 2, 3, 4, 5, 6]}, id="one tuple"),
    pytest.param({"dict": [[str(i), i] for i in range(6)]}, id="one dict"),
    pytest.param([{"tuple": [1, 2]}, {"dict": [["a", 1], ["b", 2]]}], id="items of all kinds together"),
])
def test_more_than_max_items_in_one_message_are_refused(monkeypatch, data):
    monkeypatch.setattr(agent, "MAX_ITEMS", 5)
    with pytest.raises(WireError, match="more than"):
        agent.from_data(data)


def test_max_items_is_a_total_over_one_call_not_per_container(monkeypatch):
    monkeypatch.setattr(agent, "MAX_ITEMS", 5)
    assert agent.from_data([1, 2, 3, 4, 5]) == [1, 2, 3, 4, 5]
    assert agent.from_data([[1], [2]]) == [[1], [2]]  # 2 + 1 + 1 items
    assert agent.from_data([1, 2, 3]) == [1, 2, 3]  # a new call has a new budget


@pytest.mark.parametrize("text", [
    pytest.param("not json", id="not JSON"),
    pytest.param("", id="empty text"),
    pytest.param('{"kind": "result"', id="truncated object"),
    pytest.param("{'kind': 'result'}", id="single quotes"),
    pytest.param('{"a": 1} {"b": 2}', id="two objects"),
    pytest.param("[1, 2]", id="a JSON array"),
    pytest.param('"kind"', id="a JSON string"),
    pytest.param("3", id="a JSON number"),
    pytest.param("null", id="JSON null"),
    pytest.param("true", id="JSON true"),
    pytest.param(b'{"kind": "result"}', id="bytes, not text"),
    pytest.param(None, id="None, not text"),
    pytest.param({"kind": "result"}, id="a dict, not text"),
])
def test_decode_refuses_what_is_not_one_json_object(text):
    with pytest.raises(WireError):
        agent.decode(text)


def test_decode_refuses_a_text_over_max_text_bytes(monkeypatch):
    monkeypatch.setattr(agent, "MAX_TEXT_BYTES", 40)
    fits = '{"kind": "result", "value": "' + "x" * 9 + '"}'
    assert len(fits) == 40 and agent.decode(fits)["value"] == "x" * 9
    with pytest.raises(WireError, match="over"):
        agent.decode(fits[:-2] + 'x"}')


def test_decode_returns_the_message_as_a_dict():
    assert agent.decode('{"kind": "result", "value": {"tuple": [1]}}') == {"kind": "result", "value": {"tuple": [1]}}


def test_a_namedtuple_crosses_as_a_tuple_of_its_items():
    import collections

    Step = collections.namedtuple("Step", "params cost grads")
    decoded = through_the_wire(Step({"W1": np.ones((2, 2))}, 0.5, {"dW1": np.zeros((2, 2))}))
    assert type(decoded) is tuple and decoded[1] == 0.5 and decoded[0]["W1"].tolist() == [[1.0, 1.0], [1.0, 1.0]]


def test_a_tuple_subclass_crosses_its_real_items_whatever_its_methods_say():
    class Lying(tuple):
        def __iter__(self):
            return iter(["not", "these"])

        def __len__(self):
            return 0

        def __getitem__(self, index):
            return "nor this"

    assert through_the_wire(Lying((1, 2.5))) == (1, 2.5)
