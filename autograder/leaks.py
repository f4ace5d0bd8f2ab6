"""The leak scan: does a folder meant for students hold anything graded?

What is searched for (the secrets), taken from the course itself:
  * every solution region of source/ (the code between ### BEGIN SOLUTION and ### END SOLUTION);
  * the body of every graded function's reference (each spec's GRADED, helpers/specs);
  * every line of every hidden test (between ### BEGIN HIDDEN TESTS and ### END HIDDEN TESTS);
  * every question's expected answer: the answer cell's solution (e.g. `initial_cost = 0.6931`) and helpers/answers'
    ANSWERS.

Code is compared as normalized syntax trees, so renaming variables, reformatting or changing comments does not hide
a copy: every name a piece of code binds or reads becomes its order of first appearance (v0, v1, ...), attribute
names and constants stay (np.dot stays np.dot, 1e-12 stays 1e-12), docstrings go. A secret is found in a file when
a run of consecutive statements of one block of the file's code has the secret's normalized tree. Hidden-test lines
are searched as text (whitespace removed) everywhere; answers as text (`name = value`, `"name": value`) and as
code.

Where: every file under the folder, notebooks cell by cell (code cells as code, and every string in the notebook as
text: markdown, outputs, metadata), Python files as code and text, any other file as text, and, when the folder
is a git repository, every file of every commit in its history. Binary files are counted, not read.

`python -m autograder leaks DIR` prints a summary and every hit with where it was found, and fails on any hit.
"""
import ast
import importlib
import inspect
import json
import pkgutil
import re
import subprocess
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

import helpers.answers
import helpers.specs
from autograder.course import SOURCE_DIR

HIDDEN_TESTS = re.compile(r"^[ \t]*### BEGIN HIDDEN TESTS[ \t]*\n(.*?)^[ \t]*### END HIDDEN TESTS", re.M | re.S)
SOLUTION = re.compile(r"^[ \t]*### BEGIN SOLUTION[ \t]*\n(.*?)^[ \t]*### END SOLUTION", re.M | re.S)
# A code cell's IPython lines (magics, shell escapes) are not Python: they are blanked before parsing.
IPYTHON_LINE = re.compile(r"^[ \t]*[%!].*$", re.M)
SKIPPED_FOLDERS = {".git", ".venv", "__pycache__", ".ipynb_checkpoints", "node_modules"}
# Code with fewer syntax-tree nodes than this (`return Z`, Adaline's identity activation) is everywhere in ordinary
# code: such a secret is counted as too small to search, and said so in the summary.
MIN_CODE_NODES = 6


@dataclass(frozen=True)
class Secret:
    """One thing a student edition must not hold."""

    kind: str      # "solution", "reference", "hidden test", "answer"
    label: str     # where it comes from, for the report
    code: tuple = ()   # its statements' normalized trees (searched in code)
    text: tuple = ()   # strings searched in text, whitespace removed
    nodes: int = 0     # the size of its code (code_nodes)


@dataclass
class Report:
    """What a scan looked at and found."""

    files: int = 0
    binary_files: int = 0
    too_small: int = 0  # secrets left unsearched: code too small to tell apart from ordinary code, and no text
    commits: int = 0
    secrets: int = 0
    hits: list = field(default_factory=list)  # (secret kind, secret label, where)

    def summary(self):
        history = f" (and {self.commits} commits of its history)" if self.commits else ""
        small = f" ({self.too_small} of them too small to tell apart from ordinary code)" if self.too_small else ""
        return (f"leak scan: {self.files} files scanned{history}, {self.binary_files} binary files skipped, "
                f"{self.secrets} items searched{small}, {len(self.hits)} hits")


# -- normalized syntax trees ---------------------------------------------------------------------------------


def _without_docstring(body):
    if body and isinstance(body[0], ast.Expr) and isinstance(getattr(body[0], "value", None), ast.Constant) \
            and isinstance(body[0].value.value, str):
        return body[1:] or [ast.Pass()]
    return body


