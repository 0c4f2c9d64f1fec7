#!/usr/bin/env python3
"""Validates plan folders against the committed schema/*.json with a real JSON Schema validator.

Usage: scripts/validate-schemas.py [FOLDER...]   (default: releases templates/init)
Needs the Python packages jsonschema and PyYAML; skips cleanly without them.
"""
import json
import pathlib
import sys

try:
    import jsonschema
    import yaml
except ImportError:
    print("skipped: jsonschema or PyYAML not installed (pip install jsonschema pyyaml)")
    sys.exit(0)


class PlanLoader(yaml.SafeLoader):
    """YAML 1.2 reads dates as strings, as yaml-language-server does; PyYAML's 1.1 would not."""


PlanLoader.yaml_implicit_resolvers = {
    key: [r for r in resolvers if r[0] != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

root = pathlib.Path(__file__).resolve().parent.parent
schemas = {}
for kind in ("release", "teams", "tests"):
    schema = json.loads((root / "schema" / f"{kind}.json").read_text())
    jsonschema.Draft7Validator.check_schema(schema)
    schemas[kind] = jsonschema.Draft7Validator(schema)

problems = 0
for folder in sys.argv[1:] or ["releases", "templates/init"]:
    for path in sorted((root / folder).glob("*.yaml")):
        kind = {"teams.yaml": "teams", "manual-tests.yaml": "tests"}.get(path.name, "release")
        document = yaml.load(path.read_text(), Loader=PlanLoader)
        errors = list(schemas[kind].iter_errors(document))
        for error in errors:
            where = ".".join(str(p) for p in error.path)
            print(f"{path.relative_to(root)}: {where}: {error.message}")
        problems += len(errors)
        print(f"{path.relative_to(root)}: {'ok' if not errors else f'{len(errors)} problems'}")
sys.exit(1 if problems else 0)
