"""The wrong answers students typically give, computed from the reference so the grader can name them.

Each function takes the same arguments as the reference it shadows and returns
a dict {diagnosis: wrong value}: the diagnosis is a sentence for the student
(what is wrong, what to do), the value is what that mistake computes on these
arguments, in the reference's output format (a grads dict for the shallow
network, a (dw, db) tuple for one neuron).

A mistake is left out when, on these particular arguments, it gives the right
answer (same shape and a relative error below DISTINCT_RTOL), so no correct
answer is ever mistaken for a wrong one. For example a transposed gradient is
dropped when the gradient is symmetric.
"""
import copy

import numpy as np

from helpers import adaline, logistic, perceptron, preprocessing, shallow
from helpers.activations import sigmoid, unit_step
from helpers.gradcheck import error_relative_to_largest

# The grader's default tolerance, on the grader's measure: anything closer to the reference than this
# would be graded correct, so it cannot serve as a recognisable mistake.
DISTINCT_RTOL = 1e-6


def _differs(value, reference):
    """True if value and reference differ in shape or by more than DISTINCT_RTOL somewhere."""
    if isinstance(reference, dict):
        return any(_differs(value[key], reference[key]) for key in reference)
    if isinstance(reference, tuple):
        return any(_differs(v, r) for v, r in zip(value, reference))
    value, reference = np.asarray(value, dtype=np.float64), np.asarray(reference, dtype=np.float64)
    if value.shape != reference.shape:
        return True
    if not (np.all(np.isfinite(value)) and np.all(np.isfinite(reference))):
        # a nan or inf answer (log(0), overflow) is a mistake of its own
        return not np.array_equal(value, reference, equal_nan=True)
    return error_relative_to_largest(value, reference) > DISTINCT_RTOL


def _only_distinct(variants, reference):
    """Keep the variants that differ from the reference answer."""
    return {diagnosis: value for diagnosis, value in variants.items() if _differs(value, reference)}


def _each_gradient_averaged_wrongly(right, m, names=None):
    """One variant per gradient that lacks the 1/m, and one per gradient divided by m twice, each naming its
    gradient alone: a student who forgot the 1/m in dW1 and db1 only is told about dW1 and db1 only.

    right is a dict of gradients by name, or a tuple of them named by names.
    """
    names = tuple(right) if isinstance(right, dict) else names
    values = dict(zip(names, right.values() if isinstance(right, dict) else right))
    variants = {}
    for name in names:
        for factor, message in (
                (m, f"{name} is m times too large: the 1/m average over the examples is missing from {name}; "
                    f"divide {name} by m."),
                (1 / m, f"{name} is m times too small: {name} is averaged twice. Divide by m once, after summing "
                        "over the examples.")):
            changed = {**values, name: factor * values[name]}
            variants[message] = changed if isinstance(right, dict) else tuple(changed[key] for key in names)
    return variants


