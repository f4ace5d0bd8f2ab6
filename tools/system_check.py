"""Before `make test`: the system programs the test suite needs, installed with apt-get as root, or named and stop."""
import os
import shutil
import subprocess
import sys
from typing import NamedTuple


class Program(NamedTuple):
    """A program the suite runs by name, why it needs it, and the package that installs it on each distribution."""
    names: tuple      # any one of these on PATH will do; the first is the one a message names
    reason: str
    apt: str          # Debian, Ubuntu
    dnf: str          # Fedora
    pacman: str       # Arch


# What autograder/sandbox.py runs by name, and the browser the browser test drives (tests/test_browser.py).
REQUIRED = (
    Program(("bwrap",), "grading runs every student's notebook in a bubblewrap sandbox",
            apt="bubblewrap", dnf="bubblewrap", pacman="bubblewrap"),
    Program(("setpriv",), "the sandbox switches to its unprivileged user with it",
            apt="util-linux", dnf="util-linux", pacman="util-linux"),
    Program(("prlimit",), "the sandbox sets the kernel's limits with it",
            apt="util-linux", dnf="util-linux", pacman="util-linux"),
    Program(("chromium", "chromium-browser"), "tests/test_browser.py drives JupyterLab in it",
            apt="chromium", dnf="chromium", pacman="chromium"),
)
# Another Chromium binary for the browser test, as tests/test_browser.py reads it.
CHROMIUM_VARIABLE = "COURSE_CHROMIUM"
# Installed with Chromium, as CI always did: a font, so that the browser test's screenshots are readable.
APT_FONT = "fonts-dejavu-core"


def is_chromium(program):
    """Whether the program is the browser (which COURSE_CHROMIUM may name, and which comes with a font)."""
    return "chromium" in program.names


def is_present(program):
    """Whether one of the program's names is on PATH (or, for Chromium, COURSE_CHROMIUM names a program)."""
    if is_chromium(program):
        chosen = os.environ.get(CHROMIUM_VARIABLE)
        if chosen:
            return os.access(chosen, os.X_OK)
    return any(shutil.which(name) for name in program.names)


def missing_programs():
    """The required programs that are not on PATH, in REQUIRED's order."""
    return [program for program in REQUIRED if not is_present(program)]


def packages(missing, manager):
    """The packages that install the missing programs with one package manager ("apt", "dnf", "pacman"), once each."""
    return list(dict.fromkeys(getattr(program, manager) for program in missing))


def may_install():
    """Whether this check installs what is missing itself: as root, where apt-get exists (CI, containers)."""
    return os.geteuid() == 0 and shutil.which("apt-get") is not None


def install(missing):
    """apt-get update, then install the missing programs' packages (the caller checks again what is there)."""
    apt_packages = packages(missing, "apt") + ([APT_FONT] if any(is_chromium(program) for program in missing) else [])
    needs = "; ".join(f"{program.names[0]}: {program.reason}" for program in missing)
    print(f"system_check: installing {' '.join(apt_packages)} with apt-get, as make test needs them ({needs})",
          flush=True)
    environment = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    commands = (["apt-get", "update"], ["apt-get", "install", "-y", "--no-install-recommends", *apt_packages])
    for command in commands:
        if subprocess.run(command, env=environment).returncode != 0:
            return


def missing_message(missing, tried_apt):
    """One message: each missing program and why the suite needs it, the commands that install them, what failed."""
    width = max(len(program.names[0]) for program in missing)
    lines = ["make test stopped before any test: it needs programs that are not on PATH:"]
    lines += [f"  {program.names[0]:<{width}}  {program.reason}" for program in missing]
    lines += ["Install them, then run make test again:",
              f"  Debian, Ubuntu:  sudo apt-get install {' '.join(packages(missing, 'apt'))}",
              f"  Fedora:          sudo dnf install {' '.join(packages(missing, 'dnf'))}",
              f"  Arch:            sudo pacman -S {' '.join(packages(missing, 'pacman'))}"]
    if any(is_chromium(program) for program in missing):
        lines.append(f"  (Ubuntu's Chromium package is chromium-browser; {CHROMIUM_VARIABLE} may name another "
                     "Chromium.)")
    lines.append("apt-get did not install them: its output is above." if tried_apt else
                 "Run as root where apt-get exists (CI, a container), make test installs them itself.")
    return "\n".join(lines)


def main():
    """Exit 0, silently, when every required program is there (installing them first if allowed), else 1."""
    missing = missing_programs()
    tried_apt = bool(missing) and may_install()
    if tried_apt:
        install(missing)
        missing = missing_programs()
    if missing:
        print(missing_message(missing, tried_apt), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
