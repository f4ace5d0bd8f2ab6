# expect:
# start from: solutions
# An honest style (once filed as an attack on reading the code): the four parameters are updated by a dict
# comprehension in a helper defined from a string with exec(). (b) measures loops over the examples, the hidden
# units and the inputs; a loop over four names is none of them. Full marks.

# %% grade_id: train_step_vectorized
exec("def _update(params, grads, rate):\n    return {name: params[name] - rate * grads['d' + name] for name in params}")


def train_step_vectorized(X, Y, params, learning_rate):
    m = X.shape[1]
    A1 = np.tanh(params["W1"] @ X + params["b1"])
    A2 = sigmoid(params["W2"] @ A1 + params["b2"])
    cost = float(np.sum((A2 - Y) ** 2) / (2 * m))
    dZ2 = (A2 - Y) * A2 * (1 - A2)
    dZ1 = (params["W2"].T @ dZ2) * (1 - A1 ** 2)
    grads = {"dW1": dZ1 @ X.T / m, "db1": np.sum(dZ1, axis=1, keepdims=True) / m,
             "dW2": dZ2 @ A1.T / m, "db2": np.sum(dZ2, axis=1, keepdims=True) / m}
    return _update(params, grads, learning_rate), cost, grads
