"""The error an autograder command reports as one line, without a traceback."""


class CommandError(RuntimeError):
    """Something the instructor can put right: the command line prints it without a traceback."""
