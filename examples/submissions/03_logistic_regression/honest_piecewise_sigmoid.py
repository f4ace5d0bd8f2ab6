# expect:
# start from: solutions
# An honest sigmoid written with np.piecewise (one formula for z >= 0, another for z < 0, both stable), and the
# solution's vectorized gradients, which call it. np.piecewise applies each formula to a whole part of the array:
# no loop over the examples, and gradients costs about what the course's does. Full marks.

# %% grade_id: sigmoid
def sigmoid(z):
    z = np.asarray(z, dtype=float)
    return np.piecewise(z, [z >= 0, z < 0],
                        [lambda t: 1.0 / (1.0 + np.exp(-t)), lambda t: np.exp(t) / (1.0 + np.exp(t))])
