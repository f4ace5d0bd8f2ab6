"""What a submission's own code reaches for outside its notebook, in words, for the report.

The sandbox (autograder/sandbox.py) is what stops a hand-in from touching the network,
other processes, the instructor's environment or the course's files; this module only
says what the student's code *tried*, so that the instructor hears of it even when the
code hid its failures. It reads the code of the cells a student wrote (never the course's
test cells) and names the modules and calls that reach out, e.g. "signals other processes
(os.kill)". Correct answers to this course's exercises use none of them.
"""
import ast
import re

from helpers.notebook_loops import dotted_name

# (what it reaches, names that reach it): a name is a module, or a module's attribute.
REACHES = [
    ("the network", {"socket", "urllib", "http", "requests", "ftplib", "smtplib", "telnetlib", "ssl", "xmlrpc",
                     "asyncio.open_connection", "httpx", "aiohttp"}),
    ("signals other processes", {"os.kill", "os.killpg", "signal.pthread_kill", "os.pidfd_open"}),
    ("starts processes", {"os.fork", "os.forkpty", "os.system", "os.popen", "os.posix_spawn", "os.posix_spawnp",
                          "os.spawnl", "os.spawnv", "os.execv", "os.execve", "os.execl", "os.execvp", "os.setsid",
                          "subprocess", "multiprocessing", "pty", "concurrent.futures.ProcessPoolExecutor"}),
    ("reads the environment", {"os.environ", "os.environb", "os.getenv", "os.putenv"}),
    ("files outside its notebook", {"sqlite3", "shutil", "glob", "os.remove", "os.unlink", "os.rmdir",
                                    "os.removedirs", "os.rename", "os.replace", "os.chmod", "os.chown", "os.walk",
                                    "os.scandir", "os.listdir", "os.makedirs", "os.symlink", "os.link"}),
    ("C functions directly", {"ctypes", "cffi"}),
]
# A path in a string constant that leaves the notebook's folder: absolute, home-relative or upwards.
OUTSIDE_PATH = re.compile(r"^(/|~|\.\./)")
MAGIC_LINE = re.compile(r"^\s*[%!]", re.MULTILINE)


def names_used(code):
    """The dotted names, imported modules and outside paths a piece of code mentions."""
    try:
        tree = ast.parse(MAGIC_LINE.sub("pass  # magic", code))
    except SyntaxError:
        return set()
    aliases, found = {}, set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                found.add(alias.name)
                aliases[alias.asname or alias.name.split(".")[0]] = alias.name if alias.asname else alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            for alias in node.names:
                found.add(f"{node.module}.{alias.name}")
                aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"
        elif isinstance(node, ast.Attribute):
            dotted = dotted_name(node)
            if dotted:
                head, _, rest = dotted.partition(".")
                found.add(f"{aliases.get(head, head)}.{rest}" if rest else aliases.get(head, head))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and OUTSIDE_PATH.match(node.value):
            found.add("a path outside its folder")
    return found


def reaches(code):
    """[(what, [the names that reach it])] for a piece of code, in REACHES's order."""
    used = names_used(code)
    said = []
    for what, names in REACHES:
        hits = sorted(name for name in used if name in names or name.split(".")[0] in names
                      or any(name.startswith(f"{reach}.") for reach in names))
        if what == "files outside its notebook" and "a path outside its folder" in used:
            hits.append("a path outside its folder")
        if hits:
            said.append((what, hits))
    return said


def student_code(notebook):
    """The code of every cell the student wrote or could change (the course's locked cells left out)."""
    return "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "code"
                     and not cell.metadata.get("nbgrader", {}).get("locked"))


def from_notebook(notebook):
    """One sentence about what the student's code reached for outside its notebook, or none."""
    said = reaches(student_code(notebook))
    if not said:
        return []
    parts = "; ".join(f"{what} ({', '.join(names[:4])})" for what, names in said)
    return [f"its code reaches outside its notebook, for {parts}: the sandbox kept it to itself, but look at it"]
