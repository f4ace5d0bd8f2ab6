"""The address space the grading process and the kernel template reach while one worker grades the course.

    .venv/bin/python benchmarks/grader_memory.py

One worker grades one solution of every assignment (sandbox on) while this script reads VmPeak
from /proc for every grading process and kernel template, every 50 ms. What the grading process
reaches is what autograder/grading_process.py's GRADER_OWN_BYTES must leave room for, beyond the
stand-ins' share (the kernel's memory limit).
"""
import re
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from autograder import demo, grade, grading_process  # noqa: E402
from autograder.course import assignments as course_assignments  # noqa: E402

KINDS = {b"autograder.grading_process": "grading process", b"kernel_template": "kernel template"}


def watch(peaks, stop):
    while not stop.is_set():
        for entry in Path("/proc").iterdir():
            try:
                command = (entry / "cmdline").read_bytes() if entry.name.isdigit() else b""
                for marker, kind in KINDS.items():
                    if marker in command:
                        peak = int(re.search(r"VmPeak:\s+(\d+) kB", (entry / "status").read_text())[1]) * 1024
                        peaks[kind] = max(peaks.get(kind, 0), peak)
            except (OSError, TypeError):
                continue
        time.sleep(0.05)


def main():
    with tempfile.TemporaryDirectory() as scratch:
        assignments = course_assignments()
        course = demo.make_course(Path(scratch) / "course", assignments)
        demo.write_submitted(course, demo.cohort_files(course, {("s", name): "solutions" for name in assignments}))
        peaks, stop = {}, threading.Event()
        watcher = threading.Thread(target=watch, args=(peaks, stop))
        watcher.start()
        try:
            summary = grade.grade(course, assignments, workers_count=1, show_progress=False)
        finally:
            stop.set()
            watcher.join()
    print(f"graded {len(summary.graded)} hand-ins ({', '.join(assignments)}), problems: {summary.problems or 'none'}")
    for kind in KINDS.values():
        print(f"  {kind:16} VmPeak {peaks.get(kind, 0) / 2**30:.2f} GiB")
    print(f"  room the grading process keeps for itself (GRADER_OWN_BYTES): "
          f"{grading_process.GRADER_OWN_BYTES / 2**30:.2f} GiB")


if __name__ == "__main__":
    main()