def shallow_backward(params, cache, X, Y):
    """{diagnosis: grads dict} for the usual mistakes in the shallow network's backward pass."""
    m = X.shape[1]
    W2 = params["W2"]
    Z1, A1, A2 = cache["Z1"], cache["A1"], cache["A2"]
    right = shallow.backward(params, cache, X, Y)
    dZ2 = A2 - Y
    back_through_W2 = W2.T @ dZ2
    dZ1 = back_through_W2 * (1 - A1 ** 2)
    variants = {
        "dZ1 uses the sigmoid's derivative A1 * (1 - A1), but the hidden layer is tanh: "
        "multiply by 1 - A1**2 instead.":
            shallow.gradients_from_dZ(X, A1, back_through_W2 * A1 * (1 - A1), dZ2),
        "dZ1 uses 1 - Z1**2: the derivative of tanh is 1 - tanh(Z1)**2, "
        "so use the activation, 1 - A1**2.":
            shallow.gradients_from_dZ(X, A1, back_through_W2 * (1 - Z1 ** 2), dZ2),
        **_each_gradient_averaged_wrongly(right, m),
        "the sign is flipped: dZ2 must be A2 - Y, not Y - A2.":
            {name: -grad for name, grad in right.items()},
        "dW1 is transposed, shape (n_x, n_h) instead of (n_h, n_x): "
        "compute np.dot(dZ1, X.T), not np.dot(X, dZ1.T).":
            {**right, "dW1": right["dW1"].T},
        "dW2 is transposed, shape (n_h, n_y) instead of (n_y, n_h): "
        "compute np.dot(dZ2, A1.T), not np.dot(A1, dZ2.T).":
            {**right, "dW2": right["dW2"].T},
        "db is summed over axis=0, the units, instead of over the examples: "
        "use np.sum(dZ, axis=1, keepdims=True) / m.":
            {**right,
             "db1": np.sum(dZ1, axis=0, keepdims=True) / m,
             "db2": np.sum(dZ2, axis=0, keepdims=True) / m},
        "db is summed over the examples' axis without keepdims=True, so it lost its "
        "column shape: use np.sum(dZ, axis=1, keepdims=True) / m.":
            {**right,
             "db1": np.sum(dZ1, axis=1) / m,
             "db2": np.sum(dZ2, axis=1) / m},
        "db is a single number: np.sum(dZ) / m adds up every entry. Sum over the examples only, "
        "np.sum(dZ, axis=1, keepdims=True) / m, which has the bias's shape.":
            {**right, "db1": np.sum(dZ1) / m, "db2": np.sum(dZ2) / m},
    }
    # W2 @ dZ2 can only be formed when W2 is square (n_h == n_y).
    if W2.shape[1] == dZ2.shape[0] and (W2 @ dZ2).shape == A1.shape:
        variants["dZ1 multiplies by W2 where W2.T belongs: "
                 "dZ1 = np.dot(W2.T, dZ2) * (1 - A1**2)."] = \
            shallow.gradients_from_dZ(X, A1, (W2 @ dZ2) * (1 - A1 ** 2), dZ2)
    return _only_distinct(variants, right)


def shallow_initialize_parameters(n_x, n_h, n_y, seed=0):
    """{diagnosis: params} for the usual mistakes in the shallow network's initialization."""
    right = shallow.initialize_parameters(n_x, n_h, n_y, seed=seed)
    rng = np.random.default_rng(seed)
    W2_first = 0.01 * rng.standard_normal((n_y, n_h))
    W1_second = 0.01 * rng.standard_normal((n_h, n_x))
    rng = np.random.default_rng(seed)
    W1, b1 = 0.01 * rng.standard_normal((n_h, n_x)), 0.01 * rng.standard_normal((n_h, 1))
    W2, b2 = 0.01 * rng.standard_normal((n_y, n_h)), 0.01 * rng.standard_normal((n_y, 1))
    return _only_distinct({
        "the weights are not scaled: multiply the standard normal draws by 0.01.":
            shallow.initialize_parameters(n_x, n_h, n_y, seed=seed, scale=1.0),
        "W2 is drawn before W1: draw W1 first, then W2, from the same generator.":
            {**right, "W1": W1_second, "W2": W2_first},
        "the biases are random: start them at zero, np.zeros((n_h, 1)) and np.zeros((n_y, 1)).":
            {"W1": W1, "b1": b1, "W2": W2, "b2": b2},
    }, right)


