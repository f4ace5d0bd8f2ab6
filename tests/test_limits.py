"""A limit travels as one value (autograder.course.Limits) from the command line to the sandbox, and is turned into
resource limits in one place (sandbox.rlimits), whichever way the kernel starts."""
import dataclasses
import re

from autograder import sandbox
from autograder.__main__ import limits_from, parser_of_commands
from autograder.course import Limits, nbgrader_config

CHOSEN = Limits(cell_timeout=7, memory_bytes=3 * 2**30, max_processes=40, max_file_bytes=2**20, cpu_seconds=99,
                scratch_bytes=2**24)


def test_the_kernel_manager_gets_the_limits_the_course_was_given():
    manager = sandbox.SandboxedKernelManager(config=nbgrader_config("/nonexistent", limits=CHOSEN))
    assert manager._limits() == CHOSEN


def test_a_kernel_manager_made_without_limits_has_the_courses_defaults():
    assert sandbox.SandboxedKernelManager()._limits() == Limits()


def test_prlimits_command_line_says_what_rlimits_says():
    options = dict(re.fullmatch(r"--(\w+)=(\d+:\d+)", arg).groups() for arg in sandbox.limit_command(CHOSEN)[1:-1])
    assert options == {sandbox.PRLIMIT_OPTIONS[name]: f"{soft}:{hard}"
                       for name, (soft, hard) in sandbox.rlimits(CHOSEN).items()}
    assert sandbox.rlimits(CHOSEN)["RLIMIT_AS"] == (CHOSEN.memory_bytes,) * 2
    assert "RLIMIT_AS" not in sandbox.rlimits(dataclasses.replace(CHOSEN, memory_bytes=0))


def test_the_command_lines_limits_reach_the_sandbox():
    given = limits_from(parser_of_commands().parse_args(["grade", "--cell-timeout", "7", "--memory-limit", "3G"]))
    manager = sandbox.SandboxedKernelManager(config=nbgrader_config("/nonexistent", limits=given))
    assert sandbox.rlimits(manager._limits())["RLIMIT_AS"] == (3 * 2**30,) * 2
