"""Assignment 05, the vectorization homework: what it grades (the training step of its network, trained on the
squared error (helpers/reference/shallow_squared.py), in two stages, its loops, its speed), on which problems; its
catalogue of mistakes and its questions' answers are in helpers/answers/vectorization.py."""
import contextlib
import copy
import functools
import io
import warnings

import numpy as np

from helpers import codecheck, cputime
from helpers.reference import shallow_squared
from helpers.reference.shallow import forward, initialize_parameters
from helpers.reference.shallow_squared import train_step, train_step_per_unit
from helpers.answers import vectorization as answers
from helpers.specs import Graded, questions
from helpers.specs.shallow_network import example_problem, random_problem

# -- test problems: a whole training step, compared with the loop version or the reference --------------------


STEP_OUTPUTS = ("new_params", "cost", "grads")


def _train_step_problems(seed=None, count=6):
    """[(args, case, the course's version the step is compared with)] for assignment 5's training step."""
    if seed is None:
        X, Y, params = example_problem(m=4)
        # 0.3, not 0.5: at 0.5 a step whose gradients are twice the right ones moves the parameters as a right step
        # without its learning rate does, and the parameters' rows could not tell the two mistakes apart
        return [((X, Y, params, 0.3), "example, vs the loop version", train_step_per_unit)]
    rng, problems = np.random.default_rng(seed), []
    for index in range(count):
        X, Y, params, case = random_problem(rng, max_hiddens=8, max_examples=39)
        learning_rate = float(rng.uniform(0.01, 2.0))
        against, version = (("the loop version", train_step_per_unit) if index % 3 == 0
                            else ("the reference", train_step))
        problems.append(((X, Y, params, learning_rate), f"{case}, vs {against}", version))
    return problems


def train_step_problems(seed=None, count=6):
    """Problems (X, Y, params, learning_rate) for a whole training step."""
    return [(args, case) for args, case, _ in _train_step_problems(seed, count)]


# -- the mistakes a student's step is compared with (helpers/answers) -------------------------------


# -- checks that are more than a comparison with the reference (a test cell names them) ----------------------


def train_step_cases(check, train_step_vectorized, seed=None):
    """Assignment 5 (a): cost, gradients and new parameters against the loop version or the reference, with m."""
    graded = check.graded
    for (X, Y, params, learning_rate), case, version in _train_step_problems(seed):
        expected_params, expected_cost, expected_grads = version(X, Y, params, learning_rate)
        variants = graded.mistakes(X, Y, params, learning_rate)
        new_params, step_cost, grads = check.call(train_step_vectorized, X, Y, params, learning_rate,
                                                  outputs=graded.outputs)
        suffix, m = f" [{case}]", X.shape[1]
        check.compare_output("cost", step_cost, expected_cost, m=m, suffix=suffix,
                             mistakes=answers.squared_error_cost(forward(X, params)[0], Y))
        check.compare_output("grads", grads, expected_grads, m=m, suffix=suffix,
                             mistakes={diagnosis: variant[2] for diagnosis, variant in variants.items()})
        check.compare_output("new_params", new_params, expected_params, suffix=suffix,
                             mistakes={diagnosis: variant[0] for diagnosis, variant in variants.items()},
                             update=(params, learning_rate))


def check_no_loops(check, train_step_vectorized):
    """Assignment 5 (b), the visible part: the step runs on a small problem; what reading its code finds is advice.
    The grade is check_loop_costs's, after hand-in."""
    _runs_with_advice(check, train_step_vectorized)


def _runs_with_advice(check, student):
    from helpers import datasets

    X, Y = datasets.noisy_xor(m=10, noise=0.25, seed=5)
    check.call(student, X, Y, initialize_parameters(2, 3, 1, seed=5, scale=1.0), 0.5, outputs=STEP_OUTPUTS)
    if not check.failures:
        check.require("runs on a small problem", True, "")
    advice = codecheck.loop_message(student)
    if advice:
        check.notes.append(f"{codecheck.ADVICE}{advice} The grade measures what your step costs where the "
                           "examples, the hidden units or the inputs are many (the text above this cell).")


