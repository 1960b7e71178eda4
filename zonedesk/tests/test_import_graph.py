"""The import graph of zonedesk/ runs one way (docs/design.md): the shared layer `common`
imports nothing of ours, the foundation apps import no domain app, no module imports inside
a function to dodge a cycle, and no modules import each other in a circle.

The graph is read from the source with `ast`, imports at module level and inside functions
alike; tests, conftest.py and migrations are left out. The checks take a plain list of
imports, so the last test can feed them a made-up graph that breaks every rule.
"""

import ast
from dataclasses import dataclass
from pathlib import Path

import zonedesk

ROOT = Path(zonedesk.__file__).parent

# The layers, bottom up: a module may import its own layer and those below it, never above.
# A folder or top-level module of zonedesk/ that is named nowhere here is a domain app, so a
# new domain needs no line in this file.
LAYERS = (
    ("common", {"common"}),
    ("foundation", {"catalog", "orgs", "audit", "notify", "imports", "web"}),
    ("foundation", {"jobs", "api_params", "pagination", "__init__"}),
    ("domain", set()),
    ("composition", {"urls", "api", "demo", "settings", "wsgi", "cli"}),
)
RANKS = {"common": 0, "foundation": 1, "domain": 2, "composition": 3}


@dataclass(frozen=True)
class Import:
    source: str  # the importing module, "zonedesk.projects.views"
    target: str  # what it imports: a module of ours, or another top-level name ("psycopg")
    line: int
    function: str | None = None  # "Config.ready" for an import inside a function

    def __str__(self):
        where = f" inside {self.function}()" if self.function else ""
        return f"{self.source}:{self.line}{where} imports {self.target}"


# --- reading the source ----------------------------------------------------------------------


def source_modules(root=ROOT):
    """{module name: path} of every module that is not a test, a conftest or a migration."""
    found = {}
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root.parent).with_suffix("").parts
        if {"tests", "migrations"} & set(parts) or path.name == "conftest.py":
            continue
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def read_imports(name, path, modules):
    """The imports of one module, each of ours resolved to the module it loads."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]

    def targets(node):
        if isinstance(node, ast.Import):
            return [alias.name for alias in node.names]
        base = node.module or ""
        if node.level:
            parts = package.split(".")
            base = ".".join(parts[: len(parts) - node.level + 1] + ([base] if base else []))
        if not base.startswith("zonedesk"):
            return [base]
        return [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names]

    found = []

    def visit(node, scope, in_function):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import | ast.ImportFrom):
                function = ".".join(scope) if in_function else None
                found.extend(Import(name, t, child.lineno, function) for t in targets(child))
            elif isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                visit(child, [*scope, child.name], True)
            elif isinstance(child, ast.ClassDef):
                visit(child, [*scope, child.name], in_function)
            else:
                visit(child, scope, in_function)

    visit(ast.parse(path.read_text(), str(path)), [], False)
    return found


def the_graph():
    modules = source_modules()
    return [imp for name, path in modules.items() for imp in read_imports(name, path, modules)]


# --- the checks ------------------------------------------------------------------------------


def layer(module):
    """The layer of a module of ours, by its app (the second part of its name)."""
    app = module.split(".")[1] if "." in module else "__init__"
    for name, apps in LAYERS:
        if app in apps:
            return name
    return "domain"


def ours(imports):
    return [i for i in imports if i.target == "zonedesk" or i.target.startswith("zonedesk.")]


def upward(imports):
    """Imports of a module from a higher layer than the importer's."""
    return [i for i in ours(imports) if RANKS[layer(i.target)] > RANKS[layer(i.source)]]


def inside_functions(imports):
    """Imports inside a function body: all but an app's AppConfig.ready(), where Django has
    the registries filled once every model is loaded."""
    return [
        i
        for i in imports
        if i.function and not (i.source.endswith(".apps") and i.function.endswith(".ready"))
    ]


def circles(imports):
    """Sets of modules that import each other, directly or round a loop (Tarjan)."""
    edges = {}
    for i in ours(imports):
        if i.target != i.source:
            edges.setdefault(i.source, set()).add(i.target)
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def connect(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in edges.get(v, ()):
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = set()
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.add(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(frozenset(component))

    for v in sorted(edges):
        if v not in index:
            connect(v)
    return found


# --- the house -------------------------------------------------------------------------------


def test_no_module_imports_from_a_layer_above_its_own():
    wrong = upward(the_graph())
    assert not wrong, "imports that run back up:\n" + "\n".join(map(str, wrong))


def test_no_module_imports_inside_a_function():
    wrong = inside_functions(the_graph())
    assert not wrong, "imports inside functions:\n" + "\n".join(map(str, wrong))


def test_no_modules_import_each_other_in_a_circle():
    wrong = [sorted(c) for c in circles(the_graph())]
    assert not wrong, f"circles: {wrong}"


def test_every_app_is_read():
    """The reader finds the apps, their functions' imports and Django's ready() hooks."""
    graph = the_graph()
    sources = {i.source.split(".")[1] for i in graph if "." in i.source}
    assert {"common", "orgs", "projects", "appeals", "demo"} <= sources
    assert any(i.function == "Config.ready" for i in graph if i.source == "zonedesk.projects.apps")


# --- the checks can fail -----------------------------------------------------------------------


def test_the_checks_catch_an_upward_import_a_function_import_and_a_circle():
    fake = [
        Import("zonedesk.orgs.forms", "zonedesk.enterprises.selectors", 7),
        Import("zonedesk.common.xlsx", "zonedesk.catalog.text", 3),
        Import("zonedesk.projects.views", "zonedesk.urls", 4),
        Import("zonedesk.projects.views", "zonedesk.orgs.selectors", 5),  # down: fine
        Import("zonedesk.leads.selectors", "zonedesk.projects.selectors", 9, "chains_for"),
        Import("zonedesk.leads.apps", "zonedesk.web.context", 12, "Config.ready"),  # allowed
        Import("zonedesk.reports.services", "zonedesk.reports.tasks", 2),
        Import("zonedesk.reports.tasks", "zonedesk.reports.render", 2),
        Import("zonedesk.reports.render", "zonedesk.reports.services", 2),
    ]
    assert [i.line for i in upward(fake)] == [7, 3, 4]
    assert [str(i) for i in inside_functions(fake)] == [
        "zonedesk.leads.selectors:9 inside chains_for() imports zonedesk.projects.selectors"
    ]
    assert circles(fake) == [
        {"zonedesk.reports.services", "zonedesk.reports.tasks", "zonedesk.reports.render"}
    ]


def test_the_reader_sees_imports_inside_functions_and_resolves_relative_ones(tmp_path):
    app = tmp_path / "zonedesk" / "shop"
    app.mkdir(parents=True)
    (tmp_path / "zonedesk" / "__init__.py").write_text("")
    (app / "__init__.py").write_text("")
    (app / "models.py").write_text("")
    (app / "views.py").write_text(
        "from . import models\n"
        "from .models import Thing\n"
        "class Page:\n"
        "    def get(self):\n"
        "        from zonedesk.orgs import selectors\n"
        "def show():\n"
        "    import json\n"
    )
    modules = source_modules(tmp_path / "zonedesk")
    found = read_imports("zonedesk.shop.views", modules["zonedesk.shop.views"], modules)
    assert [(i.target, i.function) for i in found] == [
        ("zonedesk.shop.models", None),
        ("zonedesk.shop.models", None),
        ("zonedesk.orgs", "Page.get"),
        ("json", "show"),
    ]
