#!/usr/bin/env python3
"""Validates plan folders against the committed schema/*.json with a real JSON Schema validator.

Usage: scripts/validate-schemas.py [FOLDER...]
Without folders: releases, templates/init and every folder of tests/fixtures whose plans
`herald check` accepts (it runs `cargo run -- check` to find them). Every file must validate.
Then the schema must be as strict as `herald check` where JSON Schema can say it: impossible
dates and times (2026-13-45, 2026-02-30, 29 February outside leap years) and unknown time zones
(Europe/Berln) are rejected, real ones accepted.
Needs the Python packages jsonschema and PyYAML; skips cleanly without them.
"""
import copy
import json
import pathlib
import subprocess
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


def kind_of(path):
    return {"teams": "teams", "manual-tests": "tests"}.get(path.stem, "release")


def accepted_fixtures():
    """The fixture folders whose plans `herald check` accepts (the others have errors on purpose)."""
    folders = sorted({p.parent for p in (root / "tests" / "fixtures").rglob("teams.y*ml")})
    accepted = []
    for folder in folders:
        checked = subprocess.run(
            ["cargo", "run", "--quiet", "--locked", "--", "check", str(folder), "--today", "2026-11-26"],
            cwd=root,
            capture_output=True,
        )
        if checked.returncode == 0:
            accepted.append(str(folder.relative_to(root)))
    return accepted


problems = 0
folders = sys.argv[1:] or ["releases", "templates/init", *accepted_fixtures()]
for folder in folders:
    paths = sorted((root / folder).glob("*.yaml")) + sorted((root / folder).glob("*.yml"))
    for path in paths:
        document = yaml.load(path.read_text(), Loader=PlanLoader)
        errors = list(schemas[kind_of(path)].iter_errors(document))
        for error in errors:
            where = ".".join(str(p) for p in error.path)
            print(f"{path.relative_to(root)}: {where}: {error.message}")
        problems += len(errors)
        print(f"{path.relative_to(root)}: {'ok' if not errors else f'{len(errors)} problems'}")

# The schema against values `herald check` rejects and accepts, each put into a valid release.
release = yaml.load((root / "releases" / "1.14.yaml").read_text(), Loader=PlanLoader)


def with_value(where, value):
    document = copy.deepcopy(release)
    node = document
    for key in where[:-1]:
        node = node[key]
    node[where[-1]] = value
    return document


RELEASE_DAY = ("schedule", "release")
FREEZE = ("schedule", "freeze")
SCRUM_FIRST = ("scrum_of_scrums", "first")
ZONE = ("timezone",)
SENT = ("sent",)
cases = [
    # (where, value, accepted)
    (RELEASE_DAY, "2026-13-45", False),
    (RELEASE_DAY, "2026-02-30", False),
    (RELEASE_DAY, "2026-04-31", False),
    (RELEASE_DAY, "2026-00-10", False),
    (RELEASE_DAY, "2026-02-29", False),
    (RELEASE_DAY, "2100-02-29", False),
    (RELEASE_DAY, "2028-02-29", True),
    (RELEASE_DAY, "2000-02-29", True),
    (RELEASE_DAY, "2026-12-31", True),
    (FREEZE, "2026-02-30T10:00", False),
    (FREEZE, "2026-11-16T24:00", False),
    (FREEZE, "2026-11-16T09:60", False),
    (FREEZE, "2026-11-16", True),
    (FREEZE, "2026-11-16T09:00", True),
    (FREEZE, "2026-11-16T09:00:30.5+01:00", True),
    (FREEZE, "2026-11-16T08:00Z", True),
    (SCRUM_FIRST, "2026-09-31T10:00", False),
    (SCRUM_FIRST, "2026-10-15T10:00", True),
    (ZONE, "Europe/Berln", False),
    (ZONE, "Mars/Olympus_Mons", False),
    (ZONE, "Europe/Berlin", True),
    (ZONE, "America/New_York", True),
    (ZONE, "UTC", True),
    (SENT, ["deadlines@2026-02-30"], False),
    (SENT, ["deadlines@2026-11-10"], True),
]
for where, value, accepted in cases:
    errors = list(schemas["release"].iter_errors(with_value(where, value)))
    at = ".".join(where)
    if accepted and errors:
        problems += 1
        print(f"schema rejects {at}: {value!r}, which herald check accepts: {errors[0].message}")
    elif not accepted and not errors:
        problems += 1
        print(f"schema accepts {at}: {value!r}, which herald check rejects")
    elif not accepted and [list(e.path) for e in errors] != [list(where) + ([0] if where == SENT else [])]:
        problems += 1
        print(f"schema rejects {at}: {value!r} elsewhere: {[list(e.path) for e in errors]}")
print(f"{len(cases)} values: {'ok' if not problems else 'problems above'}")
sys.exit(1 if problems else 0)
