"""The task a Dask worker runs for one hand-in: check that the worker grades with the instructor's code, then grade
it in a process of its own (autograder/grading_process.py), which grades with autograder/autograde.py."""
from autograder import cluster, grading_process, sandbox
from autograder.autograde import code_version


def grade_handin(shared, run_id, label, task):
    """Grade one hand-in in a scratch course of its own, on a Dask worker; plain data in and out.

    shared: {"template": a gradebook's bytes, zlib-compressed, "notebooks": {assignment: {notebook: {cell: source}}},
             "known": {assignment: {notebook: cells}}, "limits": Limits as a dict, "trusted_tests": bool,
             "code_version": str};
    task: {"assignment", "student", "extension_seconds", "files": {path: bytes}}.
    Returns {"timestamp", "notebooks", "problems", "autograded": {path: bytes} or None, "seconds", "timed_out"}.
    """
    cluster.say_started(run_id, label)
    if shared["code_version"] != code_version():
        raise RuntimeError("this worker has other grading code than the instructor's machine: install the same "
                           "version of the course (same commit) on every Dask worker")
    if shared["limits"]["sandboxed"]:
        sandbox.check_available()  # a worker without the sandbox fails the task (flagged), never the student
    return grading_process.grade(shared, task)  # in a process of its own: see grading_process.py
