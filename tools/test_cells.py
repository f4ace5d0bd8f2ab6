"""How long the test cells in source/ are, and which lines of logic more than one of them repeats.

    .venv/bin/python tools/test_cells.py            # a table per assignment, then the repeated lines
    .venv/bin/python tools/test_cells.py --max 12   # exit 1 if a test cell has more lines of code than that

A line counts when it holds code (not blank, not a comment, not nbgrader's hidden-test
markers). A line is repeated logic when the same statement, after collapsing spaces,
appears in test cells of two or more assignments or twice in one, other than imports
and the `with ... as check:` line that opens a table.
"""
import argparse
import collections
import sys
from pathlib import Path

import nbformat

SOURCE_DIR = Path(__file__).resolve().parent.parent / "source"
TRIVIAL_PREFIXES = ("from ", "import ", "with grading.Check(", "### ", "#")


def code_lines(source):
    return [line for line in source.splitlines() if line.strip() and not line.strip().startswith("#")]


def test_cells(source_dir=SOURCE_DIR):
    """[(assignment, grade id, source)] of every test cell in source/."""
    cells = []
    for path in sorted(Path(source_dir).glob("*/*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            nbgrader = cell.get("metadata", {}).get("nbgrader", {})
            if cell.cell_type == "code" and nbgrader.get("grade"):
                cells.append((path.parent.name, nbgrader.get("grade_id"), cell.source))
    return cells


def repeated_lines(cells):
    """{normalized line: [(assignment, grade id)]} of the lines of logic more than one test cell holds."""
    seen = collections.defaultdict(list)
    for assignment, grade_id, source in cells:
        for line in code_lines(source):
            normal = " ".join(line.split())
            if not normal.startswith(TRIVIAL_PREFIXES):
                seen[normal].append((assignment, grade_id))
    return {line: places for line, places in seen.items() if len(places) > 1}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--max", type=int, help="fail when a test cell has more lines of code than this")
    args = parser.parse_args(argv)
    cells = test_cells()
    by_assignment = collections.defaultdict(list)
    for assignment, grade_id, source in cells:
        by_assignment[assignment].append((grade_id, len(code_lines(source))))
    print(f"{'assignment':24} {'cells':>5} {'lines':>6} {'longest':>8}")
    for assignment, counts in by_assignment.items():
        print(f"{assignment:24} {len(counts):5} {sum(n for _, n in counts):6} {max(n for _, n in counts):8}")
    total = sum(len(code_lines(source)) for _, _, source in cells)
    print(f"{'all':24} {len(cells):5} {total:6} {max(len(code_lines(source)) for _, _, source in cells):8}")
    repeated = repeated_lines(cells)
    print(f"\n{len(repeated)} lines of logic appear in more than one test cell")
    for line, places in sorted(repeated.items(), key=lambda item: -len(item[1]))[:20]:
        print(f"  {len(places):2}x  {line[:100]}")
    too_long = [(assignment, grade_id) for assignment, grade_id, source in cells
                if args.max is not None and len(code_lines(source)) > args.max]
    if too_long:
        print(f"\nlonger than {args.max} lines: {too_long}")
    return 1 if too_long else 0


if __name__ == "__main__":
    sys.exit(main())
