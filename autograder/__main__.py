"""Command line: python -m autograder <command> (also installed as `course-autograder`).

    release    generate release/ from source/ and check it
    collect    bring submissions into submitted/<student>/<assignment>/ (nbgrader exchange, LMS folder or zip)
    grade      autograde in parallel into the gradebook (resumable: rerun after an interruption)
    feedback   one HTML feedback file per student and notebook, without hidden tests
    report     reports/grades.csv, reports/canvas-grades.csv and reports/report.html
    run        grade, feedback and report in one go
    demo       the whole pipeline on a synthetic class, in a throwaway course
    publish    write or update the student edition (a git repository): lectures, released assignments, no answer
    leaks      scan a folder meant for students for anything graded (solutions, references, hidden tests, answers)
    hub        set up and start a JupyterHub for the course on this machine, with real accounts (as root)
"""
import argparse
import re
import sys
from pathlib import Path

from autograder import problems, release
from autograder.course import REPO_ROOT, Course, Limits, assignments, default_workers
from autograder.errors import CommandError

SIZE = re.compile(r"^(?P<number>\d+(\.\d+)?)\s*(?P<unit>[kmgt]?)i?b?$", re.IGNORECASE)
MAX_PROBLEMS_SHOWN = 20
UNSANDBOXED = ("warning: --no-sandbox: every notebook's code runs as you, with your files, your environment and "
               "the network. Use it only for notebooks you wrote yourself.")


def size_in_bytes(text):
    """'4G', '512M', '1.5GB', '0' (no limit) -> bytes."""
    match = SIZE.match(text.strip())
    if not match:
        raise argparse.ArgumentTypeError(f"{text!r} is not a size: write e.g. 4G, 512M or 0 for no limit")
    return int(float(match["number"]) * 1024 ** "bkmgt".index((match["unit"] or "b").lower()))


def limits_from(args):
    given = {"cell_timeout": getattr(args, "cell_timeout", None), "memory_bytes": getattr(args, "memory_limit", None),
             "max_output_chars": getattr(args, "max_output", None),
             "notebook_timeout": getattr(args, "notebook_timeout", None),
             "max_processes": getattr(args, "max_processes", None), "scratch_bytes": getattr(args, "scratch_size", None),
             "sandboxed": False if getattr(args, "no_sandbox", False) else None,
             "fast_kernels": False if getattr(args, "plain_kernels", False) else None}
    return Limits(**{name: value for name, value in given.items() if value is not None})


def course_from(args):
    return Course(args.course, db_url=args.db, limits=limits_from(args))


def print_problems(problems, heading):
    """problems: {(assignment, student): [sentence]}."""
    if not problems:
        return
    print(heading)
    lines = [f"  {student}/{assignment}: {problem}"
             for (assignment, student), sentences in sorted(problems.items()) for problem in sentences]
    print("\n".join(lines[:MAX_PROBLEMS_SHOWN]))
    if len(lines) > MAX_PROBLEMS_SHOWN:
        print(f"  ... and {len(lines) - MAX_PROBLEMS_SHOWN} more (all of them are in the report)")


def run_release(args):
    for assignment in args.assignments or assignments():
        path = release.generate(assignment)
        print(f"generated {path.relative_to(path.parent.parent)}")
        if not args.no_check:
            release.check(assignment)
            print(f"checked   {assignment}: solutions pass every test, the release passes none")
    release.clean_generated_files()


def run_collect(args):
    from autograder import collect

    course = course_from(args)
    if args.exchange is not None and args.source:
        raise CommandError("collect from a folder or zip, or from the exchange (--exchange), not both at once")
    if args.exchange is not None or not args.source:
        summary = collect.collect_exchange(course, args.assignment, args.exchange or None)
        where = "nbgrader's exchange"
    else:
        summary = collect.collect_files(course, args.source, args.pattern)
        where = str(args.source)
    handed_in = {(student, assignment) for student, assignment, _ in summary.placed}
    unchanged = f" ({len(summary.unchanged)} unchanged)" if summary.unchanged else ""
    print(f"collected {len(handed_in)} submissions of {len({student for student, _ in handed_in})} students "
          f"from {where} into {course.submitted}{unchanged}")
    if summary.problems:
        print(f"could not place {len(summary.problems)}, or placed with a warning:")
        for inside, _, _, reason in summary.problems:
            print(f"  {inside}: {reason}")


