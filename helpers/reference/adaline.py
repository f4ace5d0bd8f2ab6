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

from helpers.reference.activations import unit_step


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
