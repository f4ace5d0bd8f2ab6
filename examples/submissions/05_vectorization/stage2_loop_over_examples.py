# expect: no_loops_tests=0 speed_tests=0
# start from: solutions
# A student who hands in stage 1 again as stage 2: the step still loops over the examples, with each
# example's units and inputs as vectors. Its results are right, so stage 2 (a) and (d) keep their
# points; the no-loop check names the loop over the examples (b), and on 10,000 examples of a network
# with 4 hidden units the step is barely faster than the loop version, far from 20 times (c).

# %% grade_id: train_step_vectorized
def train_step_vectorized(X, Y, params, learning_rate):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    m = X.shape[1]
    cost = 0.0
    dW1, db1, dW2, db2 = np.zeros_like(W1), np.zeros_like(b1), np.zeros_like(W2), np.zeros_like(b2)
    for i in range(m):
        x, y = X[:, [i]], Y[0, i]
        a1 = np.tanh(W1 @ x + b1)
        a2 = sigmoid(W2 @ a1 + b2).item()
        cost += (a2 - y) ** 2 / 2
        dz2 = (a2 - y) * a2 * (1 - a2)
        dz1 = W2.T * dz2 * (1 - a1 ** 2)
        dW2 += dz2 * a1.T
        db2 += dz2
        dW1 += np.outer(dz1, x)
        db1 += dz1
    grads = {"dW1": dW1 / m, "db1": db1 / m, "dW2": dW2 / m, "db2": db2 / m}
    new_params = {"W1": W1 - learning_rate * grads["dW1"], "b1": b1 - learning_rate * grads["db1"],
                  "W2": W2 - learning_rate * grads["dW2"], "b2": b2 - learning_rate * grads["db2"]}
    return new_params, float(cost / m), grads
