"""autograder/cpu.py: the CPU time the operating system charges to a kernel's processes, read from the grader's
side, counts what a student's code can hide from the wall clock: children in sessions of their own, and children
that ended before the reading."""
import os
import subprocess
import sys
import textwrap

import pytest

from autograder import cpu

SPINNERS = textwrap.dedent("""
    import os, sys, time

    def spin(seconds):
        start = time.process_time()
        while time.process_time() - start < seconds:
            pass

    if os.fork() == 0:  # a child in a session of its own, which ends before the reading
        os.setsid()
        spin(0.4)
        os._exit(0)
    os.wait()
    if os.fork() == 0:  # one still spinning at the reading
        spin(0.3)
        print("spun", flush=True)
        time.sleep(60)
        os._exit(0)
    spin(0.2)
    time.sleep(0.5)
    print("ready", flush=True)
    time.sleep(60)
""")


def test_a_kernels_time_counts_its_own_its_live_children_and_those_that_ended():
    kernel = subprocess.Popen([sys.executable, "-c", SPINNERS], stdout=subprocess.PIPE, text=True)
    try:
        measure = cpu.KernelCPU(kernel.pid, sandboxed=False)
        assert sorted(kernel.stdout.readline().strip() for _ in range(2)) == ["ready", "spun"]
        seconds = measure.seconds()
        assert 0.9 <= seconds < 5, seconds  # 0.4 + 0.3 + 0.2 and the interpreters' start
        assert len(measure.members()) == 2  # the kernel and its live child
    finally:
        kernel.kill()
        subprocess.run(["pkill", "-KILL", "-P", str(kernel.pid)], check=False)
        kernel.wait()


def test_a_process_that_is_gone_costs_nothing_more():
    assert cpu.process_seconds(2**22 + 12345) == 0.0


def test_a_sandbox_that_cannot_be_found_is_refused_rather_than_measured_as_idle():
    with pytest.raises(RuntimeError, match="cannot be measured"):
        cpu.KernelCPU(os.getpid(), sandboxed=True)
