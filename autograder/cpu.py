"""The CPU time the operating system has charged to a kernel's processes: what the grader's verdicts on speed and
on loops rest on (helpers/cputime.py), since nothing a student's code does can lower it.

A sandboxed kernel (autograder/sandbox.py) is every process of its PID namespace: the kernel, its threads, and any
process it starts, in a session of its own or not (an orphan is adopted by the namespace's first process, which
waits for it). A kernel outside a sandbox is its process and their descendants. Each process counts

    its own time: the larger of its live threads' run time to the nanosecond (/proc/PID/task/*/schedstat) and its
        utime + stime, which keep the threads that have ended, in clock ticks (/proc/PID/stat);
    its children's that it has waited for: cutime + cstime (clock ticks), so a process that ended meanwhile
        still counts, in whichever process of the kernel's reaped it.

Read from the grader's side of /proc: the kernel cannot change what it says.
"""
import os

TICK_SECONDS = 1 / os.sysconf("SC_CLK_TCK")


def _stat_fields(pid):
    """(parent pid, own seconds in ticks, waited-for children's seconds) from /proc/PID/stat, or None."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            fields = stat.read().rsplit(b")", 1)[1].split()
    except (OSError, IndexError):
        return None
    # after the command: state, ppid, ..., utime (field 14 of stat, index 11 here), stime, cutime, cstime
    utime, stime, cutime, cstime = (int(value) for value in fields[11:15])
    return int(fields[1]), (utime + stime) * TICK_SECONDS, (cutime + cstime) * TICK_SECONDS


def _threads_seconds(pid):
    """The run time of a process's live threads, to the nanosecond (0 where schedstat cannot be read)."""
    total = 0
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return 0.0
    for task in tasks:
        try:
            with open(f"/proc/{pid}/task/{task}/schedstat", "rb") as schedstat:
                total += int(schedstat.read().split()[0])
        except (OSError, ValueError, IndexError):
            continue
    return total / 1e9


def process_seconds(pid):
    """CPU seconds charged to process pid and to the children it has waited for (0 when it is gone)."""
    fields = _stat_fields(pid)
    if fields is None:
        return 0.0
    _, own_ticks, children = fields
    return max(_threads_seconds(pid), own_ticks) + children


def _namespace(pid):
    try:
        return os.readlink(f"/proc/{pid}/ns/pid")
    except OSError:
        return None


def _pids():
    return [int(name) for name in os.listdir("/proc") if name.isdigit()]


class KernelCPU:
    """The CPU seconds charged so far to the processes of a kernel whose first process is root_pid: bwrap for a
    sandboxed kernel, the kernel itself for one outside a sandbox."""

    def __init__(self, root_pid, sandboxed=True):
        self.root_pid = root_pid
        self._namespace = None
        if sandboxed:
            own = _namespace(os.getpid())
            for pid in _pids():  # bwrap's child is the first process of the sandbox's PID namespace
                fields = _stat_fields(pid)
                namespace = _namespace(pid) if fields is not None and fields[0] == root_pid else None
                if namespace is not None and namespace != own:
                    self._namespace = namespace
                    break
            else:  # measuring nothing would let every step pass: no verdict rather than a wrong one
                raise RuntimeError(f"the sandbox of process {root_pid} was not found: its CPU time cannot be measured")

    def members(self):
        """The pids of the kernel's processes now."""
        if self._namespace is not None:
            return [pid for pid in _pids() if _namespace(pid) == self._namespace]
        parents = {}
        for pid in _pids():
            fields = _stat_fields(pid)
            if fields is not None:
                parents.setdefault(fields[0], []).append(pid)
        found, todo = [], [self.root_pid]
        while todo:
            pid = todo.pop()
            found.append(pid)
            todo.extend(parents.get(pid, ()))
        return found

    def seconds(self):
        return sum(process_seconds(pid) for pid in self.members())
