"""The student's own copy of the course: work/, filled from notebooks/ and release/, never overwriting their work.

    python -m student.work_copy [--work DIR]    # fill or update the copy and say what changed

The tracked notebooks stay pristine (JupyterLab saves into work/, which git ignores), so `git pull`
never conflicts with a student's answers. Inside work/ the layout is the repository's
(work/notebooks/..., work/release/<assignment>/...), so relative links keep working; source/
(the solutions) is never copied.

What an update does with each file the course ships (notebooks/ and release/):
  * not in the copy yet, or deleted by the student: copied (so deleting your copy of a notebook and
    updating again is how you start it over);
  * in the copy, exactly as it was copied, and changed in the course since: replaced by the new version;
  * in the copy and changed by the student (any byte, outputs included): never touched; if the course
    changed it too, the update says so and where the new version is.
What was copied is recorded in work/.course-copy.json (each file's SHA-256 as copied).
"""
import argparse
import hashlib
import json
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
COURSE_FOLDERS = ("notebooks", "release")
DEFAULT_WORK_DIR = REPO_ROOT / "work"
RECORD_NAME = ".course-copy.json"
SKIPPED_PARTS = {".ipynb_checkpoints", "__pycache__"}


@dataclass
class Update:
    """What one update did, as paths relative to the copy's root."""

    added: list = field(default_factory=list)      # new in the copy (first fill, new or deleted notebooks)
    updated: list = field(default_factory=list)    # the course changed them and the student had not
    kept: list = field(default_factory=list)       # the course changed them but so had the student: theirs stays
    unchanged: list = field(default_factory=list)  # already up to date

    def summary(self, work_dir):
        """The lines a student reads after `make lab` updated their copy."""
        lines = [f"your copy of the course: {work_dir}"]
        if self.added:
            lines.append(f"added {len(self.added)} file(s):")
            lines += [f"  + {path}" for path in self.added]
        if self.updated:
            lines.append(f"updated {len(self.updated)} file(s) you had not changed:")
            lines += [f"  ~ {path}" for path in self.updated]
        if self.kept:
            lines.append("the course changed these, but so did you, so yours are kept as they are:")
            lines += [f"  ! {path} (the course's new version: {course_path}; to take it, rename yours and "
                      "run `make lab` again)" for path, course_path in self.kept]
        if not (self.added or self.updated or self.kept):
            lines.append("already up to date: nothing added or changed")
        return "\n".join(lines)


def sha256(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def course_files(repo_root=REPO_ROOT):
    """Every file the student gets, relative to the repository root: notebooks/ and release/, nothing else."""
    files = []
    for folder in COURSE_FOLDERS:
        for path in sorted((Path(repo_root) / folder).rglob("*")):
            relative = path.relative_to(repo_root)
            if path.is_file() and not SKIPPED_PARTS & set(relative.parts):
                files.append(relative)
    return files


def read_record(work_dir):
    path = Path(work_dir) / RECORD_NAME
    if not path.exists():
        return {}
    try:
        return json.loads(path.read_text())["copied"]
    except (ValueError, KeyError) as error:
        raise SystemExit(f"{path} is damaged ({error}): delete it and run `make lab` again; "
                         "files you changed are still never overwritten") from error


def update(work_dir=DEFAULT_WORK_DIR, repo_root=REPO_ROOT):
    """Fill work_dir from the course, or bring it up to date without touching a file the student changed."""
    work_dir, repo_root = Path(work_dir), Path(repo_root)
    if work_dir.resolve() == repo_root.resolve():
        raise SystemExit("the student's copy cannot be the repository itself: give another folder")
    copied = read_record(work_dir)
    result = Update()
    for relative in course_files(repo_root):
        key, course_file, copy = relative.as_posix(), repo_root / relative, work_dir / relative
        course_hash = sha256(course_file)
        if not copy.exists():
            result.added.append(key)
        elif key in copied and sha256(copy) == copied[key]:
            # Untouched since it was copied: the course's newer version, if any, replaces it.
            if course_hash == copied[key]:
                result.unchanged.append(key)
                continue
            result.updated.append(key)
        else:
            # The student changed this file, or made one of that name: it is theirs and stays.
            copy_hash = sha256(copy)
            if copy_hash == course_hash:
                copied[key] = course_hash  # the same bytes as the course's: from now on an untouched copy
                result.unchanged.append(key)
            elif course_hash != copied.get(key):
                result.kept.append((key, str(course_file)))
            else:
                result.unchanged.append(key)
            continue
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(course_file, copy)
        copied[key] = course_hash
    work_dir.mkdir(parents=True, exist_ok=True)
    (work_dir / RECORD_NAME).write_text(json.dumps({"copied": copied}, indent=1, sort_keys=True) + "\n")
    return result


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m student.work_copy", description=__doc__.split("\n")[0])
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK_DIR, help="the student's copy (default: work/)")
    args = parser.parse_args(argv)
    print(update(args.work).summary(args.work))
    return 0


if __name__ == "__main__":
    sys.exit(main())
