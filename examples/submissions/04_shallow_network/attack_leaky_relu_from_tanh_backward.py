# expect: backward_propagation_tests=0 xor_accuracy_tests=0 backward_propagation_leaky_relu_tests=1
# start from: solutions
# Attack: backward_propagation forgets 1/m (a wrong answer, scored as such), and backward_propagation_leaky_relu
# does not derive leaky ReLU's derivative: it hands backward_propagation a forged cache whose A1 makes
# 1 - A1**2 equal leaky ReLU's slopes (1 for z > 0, 0.01 for z < 0), and computes only dW2 and db2 itself.
# Were the course's backward_propagation standing in during the test, dW1 and db1 would come out right. Only
# the graded functions a function builds on stand in for it, and backward_propagation is declared one that
# could compute this answer: the student's own (wrong) version runs, so dW1 and db1 lack 1/m and only
# dW2 and db2 earn their points. The XOR test trains with the student's own backward_propagation and fails.

# %% grade_id: backward_propagation
def backward_propagation(params, cache, X, Y):
    A1, A2 = cache["A1"], cache["A2"]
    dZ2 = A2 - Y
    dZ1 = np.dot(params["W2"].T, dZ2) * (1 - A1 ** 2)
    return {"dW1": np.dot(dZ1, X.T), "db1": np.sum(dZ1, axis=1, keepdims=True),
            "dW2": np.dot(dZ2, A1.T), "db2": np.sum(dZ2, axis=1, keepdims=True)}


# %% grade_id: backward_propagation_leaky_relu
def backward_propagation_leaky_relu(params, cache, X, Y):
    m = X.shape[1]
    dZ2 = cache["A2"] - Y
    slope = np.where(cache["Z1"] > 0, 1.0, 0.01)
    grads = backward_propagation(params, {**cache, "A1": np.sqrt(1.0 - slope)}, X, Y)
    grads["dW2"] = np.dot(dZ2, cache["A1"].T) / m
    grads["db2"] = np.sum(dZ2, axis=1, keepdims=True) / m
    return grads
