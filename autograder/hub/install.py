"""python -m autograder hub: a JupyterHub for the course on this machine, with real accounts.

Run as root. Everything lives under one folder, the prefix (default /srv/nn-first-principles):

    environment/   the hub's Python environment, built from the system's python3 (every account must be able to
                   run it) with hub/requirements.txt and its lock, and the student edition installed as a package
    edition/       the student edition (python -m autograder publish): what students import and read
    exchange/      nbgrader's exchange, made private per student (exchange_folders.py, student/hub_exchange.py)
    hub/           root's alone (700): the hub's configuration, settings.json, its database, the service token

Accounts: the instructor (in the graders group, which owns inbound/) and the students, each with a home only they
can enter. The instructor's course is a copy of this repository in their home (`course/`), theirs alone.
Setting up again is safe: accounts, environment and folders are reused, the course and the edition are kept.
"""
import hashlib
import json
import os
import pwd
import secrets
import shutil
import socket
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from autograder.course import COURSE_ID, REPO_ROOT
from autograder.errors import CommandError
from autograder.hub import accounts, exchange_folders

DEFAULT_PREFIX = Path("/srv") / COURSE_ID
HUB_FILES = REPO_ROOT / "hub"
CONFIG_TEMPLATE = Path(__file__).with_name("jupyterhub_config.py")
GRADERS_GROUP = f"{COURSE_ID}-graders"
DEMO_INSTRUCTOR, DEMO_STUDENTS = "instructor", ("alice", "bob", "carol")
ENVIRONMENT_STAMP = ".hub-installed"  # the hash of what the environment was built from


@dataclass
class Hub:
    """Where a course's hub lives and who uses it (what settings.json holds)."""

    prefix: Path
    instructor: str
    students: list
    port: int = 8000
    ip: str = "127.0.0.1"
    hub_port: int = 8081
    proxy_api_port: int = 8001
    python: str = "/usr/bin/python3"
    graders_group: str = GRADERS_GROUP  # the instructors: they own the exchange's inbound folder
    passwords: dict = field(default_factory=dict)  # the demo's accounts only

    environment = property(lambda self: self.prefix / "environment")
    edition = property(lambda self: self.prefix / "edition")
    exchange = property(lambda self: self.prefix / "exchange")
    state = property(lambda self: self.prefix / "hub")
    service_token_file = property(lambda self: self.state / "service_token")
    made_file = property(lambda self: self.state / "made-accounts.json")  # what --remove may take away
    url = property(lambda self: f"http://{self.ip}:{self.port}")

    def course(self):
        return Path(pwd.getpwnam(self.instructor).pw_dir) / "course"

    def bin(self, name):
        return str(self.environment / "bin" / name)


def require_root():
    if os.geteuid() != 0:
        raise CommandError("a hub with real accounts is set up as root (it creates accounts, and its servers run as "
                           "each account): run `sudo make hub` or `sudo .venv/bin/python -m autograder hub`")
    for tool in ("useradd", "chpasswd"):
        if not shutil.which(tool):
            raise CommandError(f"{tool} is missing: install the system's account tools (Debian: passwd)")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def run(command, **kwargs):
    result = subprocess.run(command, capture_output=True, text=True, **kwargs)
    if result.returncode:
        raise CommandError(f"{' '.join(map(str, command))} failed:\n{result.stdout[-2000:]}{result.stderr[-3000:]}")
    return result


def make_accounts(hub, demo=False):
    """The accounts and the graders' group; those this set-up made are recorded, for `--remove` to take away."""
    made = set(json.loads(hub.made_file.read_text())) if hub.made_file.exists() else set()
    made |= {name for name in (hub.instructor, *hub.students) if not accounts.exists(name)}
    if not accounts.group_exists(hub.graders_group):
        made.add(f"group:{hub.graders_group}")
    hub.state.mkdir(parents=True, exist_ok=True)
    os.chmod(hub.state, 0o700)
    hub.made_file.write_text(json.dumps(sorted(made)))
    gid = accounts.ensure_group(hub.graders_group)
    accounts.ensure_user(hub.instructor, groups=[hub.graders_group])
    for student in hub.students:
        accounts.ensure_user(student)
    if demo:
        hub.passwords = {name: accounts.set_password(name) for name in [hub.instructor, *hub.students]}
    return gid


def environment_fingerprint(hub, edition_commit):
    files = b"".join((HUB_FILES / name).read_bytes() for name in ("requirements.txt", "constraints.txt"))
    return hashlib.sha256(files + hub.python.encode() + edition_commit.encode()).hexdigest()


