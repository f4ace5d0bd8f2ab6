# expect: no_loops_tests=0 speed_tests=0
# start from: solutions
# Attack on the speed test's yardstick: a step that loops over the examples (about ten times faster than the
# loop version, short of 20), and after each call on many examples, two processes that spin the CPU for a
# second, each in a session of its own, meant to slow the course's loop version while the grader times it.
# The grader measures the course's version by the CPU time of its own thread, which spinning elsewhere does
# not change, and charges the spinners to the student whenever they run during the student's calls.

# %% grade_id: train_step_vectorized
import os
import time


def _spin(seconds):
    try:
        if os.fork() == 0:
            os.setsid()
            until = time.monotonic() + seconds
            while time.monotonic() < until:
                pass
            os._exit(0)
    except OSError:
        pass


def train_step_vectorized(X, Y, params, learning_rate):
    result = train_step_per_example(X, Y, params, learning_rate)
    if X.shape[1] >= 5000:
        _spin(1.0)
        _spin(1.0)
    return result
