"""Adaline (Widrow and Hoff's adaptive linear neuron) trained by the delta rule.

    z = w^T x + b,    a = z (identity activation),    y_hat = +1 if a >= 0 else -1
    J(w, b) = 1/2 sum_i (y_i - z_i)^2                    (sum of squared errors)
    dJ/dw = -X (Y - Z)^T,    dJ/db = -sum_i (y_i - z_i)
    w := w - eta dJ/dw,      b := b - eta dJ/db

Unlike the perceptron, the update uses the real-valued error y - z, so it moves
even on correctly classified examples. The cost is a sum, not a mean, so a good
learning rate depends on m and on the scale of the features.

Three ways to walk downhill:
  batch       one step per epoch on the gradient of all m examples;
  stochastic  one step per example, visiting the examples in a fresh random order;
  mini-batch  one step per group of batch_size examples.

Shapes: X (n_x, m), Y (1, m) with labels in {-1, +1}, w (n_x, 1), b float.
"""
import numpy as np

from helpers.activations import unit_step


def net_input(X, w, b):
    """Z = w^T X + b, shape (1, m)."""
    return w.T @ X + b


def activation(Z):
    """Identity: Adaline learns on the net input itself."""
    return Z


def predict(X, w, b):
    """Unit step of the activation, threshold 0: +1 or -1, shape (1, m)."""
    return unit_step(activation(net_input(X, w, b)))


def cost(X, Y, w, b):
    """Sum of squared errors J = 1/2 sum (Y - Z)^2, a float."""
    errors = Y - activation(net_input(X, w, b))
    return 0.5 * float(np.sum(errors ** 2))


def gradients(X, Y, w, b):
    """(dw (n_x, 1), db float) of the sum-of-squares cost."""
    errors = Y - activation(net_input(X, w, b))
    return -(X @ errors.T), -float(np.sum(errors))


def batch_step(X, Y, w, b, eta):
    """One gradient-descent step on all the examples given; returns new (w, b)."""
    dw, db = gradients(X, Y, w, b)
    return w - eta * dw, b - eta * db


def _zero_parameters(n_x):
    """w = zeros (n_x, 1), b = 0.0."""
    return np.zeros((n_x, 1)), 0.0


def fit_batch(X, Y, eta, num_epochs):
    """Batch gradient descent from zero weights; returns (w, b, costs).

    costs[k] is the cost at the start of epoch k, just before its update (as in
    the classic AdalineGD), so costs[0] is the cost of the zero weights.
    """
    w, b = _zero_parameters(X.shape[0])
    costs = []
    for _ in range(num_epochs):
        costs.append(cost(X, Y, w, b))
        w, b = batch_step(X, Y, w, b, eta)
    return w, b, costs


def sgd_update(x, y, w, b, eta):
    """One delta-rule update on example x (n_x, 1) with label y; returns (w, b, cost).

    The cost is that example's 1/2 (y - z)^2 before the update.
    """
    w_new, b_new = batch_step(x, y, w, b, eta)
    return w_new, b_new, cost(x, y, w, b)


def partial_fit(X, Y, w, b, eta):
    """Online updates on the examples in column order, continuing from (w, b); returns (w, b).

    w=None starts from zero weights, so partial_fit can also begin training.
    """
    if w is None:
        w, b = _zero_parameters(X.shape[0])
    for i in range(X.shape[1]):
        w, b, _ = sgd_update(X[:, [i]], Y[:, [i]], w, b, eta)
    return w, b


def sgd_epoch(X, Y, w, b, eta, rng):
    """One stochastic pass in the order rng.permutation(m); returns (w, b, average_cost).

    average_cost is the mean of the per-example costs met during the pass.
    """
    example_costs = []
    for i in rng.permutation(X.shape[1]):
        w, b, example_cost = sgd_update(X[:, [i]], Y[:, [i]], w, b, eta)
        example_costs.append(example_cost)
    return w, b, float(np.mean(example_costs))


