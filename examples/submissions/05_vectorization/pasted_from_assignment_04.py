# expect: same_results_tests=0 same_boundary_tests=0
# start from: solutions
# A student who assembled stage 2 from assignment 4's vectorized functions: the cross-entropy's cost and its
# dZ2 = A2 - Y, not the homework's squared error with the sigmoid's slope in dz2. The step is loop-free (b) and
# fast (c), so those points are kept; its cost and every gradient differ from the loop version's, and the table
# names the cause: the cross-entropy, assignment 4's cost (a). Training with it reaches another boundary (d).

# %% grade_id: train_step_vectorized
def train_step_vectorized(X, Y, params, learning_rate):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    m = X.shape[1]
    A1 = np.tanh(W1 @ X + b1)
    A2 = sigmoid(W2 @ A1 + b2)
    cost = float(-np.sum(Y * np.log(A2) + (1 - Y) * np.log(1 - A2)) / m)
    dZ2 = A2 - Y
    dZ1 = (W2.T @ dZ2) * (1 - A1 ** 2)
    grads = {"dW1": dZ1 @ X.T / m, "db1": np.sum(dZ1, axis=1, keepdims=True) / m,
             "dW2": dZ2 @ A1.T / m, "db2": np.sum(dZ2, axis=1, keepdims=True) / m}
    new_params = {"W1": W1 - learning_rate * grads["dW1"], "b1": b1 - learning_rate * grads["db1"],
                  "W2": W2 - learning_rate * grads["dW2"], "b2": b2 - learning_rate * grads["db2"]}
    return new_params, cost, grads