def shallow_forward(X, params):
    """{diagnosis: cache} for the usual mistakes in the shallow network's forward pass."""
    W1, W2, b2 = params["W1"], params["W2"], params["b2"]
    _, right = shallow.forward(X, params)

    def cache(Z1, hidden, output):
        A1 = hidden(Z1)
        Z2 = W2 @ A1 + b2
        return {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": output(Z2)}

    return _only_distinct({
        "the hidden layer uses the sigmoid: this network's hidden units are tanh, A1 = np.tanh(Z1).":
            cache(right["Z1"], sigmoid, sigmoid),
        "the output uses tanh: the output unit is a sigmoid, A2 = sigmoid(Z2), a probability.":
            cache(right["Z1"], np.tanh, np.tanh),
        "b1 is not added: Z1 = np.dot(W1, X) + b1 (the biases broadcast over the m columns).":
            cache(W1 @ X, np.tanh, sigmoid),
    }, right)


def shallow_update_parameters(params, grads, learning_rate):
    """{diagnosis: new params} for the usual mistakes in the gradient-descent update."""
    def step(sign, rate):
        return {name: params[name] + sign * rate * grads["d" + name] for name in shallow.PARAMETER_NAMES}

    return _only_distinct({
        "moves up the gradient (the wrong sign): descent subtracts it, W1 - learning_rate * dW1, "
        "and so on for b1, W2 and b2.":
            step(+1, learning_rate),
        "the learning rate is missing: multiply each gradient by learning_rate before subtracting it.":
            step(-1, 1.0),
    }, shallow.update_parameters(params, grads, learning_rate))


def shallow_predict(X, params):
    """{diagnosis: Y_hat} for the usual mistakes in the shallow network's predictions."""
    A2, cache = shallow.forward(X, params)
    return _only_distinct({
        "predicts 1 where A2 is exactly 0.5: the rule is A2 > 0.5, so use >, not >=.":
            (A2 >= 0.5).astype(int),
        "returns the probabilities A2: turn them into labels, 1 where A2 > 0.5 and 0 elsewhere.":
            A2,
        "thresholds Z2 at 0.5: compare the probability A2 = sigmoid(Z2) with 0.5 (or, the same, Z2 with 0).":
            (cache["Z2"] > 0.5).astype(int),
    }, shallow.predict(X, params))


def _broadcast_update(params, grads, learning_rate):
    """params - learning_rate * grads as NumPy computes it, even for grads of the wrong shape.

    A parameter whose gradient cannot be broadcast against it is left out: the
    student's code would have raised there, and the grader reports that instead.
    """
    new_params = {}
    for name in shallow.PARAMETER_NAMES:
        parameter, grad = params[name], np.asarray(grads["d" + name])
        try:
            np.broadcast_shapes(parameter.shape, grad.shape)
        except ValueError:
            continue
        new_params[name] = parameter - learning_rate * grad
    return new_params


def shallow_train_step(X, Y, params, learning_rate):
    """{diagnosis: (new_params, cost, grads)} for a whole training step written in one function.

    The backward pass's mistakes are carried through the update the way NumPy
    would broadcast them (a (n_h,) db1 turns b1 into an (n_h, n_h) matrix), and
    the update's own mistakes come with the right gradients.
    """
    _, cache = shallow.forward(X, params)
    _, cost, right_grads = shallow.train_step(X, Y, params, learning_rate)
    # The update's mistakes come first: a flipped dZ2 carried through a right update moves the
    # parameters exactly as a right dZ2 with a flipped update does, and the parameters' rows
    # should then say "moves up the gradient", while the gradients' rows name the flipped dZ2.
    variants = {diagnosis: (new_params, cost, right_grads)
                for diagnosis, new_params in shallow_update_parameters(params, right_grads, learning_rate).items()}
    variants.update({diagnosis: (_broadcast_update(params, grads, learning_rate), cost, grads)
                     for diagnosis, grads in shallow_backward(params, cache, X, Y).items()})
    return variants


def logistic_gradients(X, Y, w, b):
    """{diagnosis: (dw, db)} for the usual mistakes in logistic regression's gradients."""
    m = X.shape[1]
    right = logistic.gradients(X, Y, w, b)
    dw, db = right
    Z = logistic.net_input(X, w, b)
    dZ = logistic.forward(X, w, b) - Y
    dZ_from_Z = Z - Y
    variants = {
        **_each_gradient_averaged_wrongly(right, m, names=("dw", "db")),
        "the sign is flipped: dz must be a - y (A - Y), not y - a.":
            (-dw, -db),
        "dw is transposed, shape (1, n_x) instead of (n_x, 1): "
        "compute np.dot(X, dZ.T) / m, not np.dot(dZ, X.T) / m.":
            (dw.T, db),
        "db is summed over axis=0, which leaves one value per example: "
        "db is a single number, np.sum(dZ) / m.":
            (dw, np.sum(dZ, axis=0) / m),
        "dz uses the net input Z instead of the activation A: dz = A - Y with A = sigmoid(Z).":
            (X @ dZ_from_Z.T / m, float(np.sum(dZ_from_Z)) / m),
        "only the last example counts: inside the loop accumulate with dw += x * dz and db += dz, "
        "not dw = x * dz.":
            (X[:, [-1]] * dZ[0, -1] / m, float(dZ[0, -1]) / m),
    }
    return _only_distinct(variants, right)


def adaline_gradients(X, Y, w, b):
    """{diagnosis: (dw, db)} for the usual mistakes in Adaline's sum-of-squares gradients."""
    m = X.shape[1]
    right = adaline.gradients(X, Y, w, b)
    dw, db = right
    variants = {
        "the sign is flipped: the gradient of 1/2 sum (Y - Z)^2 is dw = -X (Y - Z)^T and "
        "db = -sum(Y - Z); the plus sign of the delta rule comes from w - eta dw.":
            (-dw, -db),
        "dw is transposed, shape (1, n_x) instead of (n_x, 1): "
        "compute -np.dot(X, (Y - Z).T), not -np.dot(Y - Z, X.T).":
            (dw.T, db),
        "m times too small: Adaline's cost is the sum of squared errors, not their mean, "
        "so do not divide the gradients by m.":
            (dw / m, db / m),
        "the errors use the predicted labels (the unit step of Z): Adaline learns from Y - Z, "
        "the error before the threshold.":
            _adaline_gradients_of_errors(X, Y - unit_step(adaline.net_input(X, w, b))),
        "db is summed over axis=0, which leaves one value per example: "
        "db is a single number, -np.sum(Y - Z).":
            (dw, -np.sum(Y - adaline.net_input(X, w, b), axis=0)),
    }
    return _only_distinct(variants, right)


def adaline_activation(Z):
    """{diagnosis: A} for the usual mistake in Adaline's activation."""
    return _only_distinct({
        "applies the unit step: Adaline's activation is the identity, a = z; the step is used only to predict.":
            unit_step(Z),
    }, adaline.activation(Z))


def _adaline_gradients_of_errors(X, errors):
    """(dw, db) of the delta rule for the given errors (1, m)."""
    return -(X @ errors.T), -float(np.sum(errors))


def adaline_cost(X, Y, w, b):
    """{diagnosis: cost} for the usual mistakes in Adaline's sum-of-squared-errors cost."""
    m = X.shape[1]
    right = adaline.cost(X, Y, w, b)
    errors = Y - adaline.net_input(X, w, b)
    return _only_distinct({
        "twice too large: the cost is 1/2 sum (Y - Z)^2; the 1/2 cancels the 2 that the derivative brings down.":
            2 * right,
        "m times too small: Adaline's cost is the sum of squared errors, not their mean: do not divide by m.":
            right / m,
        "squares the sum of the errors: square each error first, then add them up, 0.5 * np.sum((Y - Z)**2).":
            0.5 * float(np.sum(errors)) ** 2,
        "the errors use the predicted labels (the unit step of Z): Adaline measures Y - Z, before the threshold.":
            0.5 * float(np.sum((Y - adaline.predict(X, w, b)) ** 2)),
    }, right)


def adaline_batch_step(X, Y, w, b, eta):
    """{diagnosis: (w, b)} for the usual mistakes in one gradient-descent step."""
    dw, db = adaline.gradients(X, Y, w, b)
    return _only_distinct({
        "moves up the gradient: a descent step subtracts it, w - eta * dw and b - eta * db.":
            (w + eta * dw, b + eta * db),
        "the bias is not updated: b := b - eta * db, like the weights.":
            (w - eta * dw, b),
        "the learning rate is missing: multiply the gradient by eta before subtracting it.":
            (w - dw, b - db),
    }, adaline.batch_step(X, Y, w, b, eta))


def adaline_fit_batch(X, Y, eta, num_epochs):
    """{diagnosis: (w, b, costs)} for the usual mistakes in the batch training loop."""
    w, b, costs = adaline.fit_batch(X, Y, eta, num_epochs)
    # one epoch more gives the cost after the last update too
    costs_before_every_epoch = adaline.fit_batch(X, Y, eta, num_epochs + 1)[2]
    return _only_distinct({
        "records the cost after each update: record it before, so that costs[0] is the cost of the zero weights.":
            (w, b, costs_before_every_epoch[1:]),
        "the costs are divided by m: record the sum of squared errors, cost(X, Y, w, b).":
            (w, b, [value / X.shape[1] for value in costs]),
    }, (w, b, costs))


def standardize(X):
    """{diagnosis: (X_std, mean, std)} for the usual mistakes in standardization."""
    right = preprocessing.standardize(X)
    X_std, mean, std = right
    with np.errstate(divide="ignore", invalid="ignore"):
        column_mean, column_std = np.mean(X, axis=0, keepdims=True), np.std(X, axis=0, keepdims=True)
        per_column = ((X - column_mean) / column_std, column_mean, column_std)
        overall = ((X - np.mean(X)) / np.std(X), float(np.mean(X)), float(np.std(X)))
    return _only_distinct({
        "standardizes each example (axis=0, the columns): the features are the rows of X, "
        "so use axis=1 with keepdims=True.":
            per_column,
        "one mean and one standard deviation for the whole of X: each feature (row) needs its own, "
        "np.mean(X, axis=1, keepdims=True).":
            overall,
        "divides by the variance: divide by the standard deviation, np.std(X, axis=1, keepdims=True).":
            ((X - mean) / std ** 2, mean, std ** 2),
    }, right)


def _sgd_pass(X, Y, w, b, eta, order):
    """Delta-rule updates in the given order: (w, b, per-example costs)."""
    example_costs = []
    for i in order:
        w, b, example_cost = adaline.sgd_update(X[:, [i]], Y[:, [i]], w, b, eta)
        example_costs.append(example_cost)
    return w, b, example_costs


def adaline_sgd_epoch(X, Y, w, b, eta, rng):
    """{diagnosis: (w, b, average_cost)} for the usual mistakes in one stochastic epoch (rng is not used up)."""
    m = X.shape[1]
    right = adaline.sgd_epoch(X, Y, w, b, eta, copy.deepcopy(rng))
    order = copy.deepcopy(rng).permutation(m)
    w_in_order, b_in_order, costs_in_order = _sgd_pass(X, Y, w, b, eta, range(m))
    _, _, example_costs = _sgd_pass(X, Y, w, b, eta, order)
    w_batch, b_batch = adaline.batch_step(X, Y, w, b, eta)
    w_choice, b_choice, costs_choice = _sgd_pass(X, Y, w, b, eta, copy.deepcopy(rng).choice(m, m, replace=False))
    return _only_distinct({
        "takes the order from rng.choice, which shuffles differently: take it from rng.permutation(m).":
            (w_choice, b_choice, float(np.mean(costs_choice))),
        "visits the examples in column order: shuffle them, visiting them in the order rng.permutation(m).":
            (w_in_order, b_in_order, float(np.mean(costs_in_order))),
        "one step for the whole epoch (batch gradient descent): update after every example, "
        "from the weights the previous update left.":
            (w_batch, b_batch, adaline.cost(X, Y, w, b) / m),
        "average_cost is the sum of the example costs: divide it by m.":
            (right[0], right[1], float(np.sum(example_costs))),
        "average_cost is measured with the final weights: average each example's cost "
        "as it is visited, just before its update.":
            (right[0], right[1], adaline.cost(X, Y, right[0], right[1]) / m),
    }, right)


# -- logistic regression ----------------------------------------------------------


def logistic_sigmoid(z):
    """{diagnosis: sigmoid(z)} for the usual mistakes in the sigmoid."""
    right = sigmoid(z)
    return _only_distinct({
        "uses e^z where e^-z belongs: sigmoid(z) = 1 / (1 + e^-z), which tends to 1 as z grows.": 1.0 - right,
    }, right)


def logistic_cost(A, Y):
    """{diagnosis: cost} for the usual mistakes in the cross-entropy cost."""
    m = Y.shape[1]
    right = logistic.cost(A, Y)
    clipped = np.clip(A, logistic.EPSILON, 1.0 - logistic.EPSILON)
    with np.errstate(divide="ignore", invalid="ignore"):
        unclipped = float(-np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A)))
    return _only_distinct({
        "log(0): some of A is exactly 0 or 1, so np.log gives -inf (and 0 * -inf gives nan). "
        "Clip A to [1e-12, 1 - 1e-12] before the logs.":
            unclipped,
        "the sign is flipped: the cost is minus the mean of y log(a) + (1 - y) log(1 - a), a positive number.":
            -right,
        "m times too large: the cost is the mean of the losses, so divide their sum by m.":
            m * right,
        "only the y log(a) term: add (1 - y) log(1 - a), the loss of the examples labelled 0.":
            float(-np.mean(Y * np.log(clipped))),
        "uses np.log10: the cross-entropy uses the natural logarithm, np.log.":
            right / np.log(10.0),
    }, right)


