"""What `import helpers.reference` (or helpers.answers, helpers.specs) finds in the grading sandbox: graded code
cannot use the course's own functions, and says so (autograder/sandbox.py binds this file in their place)."""
raise ImportError(
    "graded code cannot use the course's reference, answers or tests (helpers.reference, helpers.answers, "
    "helpers.specs): they are not where your notebook is graded. Write the computation yourself with NumPy; "
    "only helpers.datasets and helpers.plotting are available to a graded notebook.")