# -- loops, by the CPU time a step costs where they would show (helpers/cputime.py) ------------------------------

# Each shape makes one kind of loop costly. Where the examples are many and the network is one unit wide, a step
# does little work per example, so even one Python call per example (np.vectorize, np.frompyfunc, map over a
# row) costs it four to seven times what the course's does; a loop-free step costs about the same (1 to 1.5
# times). Where the hidden units or the inputs are many, a loop over them costs twenty times the course's or more.
# The bound, at every shape, on the step's CPU time over the course's: benchmarks/loop_costs.py measures all this.
LOOP_SHAPES = {"examples": {"inputs": 2, "hiddens": 1, "examples": 100_000, "max_ratio": 4},
               "hidden units": {"inputs": 2, "hiddens": 20_000, "examples": 4, "max_ratio": 8},
               "inputs": {"inputs": 20_000, "hiddens": 4, "examples": 4, "max_ratio": 8}}
LOOP_COST_SEED = 513


def _fresh_problem(rng, inputs, hiddens, examples):
    """New inputs of the given sizes for every measured call, so that remembering an answer gains nothing. Each
    layer's weights are N(0, 1) over the square root of its inputs, which keeps tanh and the sigmoid away from
    saturation however many units or inputs there are (where the gradients would all but vanish)."""
    params = {"W1": rng.standard_normal((hiddens, inputs)) / np.sqrt(inputs), "b1": np.zeros((hiddens, 1)),
              "W2": rng.standard_normal((1, hiddens)) / np.sqrt(hiddens), "b2": np.zeros((1, 1))}
    return rng.normal(size=(inputs, examples)), rng.integers(0, 2, size=(1, examples)), params, 1.2


def check_loop_costs(check, student, course=train_step, shapes=LOOP_SHAPES, name=None):
    """Assignment 5 (b) and stage 1 (b), the grade: at every shape, the student's step costs at most its max_ratio
    times the CPU time of the course's version (course), both measured here on the same kind of fresh problems;
    and the measured calls returned the right results."""
    name = name or "no loop over the " + _listed(shapes)
    rng, timed = np.random.default_rng(LOOP_COST_SEED), cputime.Sample()
    problems = [(label, f"n_x={shape['inputs']}, n_h={shape['hiddens']}, m={shape['examples']}",
                 functools.partial(_fresh_problem, rng, shape["inputs"], shape["hiddens"], shape["examples"]),
                 shape["max_ratio"]) for label, shape in shapes.items()]
    try:
        over = cputime.over_the_course(student, course, problems, timed)
    except Exception as error:  # its failure on these sizes: part (a) has the details
        if not check.failures:
            check.require(name, False, f"on the larger problems your step failed: {str(error)[:300]}")
        return
    if _require_the_work_was_done(check, timed, student):
        check.require(name, not over, over and (
            f"where the {_listed(over)} are many, your step costs more CPU time than the course's allows (the lines "
            f"above say how much): it does some work once per {_singular(over)}, in a Python loop, a comprehension, "
            "map, np.vectorize, np.frompyfunc or the like. Every line should handle whole matrices."))


def _listed(labels):
    labels = list(labels)
    return labels[0] if len(labels) == 1 else ", the ".join(labels[:-1]) + " or the " + labels[-1]


def _singular(labels):
    words = {"examples": "example", "hidden units": "hidden unit", "inputs": "input"}
    return " or ".join(words[label] for label in labels)


SPEED_EXAMPLES, MIN_SPEEDUP = 10_000, 20


# The loop version is timed on the first LOOP_EXAMPLES of the examples only: its time grows in step with m (every
# example costs the same Python loops; benchmarks/vectorization.py measures it), so SPEED_EXAMPLES / LOOP_EXAMPLES
# times its time stands for all of them, and the test no longer waits seconds for it.
LOOP_EXAMPLES = 250


SPEED_PROBE_SEED = 509  # a problem like the hidden tests', for a step whose timed results are wrong
# The timed calls whose results are checked: cputime.CHECKED_CALLS of them, drawn at random (where no reference is
# at hand, as in a student's edition, each check runs the loop version: a second or so on SPEED_EXAMPLES examples).


