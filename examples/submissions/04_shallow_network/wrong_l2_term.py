# expect: backward_propagation_l2_tests=1
# start from: solutions
# A typical mistake: the L2 penalty's gradient written as lambd / (2 m) * W, copying the penalty's
# factor instead of differentiating it (the square's 2 cancels the 2 of 2 m, leaving lambd / m * W).
# dW1 and dW2 are wrong, and named so by the test; db1 and db2, which the penalty does not touch,
# are right: 0.5 + 0.5 of the cell's 3 points. The cost itself is right.

# %% grade_id: backward_propagation_l2
def backward_propagation_l2(params, cache, X, Y, lambd):
    m = X.shape[1]
    grads = backward_propagation(params, cache, X, Y)
    return {"dW1": grads["dW1"] + lambd / (2 * m) * params["W1"], "db1": grads["db1"],
            "dW2": grads["dW2"] + lambd / (2 * m) * params["W2"], "db2": grads["db2"]}
