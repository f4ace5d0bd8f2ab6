"""What right and wrong answers look like in assignment 04, the shallow network: the catalogue of the mistakes its graded functions are compared with, and the expected answers to its questions.

Grading side: never in a student's edition (helpers/answers/__init__.py).
"""
import numpy as np

from helpers.answers.catalogue import each_gradient_averaged_wrongly, only_distinct
from helpers.reference import shallow
from helpers.reference.activations import sigmoid
from helpers.reference.shallow import LEAKY_SLOPE, gradients_from_dZ


def shallow_initialize_parameters(n_x, n_h, n_y, seed=0):
    """{diagnosis: params} for the usual mistakes in the shallow network's initialization."""
    right = shallow.initialize_parameters(n_x, n_h, n_y, seed=seed)
    rng = np.random.default_rng(seed)
    W2_first = 0.01 * rng.standard_normal((n_y, n_h))
    W1_second = 0.01 * rng.standard_normal((n_h, n_x))
    rng = np.random.default_rng(seed)
    W1, b1 = 0.01 * rng.standard_normal((n_h, n_x)), 0.01 * rng.standard_normal((n_h, 1))
    W2, b2 = 0.01 * rng.standard_normal((n_y, n_h)), 0.01 * rng.standard_normal((n_y, 1))
    return only_distinct({
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

    return only_distinct({
        "the hidden layer uses the sigmoid: this network's hidden units are tanh, A1 = np.tanh(Z1).":
            cache(right["Z1"], sigmoid, sigmoid),
        "the output uses tanh: the output unit is a sigmoid, A2 = sigmoid(Z2), a probability.":
            cache(right["Z1"], np.tanh, np.tanh),
        "b1 is not added: Z1 = np.dot(W1, X) + b1 (the biases broadcast over the m columns).":
            cache(W1 @ X, np.tanh, sigmoid),
    }, right)


def shallow_backward(params, cache, X, Y):
    """{diagnosis: grads dict} for the usual mistakes in the shallow network's backward pass."""
    return backward_mistakes_given(params, cache, X, shallow.backward(params, cache, X, Y), cache["A2"] - Y,
                                   "dZ2 must be A2 - Y, not Y - A2.")


def backward_mistakes_given(params, cache, X, right, dZ2, right_dZ2):
    """{diagnosis: grads dict} for the mistakes of a tanh network's backward pass whatever its cost: right are the
    right gradients, dZ2 the cost's right output delta, right_dZ2 the sentence that names it (after a flipped sign)."""
    m = X.shape[1]
    W2 = params["W2"]
    Z1, A1 = cache["Z1"], cache["A1"]
    back_through_W2 = W2.T @ dZ2
    dZ1 = back_through_W2 * (1 - A1 ** 2)
    variants = {
        "dZ1 uses the sigmoid's derivative A1 * (1 - A1), but the hidden layer is tanh: "
        "multiply by 1 - A1**2 instead.":
            shallow.gradients_from_dZ(X, A1, back_through_W2 * A1 * (1 - A1), dZ2),
        "dZ1 uses 1 - Z1**2: the derivative of tanh is 1 - tanh(Z1)**2, "
        "so use the activation, 1 - A1**2.":
            shallow.gradients_from_dZ(X, A1, back_through_W2 * (1 - Z1 ** 2), dZ2),
        **each_gradient_averaged_wrongly(right, m),
        "the sign is flipped: " + right_dZ2:
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
    return only_distinct(variants, right)


def shallow_update_parameters(params, grads, learning_rate):
    """{diagnosis: new params} for the usual mistakes in the gradient-descent update."""
    def step(sign, rate):
        return {name: params[name] + sign * rate * grads["d" + name] for name in shallow.PARAMETER_NAMES}

    return only_distinct({
        "moves up the gradient (the wrong sign): descent subtracts it, W1 - learning_rate * dW1, "
        "and so on for b1, W2 and b2.":
            step(+1, learning_rate),
        "the learning rate is missing: multiply each gradient by learning_rate before subtracting it.":
            step(-1, 1.0),
    }, shallow.update_parameters(params, grads, learning_rate))


def shallow_predict(X, params):
    """{diagnosis: Y_hat} for the usual mistakes in the shallow network's predictions."""
    A2, cache = shallow.forward(X, params)
    return only_distinct({
        "predicts 1 where A2 is exactly 0.5: the rule is A2 > 0.5, so use >, not >=.":
            (A2 >= 0.5).astype(int),
        "returns the probabilities A2: turn them into labels, 1 where A2 > 0.5 and 0 elsewhere.":
            A2,
        "thresholds Z2 at 0.5: compare the probability A2 = sigmoid(Z2) with 0.5 (or, the same, Z2 with 0).":
            (cache["Z2"] > 0.5).astype(int),
    }, shallow.predict(X, params))


def initialize_parameters_mistakes(n_x, n_h, n_y, seed=0):
    return {diagnosis: (params,) for diagnosis, params in
            shallow_initialize_parameters(n_x, n_h, n_y, seed=seed).items()}


def forward_mistakes(X, params):
    return {diagnosis: (cache["A2"], cache) for diagnosis, cache in shallow_forward(X, params).items()}


def backward_mistakes(params, cache, X, Y):
    return {diagnosis: (grads,) for diagnosis, grads in shallow_backward(params, cache, X, Y).items()}


def numerical_gradients_mistakes(params, X, Y, epsilon):
    """{diagnosis: (grads,)} for the usual mistakes of a central-difference gradient checker."""
    def cost_at(moved):
        return shallow.cost(shallow.forward(X, moved)[0], Y)

    def differences(step):
        """{dW1: ..., ...} from step(cost of params with one entry moved by delta, delta) for every entry."""
        grads = {}
        for name in shallow.PARAMETER_NAMES:
            values = np.array(params[name], dtype=np.float64)
            grad = np.zeros(values.shape)
            for index in np.ndindex(values.shape):
                def cost_moved_by(delta, index=index):
                    moved = values.copy()
                    moved[index] += delta
                    return cost_at({**params, name: moved})
                grad[index] = step(cost_moved_by)
            grads["d" + name] = grad
        return grads

    def not_restored():
        """Each entry moved by +epsilon, then by -2 epsilon, and left there: the next entries' differences are taken
        around a moved point."""
        grads, current = {}, {name: np.array(value, dtype=np.float64) for name, value in params.items()}
        for name in shallow.PARAMETER_NAMES:
            grad = np.zeros(current[name].shape)
            for index in np.ndindex(current[name].shape):
                current[name][index] += epsilon
                plus = cost_at(current)
                current[name][index] -= 2 * epsilon
                grad[index] = (plus - cost_at(current)) / (2 * epsilon)
            grads["d" + name] = grad
        return grads

    right = shallow.numerical_gradients(params, X, Y, epsilon)
    variants = {
        "a one-sided difference, (J(theta + epsilon) - J(theta)) / epsilon: its error shrinks like epsilon, the "
        "central difference's like epsilon squared. Take J at theta + epsilon and at theta - epsilon.":
            differences(lambda cost_moved_by: (cost_moved_by(epsilon) - cost_moved_by(0.0)) / epsilon),
        "twice the central difference: divide J(theta + epsilon) - J(theta - epsilon) by 2 epsilon, the distance "
        "between the two points, not by epsilon.":
            {key: 2 * value for key, value in right.items()},
        "each entry is left moved after its difference is taken: put it back to its value before the next entry "
        "(work on a copy, or restore it).": not_restored(),
        "the gradients of backpropagation, not central differences: a checker must estimate the gradient from the "
        "cost alone, or it checks nothing.":
            shallow.backward(params, shallow.forward(X, params)[1], X, Y),
        "central differences with another step than the epsilon given: use the epsilon argument.":
            shallow.numerical_gradients(params, X, Y, 1e-6 if epsilon != 1e-6 else 1e-3),
    }
    return {diagnosis: (grads,) for diagnosis, grads in variants.items()
            if any(np.max(np.abs(grads[key] - right[key])) > 1e-6 * max(np.max(np.abs(right[key])), 1e-12)
                   for key in right)}


def cost_l2_mistakes(A2, Y, params, lambd):
    """{diagnosis: (cost,)} for the usual mistakes of the L2 penalty."""
    m, cross_entropy = Y.shape[1], shallow.cost(A2, Y)
    weights = float(np.sum(params["W1"] ** 2) + np.sum(params["W2"] ** 2))
    biases = float(np.sum(params["b1"] ** 2) + np.sum(params["b2"] ** 2))
    return only_distinct({
        "the penalty is lambd / m times the squared weights: it is lambd / (2 m) times them (the 2 makes its "
        "gradient lambd / m * W).": (cross_entropy + lambd / m * weights,),
        "the penalty is not divided by m: it is lambd / (2 m) times the squared weights, so that it keeps its "
        "weight against the mean cross-entropy whatever the number of examples.": (cross_entropy + lambd / 2 * weights,),
        "the biases are penalized too: the L2 penalty sums the squares of W1 and W2 only.":
            (cross_entropy + lambd / (2 * m) * (weights + biases),),
        "the penalty is missing: add lambd / (2 m) * (sum of W1 ** 2 + sum of W2 ** 2) to the cross-entropy.":
            (cross_entropy,),
    }, (shallow.cost_l2(A2, Y, params, lambd),))


def backward_l2_mistakes(params, cache, X, Y, lambd):
    """{diagnosis: (grads,)} for the usual mistakes in the L2 penalty's gradients."""
    m, plain = X.shape[1], shallow.backward(params, cache, X, Y)

    def with_terms(weight_factor, bias_factor=0.0):
        return {"dW1": plain["dW1"] + weight_factor * params["W1"], "db1": plain["db1"] + bias_factor * params["b1"],
                "dW2": plain["dW2"] + weight_factor * params["W2"], "db2": plain["db2"] + bias_factor * params["b2"]}

    variants = {
        "the penalty's gradient is lambd / (2 m) * W: the derivative of lambd / (2 m) * w ** 2 is lambd / m * w, the "
        "2 of the square cancels the 2 of 2 m.": with_terms(lambd / (2 * m)),
        "the penalty's gradient lacks the 1/m: add lambd / m * W, not lambd * W.": with_terms(lambd),
        "the penalty's gradient has the wrong sign: the penalty grows with |W|, so its gradient is + lambd / m * W.":
            with_terms(-lambd / m),
        "the biases get a penalty term too: the penalty holds W1 and W2 only, so db1 and db2 are backpropagation's.":
            with_terms(lambd / m, lambd / m),
        "the penalty's gradient is missing: dW1 and dW2 each get lambd / m times their own weights.": with_terms(0.0),
    }
    return {diagnosis: (grads,) for diagnosis, grads in variants.items()}


def fit_minibatch_mistakes(X, Y, num_hiddens, learning_rate, num_epochs, batch_size, seed=0):
    """{diagnosis: (params, costs)} for the usual mistakes of mini-batch training."""
    m = X.shape[1]

    def run(order_of, batches_of, record_before=False):
        params = shallow.initialize_parameters(X.shape[0], num_hiddens, Y.shape[0], seed=seed)
        rng, costs = np.random.default_rng(seed), []
        for epoch in range(num_epochs):
            order = order_of(rng, epoch)
            if record_before:
                costs.append(shallow.cost(shallow.forward(X, params)[0], Y))
            for batch in batches_of(order):
                _, cache = shallow.forward(X[:, batch], params)
                params = shallow.update_parameters(params, shallow.backward(params, cache, X[:, batch], Y[:, batch]),
                                                   learning_rate)
            if not record_before:
                costs.append(shallow.cost(shallow.forward(X, params)[0], Y))
        return params, costs

    def every_batch(order):
        return [order[start:start + batch_size] for start in range(0, m, batch_size)]

    def whole_batches_only(order):
        return [order[start:start + batch_size] for start in range(0, m - batch_size + 1, batch_size)]

    first_order = np.random.default_rng(seed).permutation(m)
    variants = {
        "the examples are shuffled once, before the first epoch: draw a new order every epoch "
        "(rng.permutation(m) inside the loop over the epochs).": run(lambda rng, epoch: first_order, every_batch),
        "the examples are never shuffled: every epoch must visit them in a new order, "
        "np.random.default_rng(seed).permutation(m), one generator for the whole run.":
            run(lambda rng, epoch: np.arange(m), every_batch),
        "the last, smaller batch is dropped: when m is not a multiple of batch_size, the last step takes the "
        "examples that are left.": run(lambda rng, epoch: rng.permutation(m), whole_batches_only),
        "costs are recorded before each epoch: record the cost on all the examples after each epoch.":
            run(lambda rng, epoch: rng.permutation(m), every_batch, record_before=True),
        "every step uses all the examples (batch gradient descent): each step must use only the batch_size "
        "examples of its batch.": run(lambda rng, epoch: rng.permutation(m), lambda order: [order] * len(every_batch(order))),
    }
    right = shallow.fit_minibatch(X, Y, num_hiddens, learning_rate, num_epochs, batch_size, seed)
    return {diagnosis: value for diagnosis, value in variants.items()
            if any(np.max(np.abs(value[0][key] - right[0][key])) > 1e-9 for key in right[0])
            or not np.allclose(value[1], right[1], rtol=1e-9, atol=0)}


def relative_error_mistakes(a, b):
    """{diagnosis: (error,)} for the usual mistakes of the relative error."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    difference = np.max(np.abs(a - b))
    return only_distinct({
        "divides by the largest |entry| of the second array only: the measure must not depend on the order of its "
        "arguments; divide by the largest |entry| of both.": (difference / np.max(np.abs(b)),),
        "divides entry by entry (|a - b| / |b| for each entry): near-zero entries make that huge even for a right "
        "gradient; divide the largest difference by the largest |entry|.":
            (float(np.max(np.abs(a - b) / np.maximum(np.abs(b), 1e-300))),),
        "divides by the norms (||a - b|| / (||a|| + ||b||)), another common measure, but not the one asked for "
        "here (the tables' rel. error).":
            (float(np.linalg.norm(a - b) / (np.linalg.norm(a) + np.linalg.norm(b))),),
    }, (shallow.relative_error(a, b),))


def update_parameters_mistakes(params, grads, learning_rate):
    return {diagnosis: (new_params,) for diagnosis, new_params in
            shallow_update_parameters(params, grads, learning_rate).items()}


def backward_leaky_relu_mistakes(params, cache, X, Y):
    """{diagnosis: (grads,)} for the usual mistakes in the leaky ReLU network's hidden-layer derivative."""
    dZ2 = cache["A2"] - Y
    upstream, Z1, A1 = params["W2"].T @ dZ2, cache["Z1"], cache["A1"]
    derivatives = {
        "the hidden layer's derivative is plain ReLU's (1 for z > 0, 0 elsewhere): leaky ReLU's slope for z < 0 "
        f"is {LEAKY_SLOPE}, not 0.": (Z1 > 0).astype(float),
        "the hidden layer's derivative is tanh's, 1 - A1**2; leaky ReLU's is 1 for z > 0 and "
        f"{LEAKY_SLOPE} elsewhere.": 1 - A1 ** 2,
        f"the slopes are swapped: leaky ReLU's derivative is 1 for z > 0 and {LEAKY_SLOPE} for z < 0.":
            np.where(Z1 > 0, LEAKY_SLOPE, 1.0),
        "dZ1 is multiplied by the activation A1 itself; the derivative is the slope of leaky ReLU at z, "
        f"1 or {LEAKY_SLOPE}.": A1,
        "the derivative is left out: dZ1 must be multiplied by leaky ReLU's slope at z, 1 or "
        f"{LEAKY_SLOPE}.": np.ones_like(Z1),
    }
    return {diagnosis: (gradients_from_dZ(X, A1, upstream * derivative, dZ2),)
            for diagnosis, derivative in derivatives.items()}


# -- check-your-understanding questions: {name: (kind, expected answer)} -----------------------------------------


# -- the expected answers to the assignment's questions (their kinds are the spec's QUESTIONS) --------------
ANSWERS = {
    # every a2 is about sigmoid(2): 99 of the 200 labels pay -log sigmoid(2), the others -log(1 - sigmoid(2))
    "initial_cost": float(-(99 * np.log(1 / (1 + np.exp(-2.0))) + 101 * np.log(1 - 1 / (1 + np.exp(-2.0)))) / 200),
    "equal_units": "b",  # row h of dW1 carries the factor W2[h]: different output weights break the symmetry
}


# The digits part: how many of the validation split's DIGITS_VALIDATION_SIZE images the course's fit_minibatch gets
# right at each (num_hiddens, learning_rate) of helpers/specs/shallow_network.py's DIGITS_GRID, with its
# DIGITS_TRAINING. Stored, not computed in every grading process (a second of CPU each, for the same numbers every
# time); tests/test_minibatch.py computes them again (spec.compute_digits_validation_accuracies) and checks each.
DIGITS_VALIDATION_SIZE = 71
DIGITS_VALIDATION_RIGHT = {
    (1, 0.05): 66, (1, 0.5): 65, (1, 2.0): 67,
    (2, 0.05): 67, (2, 0.5): 71, (2, 2.0): 71,
    (8, 0.05): 68, (8, 0.5): 71, (8, 2.0): 71,
    (32, 0.05): 68, (32, 0.5): 71, (32, 2.0): 30,
}