def logistic_optimize(X, Y, w, b, learning_rate, num_iterations, record_every=1):
    """{diagnosis: (w, b, costs)} for the usual mistakes in the gradient-descent loop."""
    right = logistic.optimize(X, Y, w, b, learning_rate, num_iterations, record_every)
    # one iteration more records the cost after the last update too
    costs_at = logistic.optimize(X, Y, w, b, learning_rate, num_iterations + 1)[2]
    recorded = range(0, num_iterations, record_every)
    return _only_distinct({
        "records the cost after the update: record it before, so that costs[0] is the cost of the starting w and b.":
            (right[0], right[1], [costs_at[k + 1] for k in recorded]),
        "records the cost at every iteration: record it only when iteration % record_every == 0.":
            (right[0], right[1], costs_at[:num_iterations]),
        "moves up the gradient: a descent step is w := w - learning_rate * dw (and the same for b).":
            logistic.optimize(X, Y, w, b, -learning_rate, num_iterations, record_every),
        "starts from zero weights: start from the w and b passed in.":
            logistic.optimize(X, Y, np.zeros_like(w), 0.0, learning_rate, num_iterations, record_every),
    }, right)


def logistic_predict(X, w, b):
    """{diagnosis: Y_hat} for the usual mistakes in logistic regression's predictions."""
    A = logistic.forward(X, w, b)
    return _only_distinct({
        "predicts 1 where a is exactly 0.5: the rule is a > 0.5, so use >, not >=.":
            (A >= 0.5).astype(int),
        "returns the probabilities A: turn them into labels, 1 where A > 0.5 and 0 elsewhere.":
            A,
        "compares z with 0.5: compare the probability a = sigmoid(z) with 0.5 (or, the same, z with 0).":
            (logistic.net_input(X, w, b) > 0.5).astype(int),
    }, logistic.predict(X, w, b))


