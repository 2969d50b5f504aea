"""Architecture: no module imports from a layer above its own (DESIGN.md)."""

import ast
from pathlib import Path

import sianode

LAYER = {
    "errors": 0, "units": 0, "validation": 0, "records": 0, "progress": 0, "atomic": 0, "paths": 0,
    "parallel": 0,
    "materials": 1,
    "thermo": 2, "kinetics": 2,
    "electrode": 3,
    "cell": 4,
    "experiments": 5,
    "testing": 5,
    "plots": 6, "cli": 6, "__main__": 6,
}
ROOT = Path(sianode.__file__).parent


def _layer(parts: list[str]) -> int | None:
    if not parts or parts[0] == "__init__":
        return None
    return LAYER[parts[0]]


def _imports(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("sianode"):
            yield node.module, node.lineno
        elif isinstance(node, ast.Import):
            for a in node.names:
                if a.name.startswith("sianode"):
                    yield a.name, node.lineno


def test_every_top_level_module_has_a_layer():
    names = {p.stem if p.is_file() else p.name for p in ROOT.iterdir()
             if (p.suffix == ".py" or (p.is_dir() and (p / "__init__.py").exists()))}
    assert names - {"__init__"} <= set(LAYER), names - set(LAYER)


def test_no_upward_imports():
    violations = []
    for path in ROOT.rglob("*.py"):
        rel = path.relative_to(ROOT).with_suffix("").parts
        own = _layer(list(rel))
        if own is None:
            continue
        for mod, line in _imports(path):
            target = _layer(mod.split(".")[1:2])
            if target is not None and target > own:
                violations.append(f"{'/'.join(rel)}.py:{line} imports {mod}")
    assert not violations, "\n".join(violations)