def _dump(node, names):
    """One node's normalized tree as text, the tree left as it is: every name (variables, arguments, functions
    defined) becomes v<its order of first appearance>; docstrings, decorators, annotations and contexts go."""
    if isinstance(node, list):
        return "[" + ",".join(_dump(item, names) for item in node) + "]"
    if not isinstance(node, ast.AST):
        return repr(node)
    if isinstance(node, ast.Name):
        return f"Name({names.setdefault(node.id, f'v{len(names)}')})"
    if isinstance(node, ast.arg):
        return f"arg({names.setdefault(node.arg, f'v{len(names)}')})"
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        name = names.setdefault(node.name, f"v{len(names)}")
        return f"def {name}({_dump(node.args, names)}){_dump(_without_docstring(node.body), names)}"
    fields = [(field, getattr(node, field, None)) for field in node._fields
              if field not in ("ctx", "type_comment", "annotation", "returns", "decorator_list", "kind")]
    return f"{type(node).__name__}(" + ",".join(_dump(value, names) for _, value in fields) + ")"


def normalized(statements):
    """The normalized trees of a run of statements, one string each (names numbered across the run)."""
    names = {}
    return tuple(_dump(statement, names) for statement in statements)


def parse(source):
    """The statements of a piece of Python (IPython's magics blanked), or None when it is not Python."""
    try:
        return ast.parse(textwrap.dedent(IPYTHON_LINE.sub("", source))).body
    except (SyntaxError, ValueError):
        return None


def _blocks(statements):
    """Every block of statements in the code: the module's or cell's, and each body of every compound statement."""
    yield statements
    for statement in statements:
        for node in ast.walk(statement):
            for name in ("body", "orelse", "finalbody"):
                block = getattr(node, name, None)
                if isinstance(block, list) and block and isinstance(block[0], ast.stmt):
                    yield block