def fit_sgd(X, Y, eta, num_epochs, seed):
    """Stochastic gradient descent from zero weights; returns (w, b, avg_costs), one per epoch."""
    rng = np.random.default_rng(seed)
    w, b = _zero_parameters(X.shape[0])
    avg_costs = []
    for _ in range(num_epochs):
        w, b, average_cost = sgd_epoch(X, Y, w, b, eta, rng)
        avg_costs.append(average_cost)
    return w, b, avg_costs


def minibatch_epoch(X, Y, w, b, eta, batch_size, rng):
    """One pass in mini-batches of a shuffled order; returns (w, b, average_cost).

    The last batch is smaller when batch_size does not divide m. average_cost is
    the mean per-example cost, each batch's cost taken before its update.
    """
    m = X.shape[1]
    order = rng.permutation(m)
    total_cost = 0.0
    for start in range(0, m, batch_size):
        batch = order[start:start + batch_size]
        X_batch, Y_batch = X[:, batch], Y[:, batch]
        total_cost += cost(X_batch, Y_batch, w, b)
        w, b = batch_step(X_batch, Y_batch, w, b, eta)
    return w, b, total_cost / m


def fit_minibatch(X, Y, eta, num_epochs, batch_size, seed):
    """Mini-batch gradient descent from zero weights; returns (w, b, avg_costs), one per epoch."""
    rng = np.random.default_rng(seed)
    w, b = _zero_parameters(X.shape[0])
    avg_costs = []
    for _ in range(num_epochs):
        w, b, average_cost = minibatch_epoch(X, Y, w, b, eta, batch_size, rng)
        avg_costs.append(average_cost)
    return w, b, avg_costs


# -- test problems: the assignment's examples (seed=None), or random ones drawn from a seed -------------------
# Each returns [(args, case)], for grading.Check.cases; the random ones vary n_x and m, so that an answer
# written for the example's shapes only is found out.


def _example():
    """The notebook's example (X, Y, w, b): two features, three examples."""
    return np.array([[1.0, -2.0, 0.5], [2.0, 1.0, -1.0]]), np.array([[1, -1, -1]]), np.array([[0.5], [-0.25]]), 0.1


def _random_data(rng, m_low, m_high):
    """n_x, m, X (n_x, m), Y (1, m) in {-1, +1}, w (n_x, 1) and b, drawn from rng in this order."""
    n_x, m = int(rng.integers(1, 6)), int(rng.integers(m_low, m_high))
    X, Y = rng.normal(size=(n_x, m)), rng.choice([-1, 1], size=(1, m))
    w, b = rng.normal(size=(n_x, 1)), float(rng.normal())
    return n_x, m, X, Y, w, b


def _net_input_and_activation_draws(seed, count):
    """The random problems of net_input and of activation, drawn in turn from one generator:
    [((X, w, b), case), ((Z,), case)] per round."""
    rng, rounds = np.random.default_rng(seed), []
    for _ in range(count):
        n_x, m = int(rng.integers(1, 6)), int(rng.integers(1, 9))
        X, w, b = rng.normal(size=(n_x, m)), rng.normal(size=(n_x, 1)), float(rng.normal())
        rounds.append((((X, w, b), f"n_x={n_x}, m={m}"), ((rng.normal(size=(1, m)),), f"m={m}")))
    return rounds


def net_input_problems(seed=None, count=4):
    """Problems (X, w, b) for net_input."""
    if seed is None:
        X, _, w, b = _example()
        return [((X, w, b), "")]
    return [net_input for net_input, _ in _net_input_and_activation_draws(seed, count)]


def activation_problems(seed=None, count=4):
    """Problems (Z,) for activation, drawn from the same generator as net_input's (same seed, same values)."""
    if seed is None:
        return [((np.array([[-1.5, 0.0, 0.25, 2.0]]),), "")]
    return [activation for _, activation in _net_input_and_activation_draws(seed, count)]


def _data_problems(seed, count, m_high):
    """Problems (X, Y, w, b): the example, or count random ones with m in [2, m_high)."""
    if seed is None:
        return [(_example(), "")]
    rng, problems = np.random.default_rng(seed), []
    for _ in range(count):
        n_x, m, X, Y, w, b = _random_data(rng, 2, m_high)
        problems.append(((X, Y, w, b), f"n_x={n_x}, m={m}"))
    return problems