def loop_version_on_a_share(share):
    """train_step_per_unit on the first `share` examples of its arguments (what a speed test times, and scales
    up)."""
    def loop_version(X, Y, params, learning_rate):
        return train_step_per_unit(X[:, :share], Y[:, :share], params, learning_rate)
    return loop_version


def check_speed(check, train_step_vectorized):
    """Assignment 5 (c): at least MIN_SPEEDUP times faster than the homework's loop version (train_step_per_unit)
    on SPEED_EXAMPLES examples, both timed here, side by side, each call on fresh inputs; the loop version runs on
    LOOP_EXAMPLES of them, its time scaled up."""
    from helpers import datasets

    X, Y = datasets.noisy_xor(m=SPEED_EXAMPLES, noise=0.25, seed=6)
    params = initialize_parameters(2, 4, 1, seed=6, scale=1.0)
    new_params, _, grads = check.call(train_step_vectorized, X, Y, params, 1.2, outputs=STEP_OUTPUTS)
    if check.failures or not check.require(
            "returns new_params and grads with the parameters' shapes",
            isinstance(new_params, dict) and isinstance(grads, dict)
            and all(np.shape(new_params.get(name)) == value.shape and np.shape(grads.get("d" + name)) == value.shape
                    for name, value in params.items()),
            "new_params must hold W1, b1, W2, b2 and grads dW1, db1, dW2, db2, each of its parameter's shape."):
        return
    rng = np.random.default_rng(6)

    def fresh_problem():
        """New inputs for every timed call, so that remembering an answer gains nothing."""
        return rng.normal(size=X.shape), rng.integers(0, 2, size=Y.shape), _random_parameters(rng, 2, 4, 1.0), 1.2

    timed = cputime.Sample()
    speedup = _speedup(loop_version_on_a_share(LOOP_EXAMPLES), train_step_vectorized, fresh_problem, timed,
                       SPEED_EXAMPLES / LOOP_EXAMPLES, MIN_SPEEDUP)
    print(f"on {X.shape[1]} examples your step is {speedup:.0f} times faster than the loop version (timed on "
          f"{LOOP_EXAMPLES} of them, its time times {SPEED_EXAMPLES // LOOP_EXAMPLES})")
    if _require_the_work_was_done(check, timed, train_step_vectorized):
        check.require(f"at least {MIN_SPEEDUP} times faster", speedup >= MIN_SPEEDUP,
                      f"less than {MIN_SPEEDUP} times faster (the line above says how much). Look for work done "
                      "once per example or per unit: every line should handle whole matrices.")


def _speedup(loop_version, student, fresh_problem, timed, scale, min_speedup):
    """How many times less CPU time the student's step costs than the loop version (run on a share of the
    examples, its time times scale), both measured in turns on fresh problems (helpers/cputime.py), until it is
    plain whether that is at least min_speedup."""
    loop_seconds, yours = cputime.in_turns(student, loop_version, fresh_problem, timed, bound=scale / min_speedup)
    return loop_seconds * scale / max(yours, 1e-9)


def _random_parameters(rng, n_x, n_h, scale):
    """A one-output network's parameters for a timed call: weights scale * N(0, 1) drawn from rng, zero biases."""
    return {"W1": scale * rng.standard_normal((n_h, n_x)), "b1": np.zeros((n_h, 1)),
            "W2": scale * rng.standard_normal((1, n_h)), "b2": np.zeros((1, 1))}