def code_runs(statements, lengths):
    """The normalized runs of consecutive statements of every block, of the given lengths, and every function's
    body without its docstring: the set a secret's code is looked up in."""
    runs = set()
    for block in _blocks(statements):
        for length in lengths:
            for start in range(len(block) - length + 1):
                runs.add(normalized(block[start:start + length]))
    for node in (node for statement in statements for node in ast.walk(statement)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            runs.add(normalized(_without_docstring(node.body)))
    return runs


def _squeezed(text):
    return re.sub(r"\s+", "", text)


# -- the secrets ------------------------------------------------------------------------------------------


def _hidden_lines(source):
    for block in HIDDEN_TESTS.findall(source):
        for line in block.splitlines():
            if line.strip() and not line.lstrip().startswith("#"):
                yield line.strip()


def secrets_of_source(source_dir=SOURCE_DIR):
    """The solution regions, hidden-test lines and answer cells of every assignment in source_dir."""
    found = []
    for path in sorted(Path(source_dir).glob("*/*.ipynb")):
        notebook = nbformat.read(path, as_version=4)
        assignment = path.parent.name
        for cell in notebook.cells:
            if cell.cell_type != "code":
                continue
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id", "?")
            for region in SOLUTION.findall(cell.source):
                statements = parse(region)
                if not statements:
                    continue
                # an answer cell's solution is a name given a number or a letter (`initial_cost = 0.6931`)
                is_answer = all(isinstance(statement, ast.Assign) and isinstance(statement.value, (ast.Constant,
                                                                                                   ast.UnaryOp))
                                for statement in statements)
                texts = tuple(text for statement in statements for target in statement.targets
                              for text in _answer_texts(ast.unparse(target), ast.literal_eval(statement.value))) \
                    if is_answer else ()
                found.append(Secret("answer" if is_answer else "solution", f"{assignment} {grade_id}",
                                    code=normalized(statements), text=texts, nodes=code_nodes(statements)))
            for line in _hidden_lines(cell.source):
                found.append(Secret("hidden test", f"{assignment} {grade_id}: {line}", text=(_squeezed(line),)))
    return found


def secrets_of_helpers():
    """The body of every graded function's reference (each spec's GRADED, helpers/specs) and every question's
    expected answer (helpers/answers), as code or text a copy would show: `name = value` or `"name": value`."""
    found = []
    for name, spec in _modules(helpers.specs):
        for function_name, graded in getattr(spec, "GRADED", {}).items():
            function = graded.reference
            body = _without_docstring(ast.parse(textwrap.dedent(inspect.getsource(function))).body[0].body)
            found.append(Secret("reference", f"{name} {function_name}: {function.__module__}.{function.__name__}",
                                code=normalized(body), nodes=code_nodes(body)))
    for name, answers in _modules(helpers.answers):
        for question, expected in getattr(answers, "ANSWERS", {}).items():
            found.append(Secret("answer", f"{name} {question}", text=_answer_texts(question, expected)))
    return found


def _answer_texts(name, value):
    """How a copy of an answer reads, in code or in data: `name = value`, `"name": value`, in any quoting."""
    forms = {repr(value), json.dumps(value)} | ({f"{value:g}"} if isinstance(value, float) else set())
    return tuple(_squeezed(pattern) for form in sorted(forms) for pattern in (f"{name}={form}", f'"{name}":{form}'))


def _modules(package):
    return [(info.name, importlib.import_module(f"{package.__name__}.{info.name}"))
            for info in pkgutil.iter_modules(package.__path__)]


def all_secrets(source_dir=SOURCE_DIR):
    return secrets_of_source(source_dir) + secrets_of_helpers()


# -- scanning -----------------------------------------------------------------------------------------------


def _strings(value):
    """Every string inside a JSON value (keys included)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _pieces(name, data):
    """(where, code or None, text) pieces of one file's bytes; None when the file is binary."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if "\0" in text:
        return None
    if name.endswith(".ipynb"):
        try:
            notebook = json.loads(text)
        except ValueError:
            return [(name, None, text)]
        pieces = []
        for index, cell in enumerate(notebook.get("cells", []) if isinstance(notebook, dict) else []):
            source = cell.get("source", "")
            source = "".join(source) if isinstance(source, list) else str(source)
            where = f"{name} cell {index}"
            pieces.append((where, source if cell.get("cell_type") == "code" else None,
                           "\n".join(_strings(cell))))
        pieces.append((f"{name} metadata", None, "\n".join(_strings(notebook.get("metadata", {})))
                       if isinstance(notebook, dict) else ""))
        return pieces
    return [(name, text if name.endswith(".py") else None, text)]


def _scan_bytes(name, data, secrets, report, seen_where):
    lengths = sorted({len(secret.code) for secret in secrets if secret.code})
    pieces = _pieces(name, data)
    if pieces is None:
        report.binary_files += 1
        return
    report.files += 1
    for where, code, text in pieces:
        runs = set()
        if code is not None:
            statements = parse(code)
            runs = code_runs(statements, lengths) if statements else set()
        squeezed = _squeezed(text)
        for secret in secrets:
            hit = (secret.code and secret.code in runs) or any(piece and piece in squeezed for piece in secret.text)
            if hit and (secret.label, where) not in seen_where:
                seen_where.add((secret.label, where))
                report.hits.append((secret.kind, secret.label, where))


def _files(folder):
    for path in sorted(Path(folder).rglob("*")):
        if path.is_file() and not SKIPPED_FOLDERS.intersection(path.relative_to(folder).parts[:-1]):
            yield path


def _history(folder):
    """(commit, path, blob bytes) of every file of every commit, each blob once."""
    git = ["git", "-C", str(folder)]
    commits = subprocess.run(git + ["rev-list", "--all"], capture_output=True, text=True, check=True).stdout.split()
    seen = set()
    for commit in commits:
        listing = subprocess.run(git + ["ls-tree", "-r", commit], capture_output=True, text=True, check=True).stdout
        for line in listing.splitlines():
            meta, path = line.split("\t", 1)
            _, kind, blob = meta.split()
            if kind == "blob" and blob not in seen:
                seen.add(blob)
                data = subprocess.run(git + ["cat-file", "blob", blob], capture_output=True, check=True).stdout
                yield commit, path, data
    yield len(commits), None, None


def code_nodes(statements):
    """How many syntax-tree nodes the statements have, their names' contexts (load, store) left out."""
    return sum(1 for statement in statements for node in ast.walk(statement) if not isinstance(node, ast.expr_context))


def scan(folder, secrets=None):
    """Scan every file under folder, and its git history when it is a repository; return a Report."""
    secrets = all_secrets() if secrets is None else secrets
    report, seen_where = Report(secrets=len(secrets)), set()
    small = [secret for secret in secrets if secret.code and secret.nodes < MIN_CODE_NODES]
    report.too_small = sum(1 for secret in small if not secret.text)
    secrets = [secret if secret not in small else Secret(secret.kind, secret.label, (), secret.text, secret.nodes)
               for secret in secrets]
    folder = Path(folder)
    for path in _files(folder):
        _scan_bytes(path.relative_to(folder).as_posix(), path.read_bytes(), secrets, report, seen_where)
    if (folder / ".git").exists():
        for commit, path, data in _history(folder):
            if path is None:
                report.commits = commit
                break
            _scan_bytes(f"{path} (commit {commit[:10]})", data, secrets, report, seen_where)
    return report


def print_report(report):
    print(report.summary())
    for kind, label, where in report.hits:
        print(f"  {kind} ({label}) found in {where}")
