#!/usr/bin/env python3
"""Compare `ungcuu evtx` with the Rust `evtx` crate (the `evtx` package on PyPI) on every record.

usage: check_evtx_agreement.py --bin PATH_TO_UNGCUU [--corpus DIR] [--show N] [PATHS...]

PATHS are .evtx files or folders (searched for *.evtx). Without PATHS: the EVTX corpus
(<corpus>/evtx) and the Sigma regression cases (<corpus>/sigma/regression_data), where <corpus> is
--corpus, or ../../shared/corpora next to this script, or /work/shared/corpora.

For each file, runs `PATH_TO_UNGCUU evtx FILE` (one JSON object per line) and reads the crate's
`PyEvtxParser(FILE).records_json()`, carrying on past the crate's own errors. Records are compared as
parsed JSON values (strictly: 1, 1.0 and true differ). They are paired by EventRecordID (the record's
`Event.System.EventRecordID`; the crate's header `event_record_id` is shown too), in file order.

Prints a line per file and the first differences with their JSON paths. Records the crate could not
read are reported apart: when we print them anyway it is not a disagreement. Exit status 1 on any
difference, any record of the crate's we did not print, or any extra record in a file the crate read
without error. Runs under /work/refvenv/bin/python (needs evtx and orjson).
"""
import argparse
import glob
import os
import subprocess
import sys
from collections import defaultdict, deque

import orjson
from evtx import PyEvtxParser


def default_corpus():
    for candidate in (os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "corpora")),
                      "/work/shared/corpora"):
        if os.path.isdir(candidate):
            return candidate
    return "/work/shared/corpora"


def evtx_files(paths):
    out = []
    for p in paths:
        if os.path.isdir(p):
            out.extend(sorted(glob.glob(os.path.join(p, "**", "*.evtx"), recursive=True)))
        elif os.path.exists(p):
            out.append(p)
        else:
            print(f"missing: {p}", file=sys.stderr)
    return out


def crate_records(path):
    """(records, errors): records as (header id, parsed data) in file order; the crate's errors."""
    records, errors = [], []
    try:
        it = PyEvtxParser(path).records_json()
    except Exception as e:  # the file itself is refused
        return records, [f"file refused: {e}"]
    while True:
        try:
            r = next(it)
        except StopIteration:
            break
        except Exception as e:
            errors.append(str(e))
            if len(errors) > 10000:
                break
            continue
        try:
            records.append((r["event_record_id"], orjson.loads(r["data"])))
        except orjson.JSONDecodeError as e:
            # The crate writes element names unescaped: a damaged name can make its JSON invalid.
            errors.append(f"record {r['event_record_id']}: the crate printed invalid JSON ({e})")
    return records, errors


def our_records(binary, path):
    proc = subprocess.run([binary, "evtx", path], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    records, bad = [], []
    for n, line in enumerate(proc.stdout.splitlines(), 1):
        if not line.strip():
            continue
        try:
            records.append(orjson.loads(line))
        except orjson.JSONDecodeError as e:
            bad.append(f"line {n} is not valid JSON: {e}")
    warnings = [w for w in proc.stderr.decode("utf-8", "replace").splitlines() if w.strip()]
    return records, bad, warnings, proc.returncode


def record_key(data):
    try:
        return data["Event"]["System"]["EventRecordID"]
    except (KeyError, TypeError):
        return None


def same(a, b):
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a.keys()) == list(b.keys()) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return a == b


def differences(ours, theirs, path="", out=None, limit=5):
    """JSON paths where the two values differ (at most `limit`)."""
    if out is None:
        out = []
    if len(out) >= limit:
        return out
    if isinstance(ours, dict) and isinstance(theirs, dict):
        for k in list(theirs.keys()) + [k for k in ours if k not in theirs]:
            p = f"{path}.{k}" if path else k
            if k not in ours:
                out.append(f"{p}: missing in ours (crate: {short(theirs[k])})")
            elif k not in theirs:
                out.append(f"{p}: extra in ours ({short(ours[k])})")
            else:
                differences(ours[k], theirs[k], p, out, limit)
            if len(out) >= limit:
                break
        if not out and list(ours.keys()) != list(theirs.keys()):
            out.append(f"{path or '(root)'}: key order differs")
    elif isinstance(ours, list) and isinstance(theirs, list):
        if len(ours) != len(theirs):
            out.append(f"{path}: {len(ours)} items in ours, {len(theirs)} in the crate's")
        for i, (x, y) in enumerate(zip(ours, theirs)):
            differences(x, y, f"{path}[{i}]", out, limit)
            if len(out) >= limit:
                break
    elif not same(ours, theirs):
        out.append(f"{path or '(root)'}: ours {short(ours)} vs crate {short(theirs)}")
    return out


