"""Loops in what a notebook's function runs, read from the code cells the kernel ran (not from the kernel).

    loop_report("gradients", sources) -> ([(where, what kind of loop, the line's text)], reason it cannot be checked)

The sources are the notebook's code cells in the order the kernel ran them (IPython's
history in the student's kernel; the cells the grader sent while autograding), so the
answer does not depend on anything the student's process says about itself. The check
follows the function into every function of the notebook it calls, lambdas included; a
call back into a function already being followed is recursion, itself a loop. What it
cannot follow costs the check rather than passing it: code run from strings (exec, eval,
magics that run files), names rebound at run time (globals(), setattr, sys.modules),
decorators, classes and functions made by other functions, modules of the student's own.
"""
import ast

# Cell magics whose body is Python run in the notebook's namespace.
PYTHON_CELL_MAGICS = {"time", "timeit", "capture", "prun"}
# Line magics that run code the check cannot see.
OPAQUE_LINE_MAGICS = {"run", "load", "autoreload", "aimport", "loadpy", "exec"}
LOOPS = {ast.For: "a for loop", ast.AsyncFor: "an async for loop", ast.While: "a while loop",
         ast.ListComp: "a list comprehension", ast.SetComp: "a set comprehension",
         ast.DictComp: "a dict comprehension", ast.GeneratorExp: "a generator expression"}
# Calls that run Python code once per element: {name: (its module, how the advice names it)}. The one list, read
# here and by helpers/codecheck.py.
LOOPING_CALLS = {"map": ("builtins", "map()"), "filter": ("builtins", "filter()"),
                 "reduce": ("functools", "functools.reduce"), "starmap": ("itertools", "itertools.starmap"),
                 "accumulate": ("itertools", "itertools.accumulate"), "vectorize": ("numpy", "np.vectorize"),
                 "frompyfunc": ("numpy", "np.frompyfunc"), "apply_along_axis": ("numpy", "np.apply_along_axis"),
                 "apply_over_axes": ("numpy", "np.apply_over_axes"), "piecewise": ("numpy", "np.piecewise"),
                 "fromiter": ("numpy", "np.fromiter")}
KEYED_CALLS = {"sorted", "min", "max"}  # with key=: a Python call per element
# Methods of other objects with a looping call's name (pool.map, np.add.reduce) are not the looping call; called
# on their module by its own name (functools.reduce), they are.
NOT_METHODS = {"map", "filter", "reduce", "accumulate"}


def looping_call(call):
    """How the advice names the looping call an ast.Call makes (map(), np.vectorize...), or None."""
    callee = call.func
    name = callee.id if isinstance(callee, ast.Name) else getattr(callee, "attr", None)
    if name in LOOPING_CALLS and not (isinstance(callee, ast.Attribute) and name in NOT_METHODS and not (
            isinstance(callee.value, ast.Name) and callee.value.id == LOOPING_CALLS[name][0])):
        return LOOPING_CALLS[name][1]
    if name in KEYED_CALLS and any(keyword.arg == "key" for keyword in call.keywords):
        return f"{name}() with a key function"
    return None


def looping_objects():
    """{id of a looping callable: how the advice names it}, to recognise one under another name."""
    import importlib

    return {id(getattr(importlib.import_module(module), name)): description
            for name, (module, description) in LOOPING_CALLS.items()
            if hasattr(importlib.import_module(module), name)}
DYNAMIC_CALLS = {"exec", "eval", "compile", "__import__", "globals", "locals", "vars", "setattr", "delattr",
                 "getattr"}
DYNAMIC_NAMES = {"sys.modules", "importlib", "builtins", "__builtins__", "__dict__", "__code__", "__globals__"}
# Modules whose functions run no Python loop of the student's (and their submodules).
KNOWN_MODULES = ("numpy", "math", "helpers")


def _python_of(source):
    """(the cell as plain Python, parsed; its text), IPython's own transformer turning magics into calls; or None."""
    from IPython.core.inputtransformer2 import TransformerManager

    text = TransformerManager().transform_cell(source)
    try:
        return ast.parse(text), text
    except SyntaxError:
        return None  # the kernel could not run it either: it defined nothing


def _magic_call(node):
    """('cell' or 'line', magic name, its text) for get_ipython().run_cell_magic(...) / run_line_magic(...);
    ('opaque', ...) when the call's arguments are not written out."""
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("run_cell_magic", "run_line_magic") and _is_get_ipython(node.func.value)):
        return None
    if not (node.args and all(isinstance(arg, ast.Constant) and isinstance(arg.value, str) for arg in node.args)):
        return "opaque", "", ""
    values = [arg.value for arg in node.args]
    kind = "cell" if node.func.attr == "run_cell_magic" else "line"
    return kind, values[0], values[-1]


