"""The reference NumPy implementation of the course, one module per model: what every graded function is checked
against, and what the lectures run. Shapes follow notebooks/00_notation.md; the maths is in each module's
docstring."""
