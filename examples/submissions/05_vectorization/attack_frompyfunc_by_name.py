# expect:
# start from: solutions
# Attack on reading the code for loops: np.frompyfunc reached through getattr with a name built at run time,
# so no text names it; it runs a Python function once per entry of A2's logit.
# A KNOWN GAP, kept so that a change in it shows: one Python call per example on a single row costs the step
# only 2 to 3 times the course's CPU time in the grading sandbox (about 6 times in a plain kernel), within the
# bound that honest styles need (they measure up to 1.5 times), so (b) keeps its points, and the step is fast
# enough for (c). A loop that runs each example's whole work in Python is caught (20 times and more).

# %% grade_id: train_step_vectorized
import math

_per_entry = getattr(np, "from" + "pyfunc")(lambda z: 1.0 / (1.0 + math.exp(-z)), 1, 1)


def train_step_vectorized(X, Y, params, learning_rate):
    m = X.shape[1]
    A1 = np.tanh(params["W1"] @ X + params["b1"])
    A2 = _per_entry(params["W2"] @ A1 + params["b2"]).astype(float)
    cost = float(np.sum((A2 - Y) ** 2) / (2 * m))
    dZ2 = (A2 - Y) * A2 * (1 - A2)
    dZ1 = (params["W2"].T @ dZ2) * (1 - A1 ** 2)
    grads = {"dW1": dZ1 @ X.T / m, "db1": np.sum(dZ1, axis=1, keepdims=True) / m,
             "dW2": dZ2 @ A1.T / m, "db2": np.sum(dZ2, axis=1, keepdims=True) / m}
    new_params = {"W1": params["W1"] - learning_rate * grads["dW1"], "b1": params["b1"] - learning_rate * grads["db1"],
                  "W2": params["W2"] - learning_rate * grads["dW2"], "b2": params["b2"] - learning_rate * grads["db2"]}
    return new_params, cost, grads