# -- the perceptron ---------------------------------------------------------------


def perceptron_predict(X, w, b):
    """Wrong predictions: {diagnosis: Y_hat}."""
    Z = perceptron.net_input(X, w, b)
    return _only_distinct({
        "gives 0 where z = 0 (np.sign does that): the unit step must give +1 for z >= 0.":
            np.sign(Z).astype(int),
        "predicts -1 where z = 0: the unit step must give +1 for z >= 0 (use >=, not >).":
            np.where(Z > 0.0, 1, -1),
        "returns 0/1 labels: the perceptron's labels are -1 and +1.":
            (Z >= 0.0).astype(int),
    }, perceptron.predict(X, w, b))


def perceptron_update_step(x, y, w, b, eta):
    """Wrong single-example updates: {diagnosis: (w, b)}."""
    update = eta * (y - perceptron.predict(x, w, b).item())
    return _only_distinct({
        "the update has the wrong sign: use eta * (y - y_hat), the true label minus the prediction.":
            (w - update * x, b - update),
        "the bias is not updated: b := b + eta * (y - y_hat), like the weights but without x.":
            (w + update * x, b),
        "updates even when the prediction is right: the step is eta * (y - y_hat), which is 0 then.":
            (w + eta * y * x, b + eta * y),
    }, perceptron.update_step(x, y, w, b, eta))


def perceptron_train_epoch(X, Y, w, b, eta):
    """Wrong epochs: {diagnosis: (w, b, num_errors)}."""
    m = X.shape[1]
    new_w, new_b, num_errors = perceptron.train_epoch(X, Y, w, b, eta)
    # All predictions made with the starting weights, as if the updates were applied at the end.
    Y_hat = perceptron.predict(X, w, b)
    step = eta * (Y - Y_hat)
    return _only_distinct({
        "counts the correctly classified examples: num_errors counts the misclassified ones.":
            (new_w, new_b, m - num_errors),
        "every prediction uses the starting weights: each example must see the weights left by the previous update.":
            (w + X @ step.T, b + float(step.sum()), int(np.count_nonzero(step))),
    }, (new_w, new_b, num_errors))
