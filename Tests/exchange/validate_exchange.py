#!/usr/bin/env python3
"""Validates exchange files written by the FormatsTests (UNGCUU_EXCHANGE_OUT).

Usage: validate_exchange.py DIR

Every *.stix.json is checked with stix2-validator in strict mode (warnings count as errors) and
every *_ref/*_refs must resolve inside the bundle; every *.misp.json is loaded with pymisp and must yield an
event with attributes of known types. One line per file; exit status 1 when any file fails, 2 when
there is nothing to check or a tool is missing (pip install stix2-validator pymisp).
"""
import json
import sys
from pathlib import Path


def validate_stix(path):
    from stix2validator import ValidationOptions, validate_file

    options = ValidationOptions(version="2.1", strict=True, enforce_refs=True, silent=True)
    results = validate_file(str(path), options)
    problems = []
    for result in results.object_results:
        for error in result.errors:
            problems.append(f"{result.object_id}: {error.message}")
        for warning in result.warnings:
            problems.append(f"{result.object_id}: (warning) {warning.message}")
    if getattr(results, "fatal", None):
        problems.append(f"fatal: {results.fatal.message}")
    if not results.is_valid and not problems:
        problems.append("stix2-validator reports the bundle as invalid")
    problems += dangling_references(path)
    return problems


def dangling_references(path):
    """stix2-validator's enforce_refs covers relationships only; every *_ref and *_refs must resolve."""
    bundle = json.loads(path.read_text(encoding="utf-8"))
    objects = bundle.get("objects", []) if isinstance(bundle, dict) else []
    ids = {o.get("id") for o in objects if isinstance(o, dict)}
    problems = []

    def walk(value, owner):
        if isinstance(value, dict):
            for key, item in value.items():
                if key.endswith("_ref") and isinstance(item, str) and item not in ids:
                    problems.append(f"{owner}: {key} {item} is not in the bundle")
                elif key.endswith("_refs") and isinstance(item, list):
                    problems.extend(f"{owner}: {key} {ref} is not in the bundle" for ref in item if ref not in ids)
                else:
                    walk(item, owner)
        elif isinstance(value, list):
            for item in value:
                walk(item, owner)

    for obj in objects:
        walk(obj, obj.get("id", "?") if isinstance(obj, dict) else "?")
    return problems


def validate_misp(path):
    from pymisp import MISPEvent
    from pymisp.exceptions import PyMISPError

    problems = misp_schema_problems(path)
    event = MISPEvent(strict_validation=True)
    try:
        event.load(path.read_text(encoding="utf-8"))
    except (PyMISPError, ValueError, KeyError, TypeError) as error:
        return [f"pymisp cannot load it: {error!r}"]
    if not event.info:
        problems.append("the event has no info")
    # PyMISP quietly replaces a category that does not fit the type, so check the file's own values.
    describe = event.describe_types
    raw = json.loads(path.read_text(encoding="utf-8"))["Event"]
    raw_attributes = list(raw.get("Attribute", []))
    for misp_object in raw.get("Object", []):
        raw_attributes += misp_object.get("Attribute", [])
    for attribute in raw_attributes:
        name = attribute.get("uuid", "?")
        kind, category = attribute.get("type"), attribute.get("category")
        if kind not in describe["types"]:
            problems.append(f"attribute {name}: unknown MISP type {kind!r}")
        elif category not in describe["categories"]:
            problems.append(f"attribute {name}: unknown category {category!r}")
        elif kind not in describe["category_type_mappings"].get(category, []):
            problems.append(f"attribute {name}: type {kind!r} is not allowed in {category!r}")
        if not str(attribute.get("value", "")).strip():
            problems.append(f"attribute {name}: empty value")
    # A second round trip through pymisp's own serialisation must succeed.
    try:
        json.loads(event.to_json())
    except Exception as error:  # noqa: BLE001 - report anything pymisp raises
        problems.append(f"pymisp cannot serialise it again: {error!r}")
    if not event.attributes and not event.objects and "empty" not in path.name:
        problems.append("the event has no attributes")
    return problems


def misp_schema_problems(path):
    """Checks the raw JSON against PyMISP's event schema (the lax one: the strict one predates
    first_seen and event reports) and the value ranges MISP accepts."""
    import importlib.resources

    import jsonschema

    document = json.loads(path.read_text(encoding="utf-8"))
    event = document.get("Event") if isinstance(document, dict) else None
    if not isinstance(event, dict):
        return ["no Event object"]
    schema = json.loads(importlib.resources.files("pymisp").joinpath("data/schema-lax.json").read_text())
    problems = [f"schema: {e.message} at {'/'.join(map(str, e.absolute_path))}"
                for e in jsonschema.Draft4Validator(schema).iter_errors(document)]
    if event.get("threat_level_id") not in {"1", "2", "3", "4"}:
        problems.append(f"threat_level_id {event.get('threat_level_id')!r} is not 1-4")
    if event.get("analysis") not in {"0", "1", "2"}:
        problems.append(f"analysis {event.get('analysis')!r} is not 0-2")
    if event.get("distribution") not in {"0", "1", "2", "3", "4"}:
        problems.append(f"event distribution {event.get('distribution')!r} is not 0-4")
    for attribute in event.get("Attribute", []):
        if attribute.get("distribution") not in {"0", "1", "2", "3", "4", "5"}:
            problems.append(f"attribute {attribute.get('uuid')}: distribution {attribute.get('distribution')!r} is not 0-5")
    return problems


def main(argv):
    if len(argv) != 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    folder = Path(argv[1])
    stix_files = sorted(folder.glob("*.stix.json"))
    misp_files = sorted(folder.glob("*.misp.json"))
    if not stix_files and not misp_files:
        print(f"no *.stix.json or *.misp.json files in {folder}", file=sys.stderr)
        return 2
    try:
        import pymisp  # noqa: F401
        import stix2validator  # noqa: F401
    except ImportError as error:
        print(f"missing tool: {error} (pip install stix2-validator pymisp)", file=sys.stderr)
        return 2
    failed = 0
    for path, check in [(p, validate_stix) for p in stix_files] + [(p, validate_misp) for p in misp_files]:
        try:
            problems = check(path)
        except Exception as error:  # noqa: BLE001 - a crash in a checker is a failure of that file
            problems = [f"checker failed: {error!r}"]
        if problems:
            failed += 1
            print(f"FAIL {path.name}")
            for problem in problems:
                print(f"     {problem}")
        else:
            print(f"ok   {path.name}")
    print(f"{len(stix_files) + len(misp_files) - failed} of {len(stix_files) + len(misp_files)} files valid")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
