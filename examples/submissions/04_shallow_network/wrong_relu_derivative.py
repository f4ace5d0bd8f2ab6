# expect: backward_propagation_leaky_relu_tests=1
# start from: solutions
# A student who derives the leaky ReLU network's backward pass with plain ReLU's derivative, 1 for
# z > 0 and 0 elsewhere, forgetting the leak's slope 0.01 for z < 0. dW2 and db2 do not involve the
# hidden layer's derivative and are right (0.5 + 0.5 points); dW1 and db1 differ from the course's and
# from the central differences wherever a hidden unit has z < 0, and the table names the missing
# slope: 1 of the cell's 3 points. Everything else is the instructor's solution.

# %% grade_id: backward_propagation_leaky_relu
def backward_propagation_leaky_relu(params, cache, X, Y):
    m = X.shape[1]
    dZ2 = cache["A2"] - Y
    dW2 = dZ2 @ cache["A1"].T / m
    db2 = np.sum(dZ2, axis=1, keepdims=True) / m
    relu_derivative = (cache["Z1"] > 0).astype(float)
    dZ1 = (params["W2"].T @ dZ2) * relu_derivative
    dW1 = dZ1 @ X.T / m
    db1 = np.sum(dZ1, axis=1, keepdims=True) / m
    return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}
