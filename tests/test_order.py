"""Hand-ins go to the workers longest expected first (autograder/order.py), every one exactly once."""
from collections import namedtuple

from autograder import order

Job = namedtuple("Job", "assignment student")


def jobs(assignments, students=3):
    return [Job(assignment, f"s{number}") for number in range(students) for assignment in assignments]


def test_with_a_history_the_longest_assignment_goes_first():
    handed_out = list(order.LongestFirst(jobs(["01", "02", "03"]), {"01": [1.0], "02": [5.0, 7.0], "03": [2.0]}))
    assert [job.assignment for job in handed_out] == ["02"] * 3 + ["03"] * 3 + ["01"] * 3


def test_without_a_history_each_assignment_is_tried_once_then_the_longest_learnt_goes_first():
    longest_first = order.LongestFirst(jobs(["01", "02", "03"]))
    tried = [next(longest_first) for _ in range(3)]
    assert sorted(job.assignment for job in tried) == ["01", "02", "03"]
    for job, seconds in zip(tried, (1.0, 6.0, 3.0)):
        longest_first.learn(job.assignment, seconds)
    assert [job.assignment for job in longest_first] == ["02", "02", "03", "03", "01", "01"]


def test_an_assignment_still_being_tried_counts_as_the_longest_known():
    longest_first = order.LongestFirst(jobs(["01", "02"]))
    first, second = next(longest_first), next(longest_first)
    longest_first.learn(first.assignment, 1.0)  # the other one has not finished yet
    assert next(longest_first).assignment == second.assignment


def test_this_runs_seconds_outweigh_earlier_runs():
    longest_first = order.LongestFirst(jobs(["01", "02"]), {"01": [9.0], "02": [1.0]})
    longest_first.learn("02", 20.0)
    assert next(longest_first).assignment == "02"


def test_every_job_is_handed_out_exactly_once():
    every = jobs(["01", "02", "03", "04"], students=5)
    longest_first = order.LongestFirst(every, {"03": [2.0]})
    handed_out = []
    for job in longest_first:
        handed_out.append(job)
        longest_first.learn(job.assignment, float(len(job.assignment)))
    assert sorted(handed_out) == sorted(every)


def test_the_journal_history_leaves_out_failed_and_set_aside_gradings():
    entries = {("01", "a"): {"assignment": "01", "seconds": 2.0}, ("01", "b"): {"assignment": "01", "seconds": 4.0},
               ("02", "a"): {"assignment": "02", "seconds": 9.0, "failed": True},
               ("02", "b"): {"assignment": "02", "seconds": 0.0, "set_aside": True}}
    assert order.history_of(entries) == {"01": [2.0, 4.0]}