def run_grade(args):
    from autograder import grade

    course = course_from(args)
    if not course.limits.sandboxed:
        print(UNSANDBOXED, file=sys.stderr)
    summary = grade.grade(course, args.assignments, args.student, args.workers, force=args.force,
                          show_progress=not args.quiet, scheduler=args.scheduler)
    already = f" ({len(summary.skipped)} already graded, skipped)" if summary.skipped else ""
    workers = f" with {summary.workers} workers" if summary.workers else ""
    print(f"graded {len(summary.graded)} submissions{already} in {summary.seconds:.0f} s{workers}; "
          f"gradebook: {course.db_url}")
    if not summary.sandboxed:
        print("WITHOUT a sandbox (--no-sandbox): the students' code ran as you, with your files and network")
    serious = {key: [sentence for sentence in sentences if not problems.is_note(sentence)]
               for key, sentences in summary.problems.items()}
    serious = {key: sentences for key, sentences in serious.items() if sentences}
    print_problems(serious, f"{len(serious)} submissions had problems:")
    if len(summary.problems) > len(serious):
        print(f"{len(summary.problems) - len(serious)} more had only harmless notes (see the report)")


def run_feedback(args):
    from autograder import feedback

    course = course_from(args)
    summary = feedback.feedback(course, args.assignments, args.student, args.workers, force=args.force,
                                show_progress=not args.quiet)
    made = len(summary.written) + len(summary.placeholders)
    fresh = f" ({len(summary.skipped)} up to date, skipped)" if summary.skipped else ""
    print(f"feedback: {made} submissions{fresh} in {summary.seconds:.0f} s, in {course.feedback}")
    print_problems({key: [reason] for key, reason in summary.failed.items()}, "feedback could not be made for:")


def run_report(args):
    from autograder import report

    csv_path, html_path = report.report(course_from(args), args.assignments)
    print(f"grades:  {csv_path}")
    print(f"         {csv_path.with_name('canvas-grades.csv')} (for Canvas's or Moodle's gradebook import)")
    print(f"report:  {html_path}")


def run_all(args):
    run_grade(args)
    args.force = False  # feedback is remade for whatever was graded again anyway
    run_feedback(args)
    run_report(args)


def run_demo(args):
    from autograder import demo

    demo.demo(args.dir, args.assignments, args.students, args.workers, limits_from(args),
              show_progress=not args.quiet, scheduler=args.scheduler)


def run_publish(args):
    from autograder import publish

    commit, report = publish.publish(args.dir, workers=args.workers)
    print(report.summary())
    size = sum(path.stat().st_size for path in args.dir.rglob("*") if path.is_file() and ".git" not in path.parts)
    print(f"the student edition: {args.dir} ({size / 2**20:.1f} MB" + (f", commit {commit})" if commit else ")"))


def run_leaks(args):
    from autograder import leaks

    if not args.dir.is_dir():
        raise CommandError(f"{args.dir} is not a folder: give the folder meant for students (e.g. release/)")
    report = leaks.scan(args.dir)
    leaks.print_report(report)
    if report.hits:
        raise CommandError(f"{len(report.hits)} graded items found in {args.dir}: nothing in it may reach students "
                           "until each is gone (see the list above)")


def add_command(commands, name, run, help, assignments_from="source/", students=False, force=None):
    parser = commands.add_parser(name, help=help, description=help)
    parser.add_argument("assignments", nargs="*", help=f"assignment ids (default: all of {assignments_from})")
    if students:
        parser.add_argument("--student", action="append", help="only this student (repeatable)")
    if force:
        parser.add_argument("--force", action="store_true", help=force)
    parser.set_defaults(run=run)
    return parser


def add_course_options(parser):
    parser.add_argument("--course", type=Path, default=REPO_ROOT,
                        help="the course directory, with submitted/ (default: this repository)")
    parser.add_argument("--db", metavar="URL", help="gradebook database URL, any nbgrader accepts "
                                                     "(default: sqlite:///<course>/gradebook.db)")


def add_worker_options(parser, scheduler=False):
    parser.add_argument("--workers", type=int, default=default_workers(),
                        help="processes working at once on this machine (default: one per core, here %(default)s)")
    if scheduler:
        parser.add_argument("--scheduler", metavar="tcp://HOST:PORT",
                            help="grade on the Dask cluster of this scheduler instead of this machine (its workers "
                                 "need this project installed, the same version, and bubblewrap)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")