def _require_the_work_was_done(check, timed, student):
    """A row: the timed calls returned the course's step's results on their inputs, unless the student's step
    gets another problem of the hidden tests' kind wrong too (a mistake that part (a) counts already). So a step
    that answers quickly, and wrongly, only where it guesses it is timed earns no speed."""
    # timed is a sample of them (cputime.Sample): a step that answers wrongly where it guesses it is timed does so
    # in most timed calls
    checked = list(timed)
    wrong = sum(not _same_step(result, train_step(*args)) for args, result in checked)
    if wrong:
        ((args, _),) = train_step_problems(seed=SPEED_PROBE_SEED, count=1)
        try:  # its warnings and stderr were reported by part (a); here they would cost the cell its points
            with warnings.catch_warnings(), contextlib.redirect_stderr(io.StringIO()):
                warnings.simplefilter("ignore")
                right_elsewhere = _same_step(student(*copy.deepcopy(args)), train_step(*args))
        except Exception:  # the step's own failure: part (a) reports it
            right_elsewhere = False
        if not right_elsewhere:
            return True
    return check.require(
        "the timed calls return the right results", not wrong,
        f"{wrong} of {len(checked)} timed calls returned other results than the course's step on the same "
        "inputs, although your step is right on other problems: a step must do the same work whatever its inputs.")


def _same_step(result, expected, rtol=1e-6):
    """result is (new_params, cost, grads) equal to expected's, entry by entry and in shape, up to rounding."""
    from helpers.gradcheck import error_relative_to_largest

    try:
        new_params, cost, grads = result
        arrays_agree = all(np.shape(got[key]) == value.shape
                           and error_relative_to_largest(np.asarray(got[key], dtype=float), value) <= rtol
                           for got, want in ((new_params, expected[0]), (grads, expected[2]))
                           for key, value in want.items())
        cost = np.asarray(cost, dtype=float)
        return arrays_agree and cost.size == 1 and abs(cost.item() - expected[1]) <= rtol * abs(expected[1])
    except (TypeError, ValueError, KeyError, IndexError, AttributeError):
        return False


def check_same_boundary(check, train_step_vectorized, num_steps=200):
    """Assignment 5 (d): num_steps steps of the student's step from the same start as the homework's loop version
    reach the same parameters, and the same class on a grid over noisy XOR (up to rounding at the boundary).

    The loop version's steps are computed by the course's vectorized step, which gives the same results up to
    rounding (tests/test_shallow.py) in a twentieth of the time: this test no longer costs a second a hand-in."""
    from helpers import datasets

    X, Y = datasets.noisy_xor(m=200, noise=0.25, seed=3)
    start = initialize_parameters(2, 4, 1, seed=0, scale=1.0)
    grid = np.mgrid[-0.75:1.75:101j, -0.75:1.75:101j].reshape(2, -1)
    check.call(train_step_vectorized, X, Y, start, 1.2, outputs=STEP_OUTPUTS)
    if check.failures:
        return
    looped = trained = start
    for _ in range(num_steps):
        looped, _, _ = train_step(X, Y, looped, 1.2)
    for _ in range(num_steps):
        trained, _, _ = check.call(train_step_vectorized, X, Y, trained, 1.2, outputs=STEP_OUTPUTS)
        if check.failures:
            break
    check.compare_output("new_params", trained, looped, suffix=f" after {num_steps} steps")
    if check.failures:
        check.notes.append(f"training repeats your step {num_steps} times, so any difference in part (a) "
                           "grows here: make part (a) pass first.")
        return
    A2_loop, A2_yours = forward(grid, looped)[0], forward(grid, trained)[0]
    # only a point within rounding distance of the boundary may change sides
    changed = ((A2_yours > 0.5) != (A2_loop > 0.5)) & (np.abs(A2_loop - 0.5) > 1e-6)
    check.require(f"the same class on all {grid.shape[1]} grid points", not np.any(changed),
                  f"{np.count_nonzero(changed)} grid points are classified differently after training.")


# Stage 1 keeps its loop over the examples: its costs are measured where the hidden units or the inputs are many.
# Its vectors are kept small enough (2,000 entries, 16 kB) to stay in the processor's caches: there the course's
# stage 1, like a loop over the units or the inputs, costs interpreter time, which a loaded machine slows about as
# much as it slows a loop. With 20,000 units the course's per-example work on 160 kB vectors waited on memory, and
# a loaded machine made it up to eight times slower while a loop kept its pace: a loop over the units came out at
# only 5.6 times the course's.
STAGE1_LOOP_SHAPES = {"hidden units": {"inputs": 2, "hiddens": 2_000, "examples": 40, "max_ratio": 8},
                      "inputs": {"inputs": 2_000, "hiddens": 4, "examples": 40, "max_ratio": 8}}