def _is_get_ipython(node):
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "get_ipython"


def cell_trees(sources):
    """[(cell number, parsed module, its text)], with the Python bodies of %%time-like cells unwrapped;
    and the problems that make the check impossible."""
    trees, problems = [], []
    for number, source in enumerate(sources, start=1):
        parsed = _python_of(source)
        if parsed is None:
            continue
        pending = [parsed]
        while pending:
            tree, text = pending.pop(0)
            trees.append((number, tree, text))
            for node in ast.walk(tree):
                magic = _magic_call(node)
                if magic is None:
                    continue
                kind, name, body = magic
                if (kind == "cell" and name in PYTHON_CELL_MAGICS) or (kind == "line" and name in ("time", "timeit")):
                    inner = _python_of(body)
                    if inner is not None:
                        pending.append(inner)
                elif kind == "opaque" or name in OPAQUE_LINE_MAGICS or kind == "cell" and name in ("writefile", "file"):
                    problems.append(f"cell {number} uses %{name or 'a magic named at run time'}, which runs code "
                                    "the check cannot read")
    return trees, problems


def dotted_name(node):
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        return ".".join([node.id, *reversed(parts)])
    return None


def _aliases(trees):
    """{name: the module or module attribute it stands for} from every import in the notebook."""
    aliases = {}
    for _, tree, _ in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname:
                        aliases[alias.asname] = alias.name
                    else:
                        aliases[alias.name.split(".")[0]] = alias.name.split(".")[0]
            elif isinstance(node, ast.ImportFrom) and node.module:
                for alias in node.names:
                    aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return aliases


def _resolved(dotted, aliases):
    head, _, rest = dotted.partition(".")
    head = aliases.get(head, head)
    return f"{head}.{rest}" if rest else head


def known_module(module):
    return any(module == known or module.startswith(known + ".") for known in KNOWN_MODULES)


