# expect: no_loops_tests=0 speed_tests=0
# start from: solutions
# Attack on reading the code for loops: the step hands its work to a helper it finds in a dict by a key built
# at run time; the helper loops over the examples. Measured, wherever the loop lives.

# %% grade_id: train_step_vectorized
def _column_by_column(X, Y, params, learning_rate):
    return train_step_per_example(X, Y, params, learning_rate)


_HELPERS = {"step_" + "impl": _column_by_column}


def train_step_vectorized(X, Y, params, learning_rate):
    return _HELPERS["step_" + "impl"](X, Y, params, learning_rate)
