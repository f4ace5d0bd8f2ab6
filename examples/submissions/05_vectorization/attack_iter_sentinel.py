# expect: no_loops_tests=0 speed_tests=0
# start from: solutions
# Attack on reading the code for loops: no for, while, comprehension or map; iter(callable, sentinel) calls a
# closure once per example until it returns the sentinel, and np.fromiter collects the results. Measured.

# %% grade_id: train_step_vectorized
def _logits(X, params):
    columns = iter(range(X.shape[1]))

    def next_logit():
        i = next(columns, None)
        if i is None:
            return None
        a1 = np.tanh(params["W1"] @ X[:, i] + params["b1"][:, 0])
        return float(params["W2"][0] @ a1 + params["b2"][0, 0])

    return np.fromiter(iter(next_logit, None), dtype=float).reshape(1, -1)


def train_step_vectorized(X, Y, params, learning_rate):
    m = X.shape[1]
    A1 = np.tanh(params["W1"] @ X + params["b1"])
    A2 = sigmoid(_logits(X, params))
    cost = float(np.sum((A2 - Y) ** 2) / (2 * m))
    dZ2 = (A2 - Y) * A2 * (1 - A2)
    dZ1 = (params["W2"].T @ dZ2) * (1 - A1 ** 2)
    grads = {"dW1": dZ1 @ X.T / m, "db1": np.sum(dZ1, axis=1, keepdims=True) / m,
             "dW2": dZ2 @ A1.T / m, "db2": np.sum(dZ2, axis=1, keepdims=True) / m}
    new_params = {"W1": params["W1"] - learning_rate * grads["dW1"], "b1": params["b1"] - learning_rate * grads["db1"],
                  "W2": params["W2"] - learning_rate * grads["dW2"], "b2": params["b2"] - learning_rate * grads["db2"]}
    return new_params, cost, grads
