"""The order hand-ins are given to the workers in: the longest expected first.

A run ends when its last task does. Handed out in the order they were found, the last tasks
may be the longest (one worker still grades a slow assignment while the others wait); the
longest first leaves short ones for the end, which fill the workers evenly. An assignment's
expected seconds are the mean of its tasks' seconds in this run so far, else in the
journal's earlier runs. An assignment with neither is tried early, one hand-in, so that its
time is learnt while there is still work to even out, and until then counts as the longest.
The cluster takes tasks a few per worker ahead (cluster.run), so each choice uses what the
run has learnt by then.
"""
import statistics


class LongestFirst:
    """Jobs (anything with an .assignment), handed out one at a time, the longest expected first."""

    def __init__(self, jobs, history=None):
        """history: {assignment: [seconds of its earlier gradings]} (the journal's)."""
        self.waiting = list(jobs)
        self.history = {assignment: list(seconds) for assignment, seconds in (history or {}).items() if seconds}
        self.this_run = {}
        self.tried = set()

    def learn(self, assignment, seconds):
        """One of assignment's tasks took seconds."""
        self.this_run.setdefault(assignment, []).append(seconds)

    def expected(self, assignment):
        """Its mean seconds in this run, else in earlier runs; None while it has none."""
        seconds = self.this_run.get(assignment) or self.history.get(assignment)
        return statistics.fmean(seconds) if seconds else None

    def __iter__(self):
        return self

    def __next__(self):
        if not self.waiting:
            raise StopIteration
        known = [value for value in map(self.expected, {job.assignment for job in self.waiting}) if value is not None]
        longest_known = max(known, default=0.0)

        def rank(index):
            assignment = self.waiting[index].assignment
            expected = self.expected(assignment)
            untried = expected is None and assignment not in self.tried
            # first an assignment not tried yet, then the longest expected (one being tried counts as the longest
            # known, and goes before it), then the order the jobs came in
            return (not untried, -(expected if expected is not None else longest_known), expected is not None, index)

        job = self.waiting.pop(min(range(len(self.waiting)), key=rank))
        self.tried.add(job.assignment)
        return job


def history_of(entries):
    """{assignment: [seconds]} of the journal's finished entries (failed ones and set-aside ones say nothing)."""
    history = {}
    for entry in entries.values():
        if entry.get("seconds") and not entry.get("failed") and not entry.get("set_aside"):
            history.setdefault(entry["assignment"], []).append(entry["seconds"])
    return history
