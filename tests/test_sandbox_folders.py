"""The sandbox's socket folders are removed whatever the kernel left in them, and nothing above them changes.

Every kernel start sweeps stale folders (`sandbox.reap_orphans`), so two graders can remove the
same folder at once. Removing one must never touch the folder that holds it: /tmp made private
by a grader locks every other user, and every sandboxed kernel, out of it.
"""
import errno
import os
import threading

import pytest

from autograder import sandbox

HOLDER_MODE = 0o1777  # as /tmp's


@pytest.fixture
def holder(tmp_path):
    folder = tmp_path / "tmp"
    folder.mkdir()
    folder.chmod(HOLDER_MODE)
    yield folder
    folder.chmod(0o755)


def kernel_leftovers(folder):
    """A socket folder as a kernel may leave it: files, a nested folder, modes that forbid writing."""
    folder.mkdir()
    (folder / "connection.json").write_text("{}")
    nested = folder / "scratch" / "deeper"
    nested.mkdir(parents=True)
    for index in range(50):
        (nested / f"file{index}").write_text("x")
    nested.chmod(0o500)
    (folder / "scratch").chmod(0)
    return folder


def mode(path):
    return path.stat().st_mode & 0o7777


def test_a_folder_with_locked_leftovers_is_removed(holder):
    folder = kernel_leftovers(holder / "nnk-one")
    folder.chmod(0)
    sandbox.remove_socket_folder(folder)
    assert not folder.exists()
    assert mode(holder) == HOLDER_MODE


def removing_the_folder_itself_fails(monkeypatch, folder, error, removed_first):
    """os.rmdir(folder) raises error (after removing it, when removed_first: another grader got there first)."""
    real_rmdir = os.rmdir

    def rmdir(path, *args, **kwargs):
        if os.fspath(path) == str(folder) and not kwargs.get("dir_fd"):
            if removed_first:
                real_rmdir(path)
            raise error
        return real_rmdir(path, *args, **kwargs)

    monkeypatch.setattr(os, "rmdir", rmdir)


def test_a_folder_removed_meanwhile_by_another_grader_is_no_error(holder, monkeypatch):
    folder = kernel_leftovers(holder / "nnk-two")
    removing_the_folder_itself_fails(monkeypatch, folder, FileNotFoundError(errno.ENOENT, "No such file or directory"),
                                     removed_first=True)
    sandbox.remove_socket_folder(folder)
    assert not folder.exists()
    assert mode(holder) == HOLDER_MODE


def test_a_folder_that_cannot_be_removed_leaves_its_holder_alone(holder, monkeypatch):
    folder = kernel_leftovers(holder / "nnk-three")
    removing_the_folder_itself_fails(monkeypatch, folder, OSError(errno.EBUSY, "Device or resource busy"),
                                     removed_first=False)
    with pytest.raises(OSError, match="busy"):
        sandbox.remove_socket_folder(folder)
    assert mode(holder) == HOLDER_MODE


def test_graders_sweeping_the_same_folders_at_once(holder):
    folders = [kernel_leftovers(holder / f"nnk-{index}") for index in range(20)]
    failures = []

    def sweep():
        for folder in folders:
            try:
                sandbox.remove_socket_folder(folder)
            except OSError as error:
                failures.append(error)

    sweepers = [threading.Thread(target=sweep) for _ in range(4)]
    for sweeper in sweepers:
        sweeper.start()
    for sweeper in sweepers:
        sweeper.join()
    assert failures == []
    assert not any(folder.exists() for folder in folders)
    assert mode(holder) == HOLDER_MODE


def test_the_grading_side_of_helpers_is_in_the_sandbox_only_as_a_module_that_says_why_not():
    """helpers.reference, helpers.answers and helpers.specs: an answer cell that imports them fails with a message
    a student can act on, not a bare ImportError."""
    import subprocess
    import sys
    from pathlib import Path

    import helpers

    binds = sandbox._package_binds(helpers_modules=["datasets", "plotting"])
    package = Path(helpers.__file__).resolve().parent
    for name in ("reference", "answers", "specs"):
        at = binds.index(str(package / name / "__init__.py"))
        assert binds[at - 2:at] == ["--ro-bind", str(sandbox.NOT_IN_THE_SANDBOX)]
    result = subprocess.run([sys.executable, str(sandbox.NOT_IN_THE_SANDBOX)], capture_output=True, text=True)
    assert result.returncode == 1 and "ImportError: graded code cannot use the course's reference" in result.stderr
    assert "Write the computation yourself with NumPy" in result.stderr
