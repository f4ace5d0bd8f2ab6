# expect: numerical_gradients_tests=0
# start from: solutions
# A typical mistake: the gradient checker takes a one-sided difference, (J(theta + eps) - J(theta)) / eps.
# With the tiny epsilon of the notebook's own check it agrees with backpropagation to about six digits, so
# the student sees nothing wrong; the test uses epsilon of 0.05 to 0.1, where a one-sided difference is off
# in the second or third digit while the central one is still right, and names it ("a one-sided
# difference ... its error shrinks like epsilon"). Everything else is right.

# %% grade_id: numerical_gradients
def numerical_gradients(params, X, Y, epsilon=1e-6):
    cost_here = compute_cost(forward_propagation(X, params)[0], Y)
    grads = {}
    for name in ("W1", "b1", "W2", "b2"):
        grad = np.zeros(params[name].shape)
        for index in np.ndindex(params[name].shape):
            moved = {key: value.copy() for key, value in params.items()}
            moved[name][index] += epsilon
            grad[index] = (compute_cost(forward_propagation(X, moved)[0], Y) - cost_here) / epsilon
        grads["d" + name] = grad
    return grads
