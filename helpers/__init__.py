"""The course's library, split by audience.

Public (lectures and students; a student's edition holds these as they are): datasets (the data sets), plotting
(figures), gradcheck (central differences), grading (the test cells' comparison tables), place (where a student's
function runs while it is checked), loops (the lecture notes' loop versions, public by design), replay (a student's
edition's stand-ins, and a lecture's @study), codecheck and notebook_loops (reading a student's code for advice),
cputime (what a call costs, for the checks on loops and speed), notebook_client (nbclient's client, for notebooks
with widgets).

Grading side (in a student's edition only as stand-ins that answer from a record, autograder/publish.py):
    helpers.reference   the reference NumPy implementation, one module per model;
    helpers.answers     each assignment's mistake catalogue and its questions' answers.
helpers.specs, what each assignment's visible and hidden tests check, one module per assignment, ships as it is.

Shapes follow notebooks/00_notation.md: examples are columns, X is (n_x, m),
labels Y are (1, m), a single neuron's weights w are (n_x, 1) and b is a float.
"""

# What a student's notebook may import from helpers (data and plots); the rest is the course's
# reference and grading toolkit, which the grading sandbox does not contain.
STUDENT_MODULES = ("datasets", "plotting")