def _dynamic_use(tree, aliases):
    """The first construct in tree that changes or runs code at run time, in words, or ''."""
    constant_getattrs = {id(node.func) for node in ast.walk(tree) if isinstance(node, ast.Call)
                         and isinstance(node.func, ast.Name) and node.func.id == "getattr" and len(node.args) >= 2
                         and isinstance(node.args[1], ast.Constant)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id in DYNAMIC_CALLS \
                and id(node) not in constant_getattrs:
            return f"{node.id}" + ("()" if node.id != "getattr" else " with a name made at run time")
        if isinstance(node, (ast.Attribute, ast.Name)):
            dotted = dotted_name(node)
            if dotted:
                full = _resolved(dotted, aliases)
                if any(full == name or full.startswith(name + ".") or full.endswith("." + name)
                       for name in DYNAMIC_NAMES) or full.split(".")[-1] in DYNAMIC_CALLS - {"getattr"}:
                    return full
        if isinstance(node, ast.Attribute) and _is_get_ipython(node.value) \
                and node.attr not in ("run_line_magic", "run_cell_magic", "system", "getoutput"):
            return f"get_ipython().{node.attr}"
        if isinstance(node, ast.ImportFrom) and any(alias.name == "*" for alias in node.names) \
                and not known_module(node.module or ""):
            return f"from {node.module} import *"
        if isinstance(node, ast.Global):
            return f"global {', '.join(node.names)}"
    return ""


def _bindings(trees):
    """{name: the last top-level statement that binds it, with its cell}: what the kernel's name holds."""
    bound = {}
    for number, tree, text in trees:
        for statement in tree.body:
            for node in [statement, *ast.walk(statement)] if not isinstance(
                    statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) else [statement]:
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node is statement:
                    bound[node.name] = (number, node, text)
                elif isinstance(node, (ast.Import, ast.ImportFrom)):
                    for alias in node.names:
                        bound[(alias.asname or alias.name).split(".")[0]] = (number, node, text)
                elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                    bound[node.id] = (number, statement, text)
                elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                    bound[node.name] = (number, node, text)
    return bound


def _imported_module(statement, name):
    if isinstance(statement, ast.Import):
        for alias in statement.names:
            if (alias.asname or alias.name).split(".")[0] == name:
                return alias.name
    if isinstance(statement, ast.ImportFrom):
        return statement.module or ""
    return None


def _local_names(function):
    """Parameters and names assigned inside a function or lambda: they hide the notebook's names."""
    arguments = function.args
    names = {arg.arg for arg in [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]}
    names |= {arg.arg for arg in (arguments.vararg, arguments.kwarg) if arg is not None}
    return names | {node.id for node in ast.walk(function) if isinstance(node, ast.Name)
                    and isinstance(node.ctx, ast.Store)}


def _has_cycle(edges, start):
    """True when following edges from start comes back to a function already on the path (recursion)."""
    path, done = [], set()

    def visit(node):
        if node in path:
            return True
        if node in done:
            return False
        path.append(node)
        cyclic = any(visit(next_node) for next_node in sorted(edges.get(node, ())))
        path.pop()
        done.add(node)
        return cyclic

    return visit(start)


def loop_report(name, sources):
    """([(where, kind of loop, line text)], reason the check cannot be trusted or '') for the notebook's `name`."""
    trees, problems = cell_trees(sources)
    if problems:
        return [], problems[0]
    aliases = _aliases(trees)
    for number, tree, _ in trees:
        dynamic = _dynamic_use(tree, aliases)
        if dynamic:
            return [], (f"cell {number} uses {dynamic}, which can change what a name means while the notebook runs, "
                        "so the code cannot be checked for loops")
    bound = _bindings(trees)
    if name not in bound:
        return [], f"`{name}` is not defined in the notebook's cells"
    found, edges, via, pending, called = [], {}, {name: ""}, [name], {}
    while pending:
        current = pending.pop(0)
        if current in edges:
            continue
        edges[current] = set()
        number, node, text = bound[current]
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            module = _imported_module(node, current) or ""
            if not known_module(module):
                return [], f"`{current}` comes from the module {module or '?'}, whose code cannot be checked for loops"
            continue
        if isinstance(node, ast.ClassDef):
            return [], f"`{current}` is a class: its methods cannot be checked for loops here"
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            if node.decorator_list:
                return [], f"`{current}` has a decorator, whose code the check cannot follow: remove it"
            body = node
        elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Lambda):
            body = node.value
        elif current == name:
            return [], f"`{name}` is not written with `def`, so its code cannot be checked for loops"
        elif isinstance(node, ast.Assign) and isinstance(node.value, (ast.Name, ast.Attribute)) \
                and dotted_name(node.value):
            # another name for something (act = np.tanh, step = my_step): follow it, or accept a known module's
            other = dotted_name(node.value)
            head = other.split(".")[0]
            if not known_module(_resolved(other, aliases)) and head in bound and head != current:
                edges[current].add(head)
                via.setdefault(head, f" in `{head}` (used by `{current}`)")
                pending.append(head)
            elif not known_module(_resolved(other, aliases)) and current in called:
                return [], (f"`{current}`, called by `{called[current]}`, stands for {other}, whose code cannot be "
                            "checked for loops")
            continue
        elif current in called:
            return [], (f"`{current}`, called by `{called[current]}`, is made while the notebook runs (not written "
                        "with `def`), so its code cannot be checked for loops")
        else:
            continue  # data (an array, a number): no code runs
        label = via[current]
        local = _local_names(body)
        for inner in ast.walk(body):
            if isinstance(inner, (ast.Import, ast.ImportFrom)):
                modules = [alias.name for alias in inner.names] if isinstance(inner, ast.Import) else [inner.module or ""]
                unknown = [module for module in modules if not known_module(module)]
                if unknown:
                    return [], (f"`{current}` imports {unknown[0]}, whose code cannot be checked for loops")
            if isinstance(inner, ast.Call) and isinstance(inner.func, ast.Name) and inner.func.id not in local:
                called.setdefault(inner.func.id, current)
            for kind, description in LOOPS.items():
                if isinstance(inner, kind):
                    found.append((number, inner.lineno, description + label, text))
            if isinstance(inner, ast.Call) and looping_call(inner):
                found.append((number, inner.lineno, looping_call(inner) + label, text))
            if isinstance(inner, ast.Name) and isinstance(inner.ctx, ast.Load) and inner.id in bound \
                    and inner.id not in local:
                edges[current].add(inner.id)
                if inner.id not in via:
                    via[inner.id] = f" in `{inner.id}` (used by `{current}`)"
                pending.append(inner.id)
    if _has_cycle(edges, name):
        number, node, text = bound[name]
        found.append((number, node.lineno, "recursion (a function that ends up calling itself)", text))
    return [(f"cell {number}, line {line}", kind, _line(text, line))
            for number, line, kind, text in sorted(set(found))], ""


def _line(text, number):
    lines = text.splitlines()
    return lines[number - 1].strip() if 0 < number <= len(lines) else ""
