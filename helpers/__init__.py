"""Reference NumPy implementation of the course, one module per model.

Shapes follow notebooks/00_notation.md: examples are columns, X is (n_x, m),
labels Y are (1, m), a single neuron's weights w are (n_x, 1) and b is a float.
"""