def build_environment(hub, edition_commit, log=print):
    """The hub's environment: a venv of the system's python3 with hub/requirements.txt, and the student edition."""
    stamp = hub.environment / ENVIRONMENT_STAMP
    fingerprint = environment_fingerprint(hub, edition_commit)
    if stamp.exists() and stamp.read_text() == fingerprint:
        return
    if not Path(hub.python).exists():
        raise CommandError(f"no {hub.python}: the hub's environment is built from the system's Python, which every "
                           "account can run (Debian: apt-get install python3 python3-venv); or give --python")
    log(f"building the hub's environment in {hub.environment} (a few minutes the first time)")
    if not (hub.environment / "bin" / "python").exists():
        run([hub.python, "-m", "venv", str(hub.environment)])
    pip = [hub.bin("python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    run(pip + ["-r", str(HUB_FILES / "requirements.txt"), "-c", str(HUB_FILES / "constraints.txt")])
    # The edition's helpers as an ordinary package (not editable): students import it from the environment.
    run(pip + ["--no-deps", "--force-reinstall", str(hub.edition)])
    write_jupyter_settings(hub)
    stamp.write_text(fingerprint)


def write_jupyter_settings(hub):
    """Every account's settings on this hub: nbgrader's (the course, its exchange, the private exchange steps), and
    JupyterLab's (no pop-up offering news from the internet, which a class's hub need not reach)."""
    lab_settings = hub.environment / "share" / "jupyter" / "lab" / "settings"
    lab_settings.mkdir(parents=True, exist_ok=True)
    (lab_settings / "overrides.json").write_text(json.dumps(
        {"@jupyterlab/apputils-extension:notification": {"fetchNews": "false"}}, indent=1))
    folder = hub.environment / "etc" / "jupyter"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "nbgrader_config.py").write_text(
        "# Written by python -m autograder hub: every account's nbgrader settings on this hub.\n"
        "c = get_config()  # noqa: F821\n"
        f"c.CourseDirectory.course_id = {COURSE_ID!r}\n"
        f"c.Exchange.root = {str(hub.exchange)!r}\n"
        "c.ExchangeFactory.submit = 'student.hub_exchange.PrivateSubmit'\n"
        "c.ExchangeFactory.release_feedback = 'student.hub_exchange.PrivateReleaseFeedback'\n")


def publish_edition(hub, edition_source=None, log=print):
    """The student edition at hub.edition: copied from an edition already published, else the one there (kept),
    else published; return its commit."""
    from autograder import publish

    if edition_source is not None:
        if hub.edition.exists():
            shutil.rmtree(hub.edition)
        shutil.copytree(edition_source, hub.edition, symlinks=True)
    elif not hub.edition.exists():
        log(f"publishing the student edition to {hub.edition}")
        publish.publish(hub.edition, log=log)
    return run(["git", "-C", str(hub.edition), "rev-parse", "HEAD"]).stdout.strip()


def course_files():
    """This repository's files as git sees them: tracked, and new ones not ignored (no .venv, no work/)."""
    listed = run(["git", "-C", str(REPO_ROOT), "ls-files", "--cached", "--others", "--exclude-standard", "-z"])
    return [name for name in listed.stdout.split("\0") if name and (REPO_ROOT / name).is_file()]


def install_course(hub):
    """The instructor's course: this repository's files in their home, theirs alone (its gradebook included).
    Kept when it exists: it holds the class's submissions and grades."""
    course = hub.course()
    if not course.exists():
        for name in course_files():
            (course / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO_ROOT / name, course / name)
        user = pwd.getpwnam(hub.instructor)
        for path in [course, *course.rglob("*")]:
            os.lchown(path, user.pw_uid, user.pw_gid)
    os.chmod(course, 0o700)
    # The instructor's server starts in their home, and Formgrader reads nbgrader_config.py from where it starts.
    home_config = course.parent / "nbgrader_config.py"
    home_config.write_text("# Written by python -m autograder hub: nbgrader started from this home (Formgrader "
                           "among them) uses the course.\n"
                           f"load_subconfig({str(course / 'nbgrader_config.py')!r})  # noqa: F821\n")
    user = pwd.getpwnam(hub.instructor)
    os.chown(home_config, user.pw_uid, user.pw_gid)
    return course


def write_settings(hub):
    hub.state.mkdir(parents=True, exist_ok=True)
    os.chmod(hub.state, 0o700)
    if not hub.service_token_file.exists():
        hub.service_token_file.write_text(secrets.token_hex(32))
        os.chmod(hub.service_token_file, 0o600)
    settings = {"ip": hub.ip, "port": hub.port, "hub_port": hub.hub_port, "proxy_api_port": hub.proxy_api_port,
                "environment": str(hub.environment), "state": str(hub.state), "instructor": hub.instructor,
                "students": list(hub.students), "course": str(hub.course()),
                "service_token": hub.service_token_file.read_text().strip()}
    (hub.state / "settings.json").write_text(json.dumps(settings, indent=1))
    os.chmod(hub.state / "settings.json", 0o600)
    shutil.copyfile(CONFIG_TEMPLATE, hub.state / "jupyterhub_config.py")


def set_up(hub, demo=False, edition_source=None, log=print):
    """Everything a hub needs, but not the hub itself: accounts, edition, environment, exchange, course, config."""
    require_root()
    hub.prefix.mkdir(parents=True, exist_ok=True)
    os.chmod(hub.prefix, 0o755)
    gid = make_accounts(hub, demo)
    commit = publish_edition(hub, edition_source, log)
    build_environment(hub, commit, log)
    exchange_folders.make(hub.exchange, hub.instructor, gid)
    install_course(hub)
    write_settings(hub)
    return hub


def remove(hub):
    """Undo a set-up: the accounts and group it made (never one that was there before), and the prefix folder
    with the environment, the edition, the exchange and the hub's state. The hub must be stopped."""
    require_root()
    made = json.loads(hub.made_file.read_text()) if hub.made_file.exists() else []
    for name in made:
        if not name.startswith("group:"):
            subprocess.run(["pkill", "-KILL", "-u", name], capture_output=True)
            accounts.remove_user(name)
    for name in made:
        if name.startswith("group:"):
            accounts.remove_group(name.removeprefix("group:"))
    shutil.rmtree(hub.prefix, ignore_errors=True)
    return [name for name in made if not name.startswith("group:")]


def start(hub, **popen):
    """The hub, as a child process (root: it starts each server as its account)."""
    environment = {**os.environ, "PATH": f"{hub.environment / 'bin'}:{os.environ.get('PATH', '/usr/bin:/bin')}"}
    environment.pop("PYTHONPATH", None)
    return subprocess.Popen([hub.bin("jupyterhub"), "-f", str(hub.state / "jupyterhub_config.py")],
                            cwd=hub.state, env=environment, **popen)


def main(args):
    if args.remove:
        removed = remove(Hub(Path(args.prefix), "", []))
        print(f"removed {args.prefix} and the accounts its set-up made: {', '.join(removed) or 'none'}")
        return 0
    students = args.student or (list(DEMO_STUDENTS) if args.demo else [])
    instructor = args.instructor or (DEMO_INSTRUCTOR if args.demo else None)
    if not instructor or not students:
        raise CommandError("name the instructor and the students (--instructor NAME --student NAME ...), or "
                           "use --demo for an instructor and three students with new passwords")
    hub = Hub(Path(args.prefix), instructor, students, port=args.port, ip=args.ip, python=args.python)
    set_up(hub, demo=args.demo)
    print(f"hub set up under {hub.prefix}: instructor {hub.instructor}, students {', '.join(hub.students)}")
    if hub.passwords:
        print("demo accounts (log in with these; the passwords are new each time):")
        for name, password in hub.passwords.items():
            print(f"  {name:12} {password}")
    if args.no_start:
        return 0
    print(f"JupyterHub on {hub.url} (Ctrl-C stops it)")
    process = start(hub)
    try:
        return process.wait()
    except KeyboardInterrupt:
        process.terminate()
        return process.wait()


def run_hub(args):
    status = main(args)
    if status:
        raise CommandError(f"the hub stopped with status {status}")


def add_parser(commands):
    parser = commands.add_parser("hub", help="set up and start a JupyterHub for the course on this machine (root)")
    parser.add_argument("--demo", action="store_true",
                        help=f"accounts {DEMO_INSTRUCTOR} and {', '.join(DEMO_STUDENTS)} with new passwords")
    parser.add_argument("--instructor", help="the instructor's account (made if missing)")
    parser.add_argument("--student", action="append", help="a student's account (repeatable; made if missing)")
    parser.add_argument("--prefix", default=str(DEFAULT_PREFIX), help="where the hub lives (default: %(default)s)")
    parser.add_argument("--port", type=int, default=8000, help="the hub's port (default: %(default)s)")
    parser.add_argument("--ip", default="127.0.0.1",
                        help="the address it listens on (default: %(default)s; behind TLS on a real server)")
    parser.add_argument("--python", default="/usr/bin/python3",
                        help="the Python the hub's environment is built from; every account must be able to run "
                             "it (default: %(default)s)")
    parser.add_argument("--no-start", action="store_true", help="set up only")
    parser.add_argument("--remove", action="store_true",
                        help="remove the hub's folder and the accounts its set-up made (stop the hub first)")
    parser.set_defaults(run=run_hub)
    return parser
