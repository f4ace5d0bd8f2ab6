"""Logistic regression: one sigmoid neuron trained on the cross-entropy cost.

    Z = w^T X + b,    A = sigmoid(Z) = P(y = 1 | x)
    J = -1/m sum_i [ y_i log a_i + (1 - y_i) log(1 - a_i) ]
    dZ = A - Y,    dw = 1/m X dZ^T,    db = 1/m sum_i dz_i
    w := w - learning_rate dw,    b := b - learning_rate db

In terms of z the loss is log(1 + e^z) - y z, which np.logaddexp(0, z)
evaluates without overflow and without ever taking log(0).

Shapes: X (n_x, m), Y (1, m) with labels in {0, 1}, w (n_x, 1), b float,
Z and A (1, m).
"""
import numpy as np

from helpers import codecheck
from helpers.activations import sigmoid

EPSILON = 1e-12


def net_input(X, w, b):
    """Z = w^T X + b, shape (1, m)."""
    return w.T @ X + b


def forward(X, w, b):
    """A = sigmoid(w^T X + b), shape (1, m)."""
    return sigmoid(net_input(X, w, b))


def cost(A, Y):
    """Mean cross-entropy of probabilities A against labels Y, a float.

    A is clipped to [EPSILON, 1 - EPSILON] so that a saturated sigmoid (A exactly
    0 or 1) gives a large finite cost rather than inf or nan. Prefer
    cost_from_logits when Z is at hand: it needs no clipping.
    """
    A = np.clip(A, EPSILON, 1.0 - EPSILON)
    return float(-np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A)))


def cost_from_logits(Z, Y):
    """Mean cross-entropy computed from the net input Z, exact for any finite Z."""
    return float(np.mean(np.logaddexp(0.0, Z) - Y * Z))


def gradients_loop(X, Y, w, b):
    """(dw (n_x, 1), db float) with explicit loops over examples and features, as in the lectures."""
    n_x, m = X.shape
    dw = np.zeros((n_x, 1))
    db = 0.0
    for i in range(m):
        z = b
        for j in range(n_x):
            z += w[j, 0] * X[j, i]
        a = sigmoid(z)
        dz = a - Y[0, i]
        for j in range(n_x):
            dw[j, 0] += X[j, i] * dz
        db += dz
    return dw / m, float(db / m)


def gradients(X, Y, w, b):
    """(dw (n_x, 1), db float), vectorized over examples and features."""
    m = X.shape[1]
    dZ = forward(X, w, b) - Y
    return (X @ dZ.T) / m, float(np.sum(dZ)) / m


def optimize(X, Y, w, b, learning_rate, num_iterations, record_every=1):
    """Batch gradient descent from (w, b); returns the final (w, b) and costs.

    costs holds the cost before iterations 0, record_every, 2 * record_every, ...
    (so costs[0] is the cost of the starting parameters), computed as
    cost(forward(X, w, b), Y), the way the assignment records it.
    """
    costs = []
    for iteration in range(num_iterations):
        if iteration % record_every == 0:
            costs.append(cost(forward(X, w, b), Y))
        dw, db = gradients(X, Y, w, b)
        w = w - learning_rate * dw
        b = b - learning_rate * db
    return w, b, costs


def fit(X, Y, learning_rate, num_iterations, record_every=1):
    """optimize() from zero weights; returns (w, b, costs)."""
    return optimize(X, Y, np.zeros((X.shape[0], 1)), 0.0, learning_rate, num_iterations, record_every)


def predict(X, w, b, threshold=0.5):
    """Labels 1 where P(y = 1 | x) > threshold, else 0; int array of shape (1, m)."""
    return (forward(X, w, b) > threshold).astype(int)


def accuracy(Y_hat, Y):
    """Fraction of predictions equal to the labels, a float in [0, 1]."""
    return float(np.mean(np.asarray(Y_hat) == np.asarray(Y)))


def confusion_matrix(Y_hat, Y):
    """2x2 int counts [[TN, FP], [FN, TP]]: row = true label, column = predicted label."""
    Y_hat = np.asarray(Y_hat).ravel().astype(int)
    Y = np.asarray(Y).ravel().astype(int)
    counts = np.zeros((2, 2), dtype=int)
    np.add.at(counts, (Y, Y_hat), 1)
    return counts


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
    """No points for a vectorized function with a Python loop, in it or in a function of the notebook it calls
    (the cells the kernel ran are read: helpers/codecheck.py)."""
    loops = codecheck.loop_message(student)
    check.require("no Python loop", not loops, loops)
