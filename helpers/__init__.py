"""Reference NumPy implementation of the course, one module per model.

Shapes follow notebooks/00_notation.md: examples are columns, X is (n_x, m),
labels Y are (1, m), a single neuron's weights w are (n_x, 1) and b is a float.
"""

# What a student's notebook may import from helpers (data and plots); the rest is the course's
# reference and grading toolkit, which the grading sandbox does not contain.
STUDENT_MODULES = ("datasets", "plotting")