def check_one_loop(check, train_step_per_example_student):
    """Assignment 5 stage 1 (b), the visible part: the step runs on a small problem; what reading its code finds is
    advice. The grade is check_stage1_loop_costs's, after hand-in."""
    _runs_with_advice(check, train_step_per_example_student)


def check_stage1_loop_costs(check, train_step_per_example_student):
    """Assignment 5 stage 1 (b), the grade: no loop over the hidden units or the inputs, by the CPU time the step
    costs where they are many, against the course's stage 1."""
    check_loop_costs(check, train_step_per_example_student, course=shallow_squared.train_step_per_example,
                     shapes=STAGE1_LOOP_SHAPES)


# The loop version's time grows in step with the examples here too (benchmarks/vectorization.py measures it): it is
# timed on a third of them.
STAGE1_SPEED = {"examples": 300, "inputs": 8, "hiddens": 32, "loop_examples": 100}


STAGE1_MIN_SPEEDUP = 5


def check_stage_speed(check, student, min_speedup, examples, inputs, hiddens, loop_examples=None, seed=6):
    """At least min_speedup times faster than the course's train_step_per_unit on a network of the given sizes,
    both timed here, each call on fresh inputs; the loop version runs on the first loop_examples of the examples
    (all by default), its time scaled up (as check_speed does)."""
    rng = np.random.default_rng(seed)
    loop_examples = loop_examples or examples

    def fresh_problem():
        """New inputs for every timed call, so that remembering an answer gains nothing."""
        return (rng.normal(size=(inputs, examples)), rng.integers(0, 2, size=(1, examples)),
                _random_parameters(rng, inputs, hiddens, 0.5), 1.2)

    args = fresh_problem()
    new_params, _, grads = check.call(student, *args, outputs=STEP_OUTPUTS)
    if check.failures or not check.require(
            "returns new_params and grads with the parameters' shapes",
            isinstance(new_params, dict) and isinstance(grads, dict)
            and all(np.shape(new_params.get(key)) == value.shape and np.shape(grads.get("d" + key)) == value.shape
                    for key, value in args[2].items()),
            "new_params must hold W1, b1, W2, b2 and grads dW1, db1, dW2, db2, each of its parameter's shape."):
        return
    timed = cputime.Sample()
    speedup = _speedup(loop_version_on_a_share(loop_examples), student, fresh_problem, timed,
                       examples / loop_examples, min_speedup)
    share = f" (timed on {loop_examples} of them, its time times {examples / loop_examples:g})" \
        if loop_examples < examples else ""
    print(f"with n_x={inputs}, n_h={hiddens} and m={examples} your step is {speedup:.1f} times faster than the "
          f"loop version{share}")
    if _require_the_work_was_done(check, timed, student):
        check.require(f"at least {min_speedup} times faster", speedup >= min_speedup,
                      f"less than {min_speedup} times faster (the line above says how much). Look for work still "
                      "done once per hidden unit or per input.")


def check_stage1_speed(check, train_step_per_example_student):
    """Assignment 5 stage 1 (c): faster than the loop version where the units and inputs are many."""
    check_stage_speed(check, train_step_per_example_student, STAGE1_MIN_SPEEDUP, **STAGE1_SPEED)


# -- check-your-understanding questions: the kind of each answer (the answers are in helpers/answers) ---------
QUESTIONS = questions.Questions({"tanh_runs": "number", "bigger_win": ("a", "b", "c")}, answers)
check_answer_form, check_answer = QUESTIONS.check_answer_form, QUESTIONS.check_answer


GRADED = {
    "train_step_per_example": Graded(shallow_squared.train_step_per_example, STEP_OUTPUTS, train_step_problems,
                                     answers.shallow_train_step, updates={"new_params": 2}, rate=3),
    "train_step_vectorized": Graded(shallow_squared.train_step, STEP_OUTPUTS, train_step_problems,
                                    answers.shallow_train_step, not_from=("train_step_per_example",),
                                    updates={"new_params": 2}, rate=3),
}
