# expect:
# start from: solutions
# An honest, loop-free step in a style of its own: type hints from typing, the parameters unpacked with
# operator.itemgetter, a deep copy of the parameters, and sums written as np.add.reduce(..., axis=1,
# keepdims=True). Nothing here loops over the examples, the units or the inputs: full marks.

# %% grade_id: train_step_vectorized
import copy
import operator
from typing import Dict, Tuple

Params = Dict[str, np.ndarray]
_unpack = operator.itemgetter("W1", "b1", "W2", "b2")


def train_step_vectorized(X: np.ndarray, Y: np.ndarray, params: Params,
                          learning_rate: float) -> Tuple[Params, float, Params]:
    W1, b1, W2, b2 = _unpack(copy.deepcopy(params))
    m = X.shape[1]
    A1 = np.tanh(W1 @ X + b1)
    Z2 = W2 @ A1 + b2
    A2 = sigmoid(Z2)
    cost = float(np.add.reduce((A2 - Y) ** 2, axis=1)[0] / (2 * m))
    dZ2 = (A2 - Y) * A2 * (1 - A2)
    dZ1 = (W2.T @ dZ2) * (1 - A1 ** 2)
    grads = {"dW1": dZ1 @ X.T / m, "db1": np.add.reduce(dZ1, axis=1, keepdims=True) / m,
             "dW2": dZ2 @ A1.T / m, "db2": np.add.reduce(dZ2, axis=1, keepdims=True) / m}
    new_params = {"W1": W1 - learning_rate * grads["dW1"], "b1": b1 - learning_rate * grads["db1"],
                  "W2": W2 - learning_rate * grads["dW2"], "b2": b2 - learning_rate * grads["db2"]}
    return new_params, cost, grads
