# expect: per_example_loop_tests=0 per_example_speed_tests=0
# start from: solutions
# A student whose stage 1 vectorizes over the inputs but still loops over the hidden units inside the
# loop over the examples. The results are right (stage 1 (a) keeps its 3 points); the loop check finds
# two loops, names both lines and takes (b)'s 2 points; with 32 hidden units the step is only about
# three times faster than the loop version, short of the 5 that (c) asks for. Stage 2 is the solution.

# %% grade_id: train_step_per_example
def train_step_per_example(X, Y, params, learning_rate):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    n_h, m = W1.shape[0], X.shape[1]
    cost = 0.0
    dW1, db1, dW2, db2 = np.zeros_like(W1), np.zeros_like(b1), np.zeros_like(W2), np.zeros_like(b2)
    for i in range(m):
        x, y = X[:, i], Y[0, i]
        a1 = np.tanh(W1 @ x + b1[:, 0])
        a2 = sigmoid(W2[0] @ a1 + b2[0, 0])
        cost += (a2 - y) ** 2 / 2
        dz2 = (a2 - y) * a2 * (1 - a2)
        db2[0, 0] += dz2
        for h in range(n_h):
            dW2[0, h] += dz2 * a1[h]
            dz1 = W2[0, h] * dz2 * (1 - a1[h] ** 2)
            db1[h, 0] += dz1
            dW1[h] += dz1 * x
    grads = {"dW1": dW1 / m, "db1": db1 / m, "dW2": dW2 / m, "db2": db2 / m}
    new_params = {"W1": W1 - learning_rate * grads["dW1"], "b1": b1 - learning_rate * grads["db1"],
                  "W2": W2 - learning_rate * grads["dW2"], "b2": b2 - learning_rate * grads["db2"]}
    return new_params, float(cost / m), grads