def add_limit_options(parser):
    parser.add_argument("--cell-timeout", type=int, metavar="SECONDS",
                        help=f"stop a cell after this long; it scores 0 (default {Limits.cell_timeout})")
    parser.add_argument("--memory-limit", type=size_in_bytes, metavar="SIZE",
                        help=f"memory of one notebook's kernel, e.g. 2G; 0 for none "
                             f"(default {Limits.memory_bytes // 2**30}G)")
    parser.add_argument("--max-output", type=int, metavar="CHARS",
                        help=f"output kept per cell (default {Limits.max_output_chars:,})")
    parser.add_argument("--notebook-timeout", type=float, metavar="SECONDS",
                        help=f"stop grading one submission after this long; it scores 0 and is flagged "
                             f"(default {Limits.notebook_timeout:g})")
    parser.add_argument("--max-processes", type=int, metavar="COUNT",
                        help=f"processes and threads one notebook's sandbox may have (default {Limits.max_processes})")
    parser.add_argument("--scratch-size", type=size_in_bytes, metavar="SIZE",
                        help=f"the sandbox's only writable folder, /tmp (default {Limits.scratch_bytes // 2**20}M)")
    parser.add_argument("--plain-kernels", action="store_true",
                        help="start Python afresh in each notebook's sandbox, rather than forking it from a kernel "
                             "template with the imports done (slower; for comparison)")
    parser.add_argument("--no-sandbox", action="store_true",
                        help="run the notebooks' code unconfined, as you: ONLY for notebooks you trust, never for "
                             "students' work (the report says so)")


def parser_of_commands():
    parser = argparse.ArgumentParser(prog="python -m autograder", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)

    release_parser = add_command(commands, "release", run_release, "generate release/ from source/ and check it")
    release_parser.add_argument("--no-check", action="store_true", help="skip nbgrader validate")

    collect_parser = commands.add_parser("collect", help="bring submissions into submitted/<student>/<assignment>/")
    collect_parser.add_argument("source", nargs="?", type=Path,
                                help="a folder or zip from a learning-management system (default: nbgrader's exchange)")
    collect_parser.add_argument("--pattern", default="{student}_{file}",
                                help="how its files are named, with {student}, {assignment}, {file}, {timestamp} "
                                     "and * (default: %(default)s)")
    collect_parser.add_argument("--exchange", metavar="DIR", nargs="?", const="",
                                help="collect from nbgrader's exchange (at DIR, or at nbgrader's configured one)")
    collect_parser.add_argument("--assignment", action="append",
                                help="with --exchange: only this assignment (repeatable; default: all of source/)")
    collect_parser.set_defaults(run=run_collect)
    add_course_options(collect_parser)

    graded = "grade again what was already graded"
    for name, run, help in [("grade", run_grade, "autograde submitted/ in parallel into the gradebook"),
                            ("run", run_all, "grade, feedback and report in one go")]:
        command = add_command(commands, name, run, help, students=True, force=graded)
        add_course_options(command)
        add_worker_options(command, scheduler=True)
        add_limit_options(command)

    feedback_parser = add_command(commands, "feedback", run_feedback, "HTML feedback per student and notebook, "
                                  "without hidden tests", "the gradebook", students=True,
                                  force="make again the files that are up to date")
    add_course_options(feedback_parser)
    add_worker_options(feedback_parser)

    report_parser = add_command(commands, "report", run_report,
                                "reports/grades.csv and a self-contained reports/report.html", "the gradebook")
    add_course_options(report_parser)

    demo_parser = add_command(commands, "demo", run_demo, "the whole pipeline on a synthetic class, in a throwaway "
                                                          "course; prints the path of its report")
    demo_parser.add_argument("--students", type=int, default=30, help="size of the class (default %(default)s)")
    demo_parser.add_argument("--dir", type=Path, help="an empty folder for the course (default: a new temporary one)")
    add_worker_options(demo_parser, scheduler=True)
    add_limit_options(demo_parser)

    publish_parser = commands.add_parser(
        "publish", help="write or update the student edition in DIR, a git repository of its own",
        description=publish_description())
    publish_parser.add_argument("dir", type=Path, help="a new or empty folder, or an edition published there before")
    publish_parser.add_argument("--workers", type=int, default=default_workers(),
                                help="notebooks recorded at once (default: one per core, here %(default)s)")
    publish_parser.set_defaults(run=run_publish)

    leaks_parser = commands.add_parser("leaks", help="scan a folder meant for students for anything graded",
                                       description=leaks_description())
    leaks_parser.add_argument("dir", type=Path, help="the folder to scan (and its git history, if it has one)")
    leaks_parser.set_defaults(run=run_leaks)

    from autograder.hub import install as hub_install

    hub_install.add_parser(commands)
    return parser


def publish_description():
    from autograder import publish

    return publish.__doc__.split("\n\n")[1]


def leaks_description():
    from autograder import leaks

    return leaks.__doc__.split("\n\n")[0]


def main(argv=None):
    args = parser_of_commands().parse_args(argv)
    try:
        args.run(args)
    except CommandError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\ninterrupted: what was finished is kept; run the same command again to do the rest.", file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
