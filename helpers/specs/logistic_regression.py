"""Assignment 03, logistic regression: what it grades and on which problems; its catalogue of
mistakes is in helpers/answers/logistic_regression.py."""
import functools

import numpy as np

from helpers import codecheck, cputime
from helpers.reference import activations, logistic
from helpers.reference.logistic import cost, forward
from helpers.answers import logistic_regression as answers
from helpers.specs import Graded


# -- test problems and checks for a student's sigmoid ---------------------------------------------------------


def sigmoid_problems(seed=None, count=4):
    """Problems (z,) for sigmoid, [(args, case)] for grading.Check.cases: the notebook's examples (seed=None), or
    arrays of random shapes and scales (up to 1000) drawn from seed, then z just inside the limits of float64."""
    if seed is None:
        return [((np.array([[-3.0, -1.0, 0.0, 0.5, 4.0]]),), ""),
                ((np.array([[-1000.0, -50.0, 50.0, 1000.0]]),), "|z| up to 1000")]
    rng, problems = np.random.default_rng(seed), []
    for _ in range(count):
        shape = tuple(int(n) for n in rng.integers(1, 7, size=2))
        z = rng.normal(scale=10.0 ** int(rng.integers(0, 4)), size=shape)
        problems.append(((z,), f"shape {shape}"))
    problems.append(((np.array([[-745.5, -709.8, -40.0, 40.0, 709.8, 745.5]]),), "near the float limits"))
    return problems


def check_sigmoid(check, student, seed=None, **draw):
    """The cases of sigmoid (check.graded), each also required to run without overflow: a call that makes np.exp
    overflow adds a warning to the table's notes, and its case gets a failing 'no overflow' row."""
    graded = check.graded
    for args, case in graded.problems(seed, **draw):
        notes_before = len(check.notes)
        check.function(student, graded.reference, args, outputs=graded.outputs, case=case,
                       mistakes=graded.mistakes(*args))
        overflowed = any("overflow" in note for note in check.notes[notes_before:])
        check.require(f"no overflow [{case or 'example'}]", not overflowed,
                      "np.exp overflowed (e^z is inf beyond z = 709): exponentiate only -|z|, "
                      "e = np.exp(-np.abs(z)), and pick the form by the sign of z.")


def check_sigmoid_of_a_float(check, student):
    """sigmoid(0.0): a plain float in, a number out (check.graded is sigmoid's)."""
    check.function(student, check.graded.reference, (0.0,), outputs=check.graded.outputs, case="z = 0.0, a float")


# -- test problems: the assignment's examples (seed=None), or random ones drawn from a seed -------------------
# Each returns [(args, case)], for grading.Check.cases; the random ones vary n_x and m, so that an answer
# written for the example's shapes only is found out.


def _example():
    """The notebook's example (X, Y, w, b): two features, three examples."""
    return np.array([[1.0, -2.0, 0.5], [0.5, 1.5, -1.0]]), np.array([[1, 0, 0]]), np.array([[0.5], [-1.0]]), 0.25


def _cost_draws(seed, count):
    """The random problems of the cost, drawn in turn from one generator: per round, probabilities A, the same
    with some exactly 0 or 1 on the right side, and a confidently wrong A, [(kind, (A, Y), case)]."""
    rng, problems = np.random.default_rng(seed), []
    for _ in range(count):
        m = int(rng.integers(2, 40))
        A, Y = rng.uniform(0.01, 0.99, size=(1, m)), rng.integers(0, 2, size=(1, m))
        problems.append(("cost", (A, Y), f"m={m}"))
        saturated = rng.random(size=(1, m)) < 0.3
        A = np.where(saturated, Y.astype(float), A)  # exactly 0 or 1, on the right side
        problems.append(("cost", (A, Y), f"m={m}, {int(saturated.sum())} saturated"))
        A_wrong, Y_wrong = np.where(saturated, 1.0 - Y, A), Y.copy()
        A_wrong[0, 0], Y_wrong[0, 0] = 0.0, 1
        problems.append(("confidently wrong", (A_wrong, Y_wrong), f"m={m}, confidently wrong"))
    return problems


def cost_problems(seed=None, count=4):
    """Problems (A, Y) for cost, some with A exactly 0 or 1 on the right side."""
    if seed is None:
        return [((np.array([[0.9, 0.2, 0.6, 0.35]]), np.array([[1, 0, 0, 1]])), ""),
                ((np.array([[1.0, 0.0, 0.7, 0.2]]), np.array([[1, 0, 1, 0]])), "A exactly 0 and 1")]
    return [(args, case) for kind, args, case in _cost_draws(seed, count) if kind == "cost"]