def short(v):
    s = orjson.dumps(v).decode("utf-8", "replace")
    return s if len(s) <= 160 else s[:157] + "..."


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", required=True, help="the ungcuu executable (run as: BIN evtx FILE)")
    ap.add_argument("--corpus", help="the corpora folder (default: ../../shared/corpora next to this script, or /work/shared/corpora)")
    ap.add_argument("--show", type=int, default=3, help="differing records shown per file (default 3)")
    ap.add_argument("--quiet", action="store_true", help="only print files with differences and the summary")
    ap.add_argument("paths", nargs="*")
    args = ap.parse_args()

    corpus = args.corpus or default_corpus()
    paths = args.paths or [os.path.join(corpus, "evtx"), os.path.join(corpus, "sigma", "regression_data")]
    files = evtx_files(paths)
    if not files:
        print("no .evtx files found", file=sys.stderr)
        return 1

    totals = defaultdict(int)
    crate_failures = []
    failed_files = []
    for path in files:
        theirs, crate_errors = crate_records(path)
        ours, bad_lines, warnings, code = our_records(args.bin, path)
        totals["files"] += 1
        totals["crate_records"] += len(theirs)
        totals["our_records"] += len(ours)
        totals["warnings"] += len(warnings)
        if crate_errors:
            crate_failures.append((path, crate_errors))

        # Pair by EventRecordID in file order, then leftovers by position.
        pending = defaultdict(deque)
        for i, data in enumerate(ours):
            pending[record_key(data)].append(i)
        pairs, missing = [], []
        for header_id, data in theirs:
            q = pending.get(record_key(data))
            if q:
                pairs.append((header_id, data, ours[q.popleft()]))
            else:
                missing.append((header_id, data))
        extra = sorted(i for q in pending.values() for i in q)
        if missing and len(missing) == len(extra):
            pairs.extend((h, d, ours[i]) for (h, d), i in zip(missing, extra))
            missing, extra = [], []

        diffs = [(h, differences(o, t)) for h, t, o in pairs if not same(o, t)]
        problems = bool(diffs or missing or bad_lines or code not in (0,) or (extra and not crate_errors))
        totals["agreeing"] += len(pairs) - len(diffs)
        totals["differing"] += len(diffs)
        totals["missing"] += len(missing)
        totals["extra"] += len(extra)
        if problems:
            failed_files.append(path)
        if problems or not args.quiet:
            status = "DIFF" if problems else "ok  "
            note = f"; crate failed {len(crate_errors)} times" if crate_errors else ""
            extra_note = f", {len(extra)} extra" if extra else ""
            print(f"{status} {path}: {len(pairs) - len(diffs)}/{len(theirs)} records agree, {len(diffs)} differ, "
                  f"{len(missing)} missing{extra_note}; {len(warnings)} warnings{note}")
        if code != 0:
            print(f"     exit status {code}: {' | '.join(warnings[:3])}")
        for line in bad_lines[:args.show]:
            print(f"     {line}")
        for header_id, paths_ in diffs[:args.show]:
            print(f"     record {header_id}:")
            for p in paths_:
                print(f"       {p}")
        for header_id, data in missing[:args.show]:
            print(f"     record {header_id}: missing from ours (EventRecordID {record_key(data)})")
        if extra and not crate_errors:
            for i in extra[:args.show]:
                print(f"     extra record in ours (EventRecordID {record_key(ours[i])})")

    print()
    if crate_failures:
        print(f"The crate itself failed in {len(crate_failures)} files (not disagreements of ours; records we read "
              f"where it failed are counted as extra):")
        for path, errors in crate_failures:
            print(f"  {path}: {len(errors)} errors, first: {errors[0][:200]}")
        print()
    print(f"{totals['files']} files: crate {totals['crate_records']} records, ours {totals['our_records']}; "
          f"{totals['agreeing']} agree, {totals['differing']} differ, {totals['missing']} missing from ours, "
          f"{totals['extra']} extra in ours; {totals['warnings']} warnings from ours")
    if failed_files:
        print(f"DISAGREEMENT in {len(failed_files)} files")
        return 1
    print("all records agree")
    return 0


if __name__ == "__main__":
    sys.exit(main())
