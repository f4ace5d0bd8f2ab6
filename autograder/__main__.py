"""Command line: python -m autograder <command> (also installed as `course-autograder`)."""
import argparse
import sys

from autograder import release
from autograder.course import assignments


def run_release(args):
    for assignment in args.assignments or assignments():
        path = release.generate(assignment)
        print(f"generated {path.relative_to(path.parent.parent)}")
        if not args.no_check:
            release.check(assignment)
            print(f"checked   {assignment}: solutions pass every test, the release passes none")
    release.clean_generated_files()


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m autograder", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    release_parser = commands.add_parser("release", help="generate release/ from source/ and check it")
    release_parser.add_argument("assignments", nargs="*", help="assignment ids (default: all of source/)")
    release_parser.add_argument("--no-check", action="store_true", help="skip nbgrader validate")
    release_parser.set_defaults(run=run_release)
    args = parser.parse_args(argv)
    try:
        args.run(args)
    except release.ReleaseError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