def confidently_wrong_problems(seed=None, count=4):
    """Problems (A, Y) for cost with A exactly 0 or 1 on the wrong side, drawn with cost_problems (same seed)."""
    if seed is None:
        return [((np.array([[0.0, 1.0, 0.5]]), np.array([[1, 0, 1]])), "confidently wrong")]
    return [(args, case) for kind, args, case in _cost_draws(seed, count) if kind == "confidently wrong"]


def _gradients_problems(seed, count, n_x_high, m_high):
    if seed is None:
        return [(_example(), "")]
    rng, problems = np.random.default_rng(seed), []
    for _ in range(count):
        n_x, m = int(rng.integers(1, n_x_high)), int(rng.integers(2, m_high))
        X, Y = rng.normal(size=(n_x, m)), rng.integers(0, 2, size=(1, m))
        w, b = rng.normal(size=(n_x, 1)), float(rng.normal())
        problems.append(((X, Y, w, b), f"n_x={n_x}, m={m}"))
    return problems


def gradients_loop_problems(seed=None, count=5):
    """Problems (X, Y, w, b) for gradients_loop."""
    return _gradients_problems(seed, count, 6, 30)


def gradients_problems(seed=None, count=5):
    """Problems (X, Y, w, b) for gradients: more features and examples than for the loop."""
    return _gradients_problems(seed, count, 8, 200)


def optimize_problems(seed=None, count=4):
    """Problems (X, Y, w, b, learning_rate, num_iterations, record_every) for optimize, on noisy linear labels."""
    if seed is None:
        X = np.array([[1.0, -1.0, 2.0, -0.5], [0.5, 1.0, -1.5, -2.0]])
        return [((X, np.array([[1, 0, 1, 0]]), np.array([[0.1], [-0.2]]), 0.0, 0.5, 6, 2), "")]
    rng, problems = np.random.default_rng(seed), []
    for _ in range(count):
        n_x, m = int(rng.integers(1, 6)), int(rng.integers(3, 60))
        X = rng.normal(size=(n_x, m))
        Y = (rng.normal(size=(1, n_x)) @ X + 0.5 * rng.normal(size=(1, m)) > 0).astype(int)
        w, b = 0.5 * rng.normal(size=(n_x, 1)), float(rng.normal())
        learning_rate, num_iterations = float(rng.uniform(0.05, 1.0)), int(rng.integers(1, 40))
        record_every = int(rng.integers(1, 6))
        problems.append(((X, Y, w, b, learning_rate, num_iterations, record_every),
                         f"n_x={n_x}, m={m}, {num_iterations} iterations, every {record_every}"))
    return problems


def predict_problems(seed=None, count=4):
    """Problems (X, w, b) for predict, with small integers so that some examples sit exactly on the boundary."""
    if seed is None:
        return [((np.array([[-2.0, 0.0, 0.3, 0.6, 3.0]]), np.array([[1.0]]), 0.0), "")]
    rng, problems = np.random.default_rng(seed), []
    for _ in range(count):
        n_x, m = int(rng.integers(1, 6)), int(rng.integers(2, 30))
        X = rng.integers(-3, 4, size=(n_x, m)).astype(float)
        w, b = rng.integers(-2, 3, size=(n_x, 1)).astype(float), float(rng.integers(-1, 2))
        X[:, 0] = 0.0  # z = b exactly: on the boundary when b == 0
        problems.append(((X, w, b), f"n_x={n_x}, m={m}, b={b:g}"))
    return problems


# -- checks that are more than a comparison with the reference ------------------------------------------------


def check_confidently_wrong(check, student, seed=None, **draw):
    """The cost of predictions that are certain and wrong (A exactly 0 or 1 on the wrong side) depends on the
    clipping, so require a finite number at least what a clip at 1e-7 gives, rather than one value."""
    problems = confidently_wrong_problems(seed, **draw)
    for (A, Y), case in problems:
        (value,) = check.call(student, A, Y, outputs=("cost",))
        try:
            number = float(value) if np.ndim(value) == 0 else None
        except (TypeError, ValueError):
            number = None
        if number is None:
            problem = "no single number came back (see the rows above)."
        elif not np.isfinite(number):
            problem = (f"got {number}: here A is exactly 0 or 1 on the wrong side, where log(0) = -inf. "
                       "Clip A to [1e-12, 1 - 1e-12] before the logs.")
        else:
            problem = (f"got {number:.4g}, too little for predictions that are certain and wrong: "
                       "clip A to [1e-12, 1 - 1e-12].")
        smallest_fair = cost(np.clip(A, 1e-7, 1 - 1e-7), Y)
        check.require(f"cost [{case}] is large but finite",
                      number is not None and bool(np.isfinite(number)) and number >= smallest_fair, problem)


