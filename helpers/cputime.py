"""CPU time: what a function's calls cost, measured where a student's code cannot reach the clock.

The checks on speed and loops (helpers/specs/vectorization.py, logistic_regression.py) compare a student's
function with the course's own versions by the CPU time a call costs:

* a student's call: the CPU time the operating system charged to the place the function runs in
  (helpers/place.py: `cpu_seconds()`), read just before and just after the call. While grading, that is every
  process of the sandbox, read by the grader from its side (autograder/cpu.py), and the grader's own time spent
  answering the call's requests for the course's stand-ins; in JupyterLab, the kernel's thread that calls it;
* the course's call: the CPU time of the thread that makes it, here.

The two are measured in turns (course, student, course...), so that a change in the machine's load between
them weighs on both.

CPU time rather than the wall clock: a process that spins while the course's version runs takes the processor
away from it, not CPU time; one that spins while the student's function runs is charged to the student.
"""
import contextlib
import io
import random
import time
import warnings

from helpers import place

MIN_SECONDS = 0.03  # of CPU time per measurement: the 10 ms ticks of a process that ended stay a small share
MAX_CALLS = 20      # per measurement, whatever they cost
REPEATS = 3         # measurements, of which the least counts (the one least disturbed by the machine)
# Where in_turns stops before REPEATS turns: the student's cost over the course's beyond OVER_THE_BOUND times its
# bound, or within UNDER_THE_BOUND times it. The verdicts it cuts short are far from their bound (a loop-free step
# measures 0.6 to 1.2 times the course's, a loop 88 times or more: benchmarks/loop_costs.py); one nearer its bound
# gets every turn, the least of which counts.
OVER_THE_BOUND = 3
UNDER_THE_BOUND = 0.5
CHECKED_CALLS = 3   # timed calls whose results are compared with the course's (a step wrong only when timed is
                    # wrong in most of them)


class Sample(list):
    """At most `size` of the items appended, each as likely as any other to be kept (a reservoir sample, drawn with
    the operating system's randomness): the timed calls whose results a check compares with the course's. Keeping
    every call's arguments and result alive would make each new call's arrays fresh memory, page faults that a
    student's calls would pay and the course's, whose results are dropped, would not."""

    def __init__(self, size=CHECKED_CALLS):
        super().__init__()
        self.size, self.seen = size, 0
        self._random = random.SystemRandom()

    def append(self, item):
        self.seen += 1
        if len(self) < self.size:
            super().append(item)
        else:
            index = self._random.randrange(self.seen)
            if index < self.size:
                self[index] = item


@contextlib.contextmanager
def _quietly():
    """The calls' warnings and stderr swallowed: they were reported when the function was first checked, and a
    cell that writes to stderr scores zero."""
    with warnings.catch_warnings(), contextlib.redirect_stderr(io.StringIO()):
        warnings.simplefilter("ignore")
        yield


def _measure(call, fresh_args, clock, min_seconds, max_calls, repeats, enough):
    best = None
    with _quietly():
        for _ in range(repeats):
            spent, calls = 0.0, 0
            while calls < max_calls and spent < min_seconds:
                args = fresh_args()
                before = clock()
                call(args)
                spent += clock() - before
                calls += 1
            best = spent / calls if best is None else min(best, spent / calls)
            if enough is not None and best > enough:
                break  # far past any bound: more measurements would only cost time
    return best


def students_seconds(function, fresh_args, timed_calls=None, min_seconds=MIN_SECONDS, max_calls=MAX_CALLS,
                     repeats=REPEATS, enough=None):
    """CPU seconds per call of a student's function, each call on fresh_args(): the least of `repeats`
    measurements, each of enough calls to cost min_seconds (at most max_calls); none after one that costs more
    than `enough` per call. timed_calls, a Sample, receives (args, result) of every call, for the caller to check
    that the function did its work while it was measured. The function's errors are raised."""
    where = place.current()

    def call(args):
        result = function(*args)
        if timed_calls is not None:
            timed_calls.append((args, result))

    return _measure(call, fresh_args, where.cpu_seconds, min_seconds, max_calls, repeats, enough)


def course_seconds(function, fresh_args, min_seconds=MIN_SECONDS, max_calls=MAX_CALLS, repeats=REPEATS):
    """CPU seconds per call of one of the course's functions, run here, in this thread, plus what the wire to the
    student's functions adds to a call with the same arguments and result (place.channel_seconds: nothing in
    JupyterLab; while grading, the kernel's decoding and encoding, done by the grader): the student's calls pay it
    too."""
    where = place.current()

    def call(args):  # the wire's work is done in this thread too, and so counted
        where.channel_seconds(args, function(*args))

    return _measure(call, fresh_args, time.thread_time, min_seconds, max_calls, repeats, None)


def in_turns(student, course, fresh_args, timed_calls=None, bound=None):
    """(CPU seconds per call of course, of student), each the least of up to REPEATS measurements taken in turns
    (course, student, course...), so that a change in the machine's load weighs on both. With a bound on the
    student's cost over the course's, the turns stop once the verdict is plain: the student's costs more than
    OVER_THE_BOUND times the bound, or at most UNDER_THE_BOUND times it (more turns would only cost time). The
    student's errors are raised."""
    theirs = yours = float("inf")
    for _ in range(REPEATS):
        theirs = min(theirs, course_seconds(course, fresh_args, repeats=1))
        yours = min(yours, students_seconds(student, fresh_args, timed_calls=timed_calls, repeats=1))
        if bound is not None and not UNDER_THE_BOUND * bound * theirs < yours <= OVER_THE_BOUND * bound * theirs:
            break
    return theirs, yours


def over_the_course(student, course, problems, timed_calls):
    """The labels of the problems where a call of student costs more than max_ratio times a call of course, each
    measured on fresh_args() (a line printed for each); problems is [(label, sizes, fresh_args, max_ratio)]. The
    student's errors are raised."""
    over = []
    for label, sizes, fresh_args, max_ratio in problems:
        theirs, yours = in_turns(student, course, fresh_args, timed_calls, bound=max_ratio)
        print(f"many {label} ({sizes}): yours {1e3 * yours:.2f} ms of CPU time a call, the course's "
              f"{1e3 * theirs:.2f} ms: {yours / theirs:.1f} times (at most {max_ratio})")
        if yours > max_ratio * theirs:
            over.append(label)
    return over
