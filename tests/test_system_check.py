"""`make test` checks the system programs the suite needs before anything else (tools/system_check.py).

Each test runs the check, or `make test` itself, with a PATH of its own: a folder holding python3,
`id` and `touch` (the Makefile runs them) and the required programs but the one taken away, each
the real program where this machine has it, else a stub (the check only looks them up on PATH).
apt-get is never on that PATH, except a fake one where the test says so, so the check can never
install anything for real. `make test` runs with a stale venv of the test's own whose python only
records that it was run: refreshing the venv or starting pytest would leave that record.
"""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
CHECK = REPO_ROOT / "tools" / "system_check.py"
# The specification: each program the suite runs by name, and its package on Debian/Ubuntu, Fedora and Arch.
INSTALL_COMMANDS = {
    "bwrap": ("sudo apt-get install bubblewrap", "sudo dnf install bubblewrap", "sudo pacman -S bubblewrap"),
    "setpriv": ("sudo apt-get install util-linux", "sudo dnf install util-linux", "sudo pacman -S util-linux"),
    "prlimit": ("sudo apt-get install util-linux", "sudo dnf install util-linux", "sudo pacman -S util-linux"),
    "chromium": ("sudo apt-get install chromium", "sudo dnf install chromium", "sudo pacman -S chromium"),
}
PYTHON = os.path.realpath(sys.executable)  # the interpreter itself, not the venv's link to it: no venv needed
MAKE = shutil.which("make")
MAKEFILE_TOOLS = ("id", "touch")  # `id -u`: run as root?; `touch`: the venv's stamp


def bin_folder(folder, programs):
    """A folder to be the whole PATH: python3, the Makefile's tools, the given programs (real, else stubs)."""
    folder.mkdir()
    (folder / "python3").symlink_to(PYTHON)
    for tool in MAKEFILE_TOOLS:
        (folder / tool).symlink_to(shutil.which(tool))
    for name in programs:
        real = shutil.which(name)
        if real:
            (folder / name).symlink_to(real)
        else:
            (folder / name).write_text("#!/bin/sh\nexit 0\n")
            (folder / name).chmod(0o755)
    return folder