def check_gradients(check, student, seed=None, **draw):
    """The cases of gradients or gradients_loop (check.graded), and each of dw and db also against a central
    difference of the course's cost, with m for the diagnosis of a missing or doubled 1/m."""
    graded = check.graded
    for (X, Y, w, b), case in graded.problems(seed, **draw):
        m = X.shape[1]
        known = graded.mistakes(X, Y, w, b)
        dw, db = check.function(student, graded.reference, (X, Y, w, b), outputs=graded.outputs, case=case, m=m,
                                mistakes=known)
        suffix = f" [{case}]" if case else ""
        # the same diagnoses beside the central differences as beside the course's gradients
        check.gradient_of("dw" + suffix, dw, lambda w_: cost(forward(X, w_, b), Y), w, m=m,
                          mistakes={diagnosis: value[0] for diagnosis, value in known.items()})
        check.gradient_of("db" + suffix, db, lambda b_: cost(forward(X, w, b_), Y), b, m=m,
                          mistakes={diagnosis: value[1] for diagnosis, value in known.items()})


def check_no_loop(check, student):
    """The visible part: what reading the function's code (and the notebook's functions it calls) finds is advice
    (helpers/codecheck.py). The grade is check_loop_cost's, after hand-in."""
    advice = codecheck.loop_message(student)
    if advice:
        check.notes.append(f"{codecheck.ADVICE}{advice} The grade measures what `gradients` costs where the "
                           "examples or the features are many (the text above this cell).")


# Where a loop over the examples or the features costs fifty times what the course's gradients do, or more
# (benchmarks/loop_costs.py): a loop-free function stays within 3 times.
LOOP_SHAPES = {"examples": {"features": 2, "examples": 100_000}, "features": {"features": 100_000, "examples": 2}}
MAX_COST_RATIO = 8
LOOP_COST_SEED = 305


def check_loop_cost(check, student):
    """No points for a gradients that costs more than MAX_COST_RATIO times the CPU time of the course's where the
    examples or the features are many (helpers/cputime.py), fresh data every call; the measured calls must return
    the course's results."""
    from helpers.gradcheck import error_relative_to_largest

    rng, timed = np.random.default_rng(LOOP_COST_SEED), cputime.Sample()

    def fresh(features, examples):
        return (rng.normal(size=(features, examples)), rng.integers(0, 2, size=(1, examples)),
                rng.normal(size=(features, 1)), float(rng.normal()))

    problems = [(label, f"n_x={sizes['features']}, m={sizes['examples']}",
                 functools.partial(fresh, sizes["features"], sizes["examples"]), MAX_COST_RATIO)
                for label, sizes in LOOP_SHAPES.items()]
    try:
        over = cputime.over_the_course(student, logistic.gradients, problems, timed)
    except Exception as error:  # its failure on these sizes: the comparisons above have the details
        if not check.failures:
            check.require("no loop over the examples or the features", False,
                          f"on the larger problems `gradients` failed: {str(error)[:300]}")
        return
    wrong = 0
    # A function already wrong on the problems above is wrong here too, which those rows count: the measured calls'
    # results are checked only for one that is right elsewhere (and might be fast, and wrong, only when measured).
    for args, result in [] if check.failures else timed:
        dw, db = logistic.gradients(*args)
        try:
            got_dw, got_db = result
            right = np.shape(got_dw) == dw.shape and error_relative_to_largest(np.asarray(got_dw, float), dw) <= 1e-6 \
                and abs(float(got_db) - db) <= 1e-6 * max(abs(db), 1e-12)
        except (TypeError, ValueError):
            right = False
        wrong += not right
    if not check.require("the measured calls return the right results", not wrong,
                         f"{wrong} of the measured calls returned other results than the course's gradients on the "
                         "same inputs: a function must do the same work whatever its inputs."):
        return
    check.require("no loop over the examples or the features", not over, over and (
        f"where the {' or the '.join(over)} are many, `gradients` costs more than {MAX_COST_RATIO} times the CPU time "
        "of the course's (the lines above say how much): it does some work once per example or feature, in a Python "
        "loop, a comprehension, map, np.vectorize or the like. Work on whole arrays."))


# -- the mistakes a student's function is compared with (helpers/answers) ---------------------------


GRADED = {
    "sigmoid": Graded(activations.sigmoid, ("A",), sigmoid_problems, answers.logistic_sigmoid),
    "cost": Graded(logistic.cost, ("cost",), cost_problems, answers.logistic_cost),
    "gradients_loop": Graded(logistic.gradients_loop, ("dw", "db"), gradients_loop_problems, answers.logistic_gradients),
    "gradients": Graded(logistic.gradients, ("dw", "db"), gradients_problems, answers.logistic_gradients,
                        not_from=("gradients_loop",)),
    "optimize": Graded(logistic.optimize, ("w", "b", "costs"), optimize_problems, answers.logistic_optimize),
    "predict": Graded(logistic.predict, ("Y_hat",), predict_problems, answers.logistic_predict),
}