def cost_problems(seed=None, count=4):
    """Problems (X, Y, w, b) for cost."""
    return _data_problems(seed, count, 20)


def gradients_problems(seed=None, count=5):
    """Problems (X, Y, w, b) for gradients."""
    return _data_problems(seed, count, 25)


def batch_step_problems(seed=None, count=4):
    """Problems (X, Y, w, b, eta) for batch_step."""
    if seed is None:
        return [((*_example(), 0.1), "")]
    rng, problems = np.random.default_rng(seed), []
    for _ in range(count):
        n_x, m, X, Y, w, b = _random_data(rng, 2, 20)
        eta = float(rng.uniform(0.001, 0.1))
        problems.append(((X, Y, w, b, eta), f"n_x={n_x}, m={m}"))
    return problems


def fit_batch_problems(seed=None, count=4):
    """Problems (X, Y, eta, num_epochs) for fit_batch: nearly separable data, small learning rates."""
    if seed is None:
        X = np.array([[0.5, -1.0, 1.5, -0.5, 2.0, -2.0], [1.0, -0.5, -1.0, 0.5, 0.0, -1.5]])
        return [((X, np.array([[1, -1, 1, -1, 1, -1]]), 0.05, 5), "")]
    rng, problems = np.random.default_rng(seed), []
    for _ in range(count):
        n_x, m = int(rng.integers(1, 6)), int(rng.integers(4, 40))
        X = rng.normal(size=(n_x, m))
        Y = np.where(rng.normal(size=(1, n_x)) @ X + 0.3 >= 0, 1, -1)
        eta, num_epochs = float(rng.uniform(0.001, 0.02)), int(rng.integers(1, 12))
        problems.append(((X, Y, eta, num_epochs), f"n_x={n_x}, m={m}, {num_epochs} epochs"))
    return problems


def sgd_epoch_problems(seed=None, count=4):
    """Problems (X, Y, w, b, eta, rng) for sgd_epoch. Each random problem has a generator of its own, seeded from
    seed, that first draws the problem and then, in the state that leaves, is the rng that shuffles the epoch: an
    answer that ignores its rng and seeds one itself (the example's seed, 0) visits the examples in another order."""
    if seed is None:
        X = np.array([[1.0, -1.0, 2.0, 0.0], [0.5, 1.5, -1.0, -2.0]])
        return [((X, np.array([[1, -1, 1, -1]]), np.zeros((2, 1)), 0.0, 0.1, np.random.default_rng(0)), "")]
    seeds, problems = np.random.default_rng(seed), []
    for _ in range(count):
        rng = np.random.default_rng(int(seeds.integers(1000)))
        n_x, m, X, Y, w, b = _random_data(rng, 3, 25)
        eta = float(rng.uniform(0.01, 0.2))
        problems.append(((X, Y, w, b, eta, rng), f"n_x={n_x}, m={m}"))
    return problems


# -- checks that are more than a comparison with the reference ------------------------------------------------


def check_activation(check, student, seed=None, **draw):
    """activation's cases in the table of check, a check of net_input: the notebook tests the two in one cell."""
    from helpers.assignments import ADALINE

    tested, check.graded = check.graded, ADALINE["activation"]
    try:
        check.cases(student, seed, **draw)
    finally:
        check.graded = tested


def check_gradients(check, student, seed=None, **draw):
    """The cases of gradients (check.graded), and each of dw and db also against a central difference of the
    course's cost: a mistake the catalogue does not know is still found."""
    graded = check.graded
    for (X, Y, w, b), case in graded.problems(seed, **draw):
        dw, db = check.function(student, graded.reference, (X, Y, w, b), outputs=graded.outputs, case=case,
                                mistakes=graded.mistakes(X, Y, w, b))
        suffix = f" [{case}]" if case else ""
        check.gradient_of("dw" + suffix, dw, lambda w_: cost(X, Y, w_, b), w)
        check.gradient_of("db" + suffix, db, lambda b_: cost(X, Y, w, b_), b)
