"""The course's library, split by audience.

Public (lectures and students): datasets (the data sets), plotting (figures), gradcheck (central differences),
grading (the test cells' comparison tables), place (where a student's function runs while it is checked).

Grading side (never in a student's edition nor in the grading sandbox):
    helpers.reference   the reference NumPy implementation, one module per model;
    helpers.specs       what each assignment grades and how, one module per assignment;
    codecheck, notebook_loops, agent   code reading, and the grader's wire into the student's kernel.

Shapes follow notebooks/00_notation.md: examples are columns, X is (n_x, m),
labels Y are (1, m), a single neuron's weights w are (n_x, 1) and b is a float.
"""

# What a student's notebook may import from helpers (data and plots); the rest is the course's
# reference and grading toolkit, which the grading sandbox does not contain.
STUDENT_MODULES = ("datasets", "plotting")