def environment(path):
    """This process's environment with PATH replaced, and nothing an outer make or the browser test set."""
    inherited = {name: value for name, value in os.environ.items()
                 if name not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES", "COURSE_CHROMIUM")}
    return {**inherited, "PATH": str(path)}


def run_check(path):
    """tools/system_check.py run by the python3 on PATH, as the Makefile runs it."""
    return subprocess.run(["python3", str(CHECK)], env=environment(path), capture_output=True, text=True,
                          timeout=60, cwd=REPO_ROOT)


def recording_venv(tmp_path):
    """A stale venv whose python only appends its arguments to a file, one line a run: (the venv, that file).

    Its stamp is older than requirements.txt, so make would refresh it (pip install, with this python)
    before pytest: the record shows the venv set up as well as pytest started.
    """
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    record = tmp_path / "venv-python-ran"
    python = venv / "bin" / "python"
    python.write_text(f'#!/bin/sh\necho "$@" >> "{record}"\n')
    python.chmod(0o755)
    stamp = venv / ".installed"
    stamp.touch()
    os.utime(stamp, (0, 0))
    return venv, record


def make_test(path, venv):
    """`make -j2 test` in this checkout with the given PATH and venv (TEST_PROCESSES=0: no xdist if pytest starts).

    -j2: the check must come first even when make could build the venv beside it.
    """
    assert MAKE, "make is not on PATH"
    return subprocess.run([MAKE, "--no-print-directory", "-j2", "-C", str(REPO_ROOT), "test", f"VENV={venv}",
                           "TEST_PROCESSES=0", "PYTEST_ARGS=--collect-only"],
                          env=environment(path), capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("missing", INSTALL_COMMANDS)
def test_make_test_names_a_missing_program_and_its_install_commands_and_runs_no_test(missing, tmp_path):
    path = bin_folder(tmp_path / "bin", [name for name in INSTALL_COMMANDS if name != missing])
    venv, record = recording_venv(tmp_path)
    result = make_test(path, venv)
    assert result.returncode != 0, result.stdout + result.stderr
    assert not record.exists(), f"make test ran the venv's python ({record.read_text()!r}) without {missing}"
    assert "pytest" not in result.stdout
    message = result.stderr
    assert f"  {missing} " in message, message
    for command in INSTALL_COMMANDS[missing]:
        assert command in message, message
    assert not [name for name in INSTALL_COMMANDS if name != missing and name in message], message
    assert message.count("not on PATH") == 1, message  # one message, not one per program


def test_every_program_missing_is_named_in_one_message_with_each_package_once(tmp_path):
    result = run_check(bin_folder(tmp_path / "bin", []))
    assert result.returncode == 1 and result.stdout == ""
    for name in INSTALL_COMMANDS:
        assert f"  {name} " in result.stderr, result.stderr
    assert "sudo apt-get install bubblewrap util-linux chromium\n" in result.stderr, result.stderr
    assert "sudo pacman -S bubblewrap util-linux chromium\n" in result.stderr, result.stderr


def test_with_every_program_present_the_check_passes_silently(tmp_path):
    result = run_check(bin_folder(tmp_path / "bin", INSTALL_COMMANDS))
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_chromium_may_be_found_under_its_other_name(tmp_path):
    path = bin_folder(tmp_path / "bin", ["bwrap", "setpriv", "prlimit", "chromium-browser"])
    result = run_check(path)
    assert result.returncode == 0, result.stderr


def test_with_every_program_present_make_test_goes_on_to_pytest(tmp_path):
    """The counterpart of the missing-program test: the same record does show the venv set up, then pytest."""
    venv, record = recording_venv(tmp_path)
    result = make_test(bin_folder(tmp_path / "bin", INSTALL_COMMANDS), venv)
    assert result.returncode == 0, result.stdout + result.stderr
    pip, pytest_run = record.read_text().splitlines()
    assert pip.startswith("-m pip install") and "requirements.txt" in pip
    assert pytest_run.split() == ["-m", "pytest", "-n", "0", "--dist", "loadfile", "--collect-only"]


FAKE_APT_GET = '''#!{python}
"""apt-get as the test needs it: records its arguments; "install" puts stubs of the packages' programs on PATH."""
import sys
from pathlib import Path

with open({log!r}, "a") as log:
    print(" ".join(sys.argv[1:]), file=log)
programs = {{"bubblewrap": ["bwrap"], "util-linux": ["setpriv", "prlimit"], "chromium": ["chromium"]}}
if {installs} and sys.argv[1] == "install":
    for package in sys.argv[2:]:
        for name in programs.get(package, []):
            stub = Path({folder!r}) / name
            stub.write_text("#!/bin/sh\\nexit 0\\n")
            stub.chmod(0o755)
'''


def fake_apt_get(folder, log, installs):
    """Put the fake apt-get into folder; installs=False makes it install nothing."""
    apt_get = folder / "apt-get"
    apt_get.write_text(FAKE_APT_GET.format(python=PYTHON, log=str(log), installs=installs, folder=str(folder)))
    apt_get.chmod(0o755)


@pytest.mark.skipif(os.geteuid() != 0, reason="the check installs only as root")
def test_as_root_with_apt_get_it_installs_what_is_missing_and_says_why(tmp_path):
    path = bin_folder(tmp_path / "bin", ["setpriv", "prlimit"])
    log = tmp_path / "apt-get.log"
    fake_apt_get(path, log, installs=True)
    result = run_check(path)
    assert result.returncode == 0, result.stderr
    said = result.stdout.splitlines()
    assert len(said) == 1 and said[0].startswith("system_check: installing bubblewrap chromium fonts-dejavu-core "
                                                 "with apt-get"), result.stdout
    assert "bwrap: grading" in said[0] and "chromium: tests/test_browser.py" in said[0]
    assert log.read_text().splitlines() == ["update",
                                            "install -y --no-install-recommends bubblewrap chromium fonts-dejavu-core"]
    assert (path / "bwrap").exists() and (path / "chromium").exists()


@pytest.mark.skipif(os.geteuid() != 0, reason="the check installs only as root")
def test_as_root_when_apt_get_installs_nothing_it_stops_with_the_message(tmp_path):
    path = bin_folder(tmp_path / "bin", ["bwrap", "chromium"])
    log = tmp_path / "apt-get.log"
    fake_apt_get(path, log, installs=False)
    result = run_check(path)
    assert result.returncode == 1
    assert log.read_text().splitlines() == ["update", "install -y --no-install-recommends util-linux"]
    assert "  setpriv " in result.stderr and "  prlimit " in result.stderr
    assert "sudo dnf install util-linux" in result.stderr and "apt-get did not install them" in result.stderr
