# expect: no_loops_tests=0 speed_tests=0
# start from: solutions
# Attack on reading the code for loops: the step itself is one line, a method call through an instance; the
# method loops over the examples. (b) measures what the step costs where the examples are many, whatever
# holds the loop: twenty times the course's and more. (c) finds it far from 20 times faster.

# %% grade_id: train_step_vectorized
class _Trainer:
    def column(self, params, x):
        return np.tanh(params["W1"] @ x + params["b1"])

    def hidden(self, params, X):
        return np.hstack([self.column(params, X[:, [i]]) for i in range(X.shape[1])])


_trainer = _Trainer()


def train_step_vectorized(X, Y, params, learning_rate):
    m = X.shape[1]
    A1 = _trainer.hidden(params, X)
    A2 = sigmoid(params["W2"] @ A1 + params["b2"])
    cost = float(np.sum((A2 - Y) ** 2) / (2 * m))
    dZ2 = (A2 - Y) * A2 * (1 - A2)
    dZ1 = (params["W2"].T @ dZ2) * (1 - A1 ** 2)
    grads = {"dW1": dZ1 @ X.T / m, "db1": np.sum(dZ1, axis=1, keepdims=True) / m,
             "dW2": dZ2 @ A1.T / m, "db2": np.sum(dZ2, axis=1, keepdims=True) / m}
    new_params = {"W1": params["W1"] - learning_rate * grads["dW1"], "b1": params["b1"] - learning_rate * grads["db1"],
                  "W2": params["W2"] - learning_rate * grads["dW2"], "b2": params["b2"] - learning_rate * grads["db2"]}
    return new_params, cost, grads
