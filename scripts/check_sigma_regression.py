#!/usr/bin/env python3
"""Sigma regression cases: every case of corpora/sigma/regression_data/ (an info.yml naming a rule and the
EVTX file it must fire on) must fire that rule when `ungcuu hunt` runs with ALL the rules of
corpora/sigma/rules*/ over the case files.

usage: check_sigma_regression.py --bin UNGCUU [--corpus DIR] [--verbose]
  --bin     the ungcuu binary (or any program taking `hunt --rules PATH... EVENTS...`)
  --corpus  the shared corpora folder (default: /work/shared/corpora, else ../shared/corpora beside the repo)

Prints each failing case, the known exceptions (none today; each would need its reason here and in
docs/sigma-agreement.md), cases whose match count differs from info.yml's `match_count` (a note, not a
failure), and a summary as the last line. Exit status 1 if any case fails."""
import argparse, json, os, subprocess, sys, time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)

# Cases that cannot pass for a principled reason: {rule id: reason}. Keep this minimal and explained in
# docs/sigma-agreement.md.
KNOWN_EXCEPTIONS = {}


def default_corpus():
    for c in ("/work/shared/corpora", os.path.join(REPO, "..", "shared", "corpora")):
        if os.path.isdir(c):
            return os.path.abspath(c)
    return "/work/shared/corpora"


def load_yaml(path):
    text = open(path, encoding="utf-8").read()
    try:
        import yaml
        return yaml.safe_load(text) or {}
    except ImportError:
        return mini_yaml(text)


def mini_yaml(text):
    """Enough of YAML for info.yml: the rule id under rule_metadata and the entries of
    regression_tests_info (comments ignored)."""
    out, section, item = {"rule_metadata": [], "regression_tests_info": []}, None, None
    for raw in text.splitlines():
        line = raw.split(" #")[0].rstrip() if not raw.lstrip().startswith("#") else ""
        if not line.strip():
            continue
        if not line.startswith(" ") and line.endswith(":"):
            section = line[:-1]
            continue
        s = line.strip()
        if s.startswith("- "):
            item = {}
            if section in out:
                out[section].append(item)
            s = s[2:]
        if ":" in s and item is not None:
            k, v = s.split(":", 1)
            v = v.strip().strip("'\"")
            item[k.strip()] = int(v) if v.isdigit() else v
    return out


def cases(corpus):
    root = os.path.join(corpus, "sigma", "regression_data")
    for dirpath, _, files in sorted(os.walk(root)):
        if "info.yml" not in files:
            continue
        info = load_yaml(os.path.join(dirpath, "info.yml"))
        meta = info.get("rule_metadata") or []
        rule_id = meta[0].get("id") if meta else None
        title = meta[0].get("title") if meta else None
        for test in info.get("regression_tests_info") or []:
            if (test or {}).get("type") != "evtx" or not test.get("path"):
                continue
            path = os.path.join(corpus, "sigma", test["path"])
            yield {"rule": str(rule_id), "title": title, "path": os.path.normpath(path),
                   "count": test.get("match_count"), "info": os.path.join(dirpath, "info.yml")}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--corpus", default=default_corpus())
    ap.add_argument("--verbose", action="store_true")
    a = ap.parse_args()
    sigma = os.path.join(a.corpus, "sigma")
    rule_dirs = sorted(os.path.join(sigma, d) for d in os.listdir(sigma)
                       if d.startswith("rules") and os.path.isdir(os.path.join(sigma, d)))
    todo = list(cases(a.corpus))
    missing = [c for c in todo if not os.path.isfile(c["path"])]
    todo = [c for c in todo if os.path.isfile(c["path"])]
    files = sorted({c["path"] for c in todo})
    t0 = time.perf_counter()
    proc = subprocess.run([a.bin, "hunt", "--rules", *rule_dirs, *files],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    seconds = time.perf_counter() - t0
    diag = proc.stderr.decode("utf-8", "replace").splitlines()
    if proc.returncode != 0:
        print(f"ungcuu hunt exited {proc.returncode}:")
        for line in diag[-30:]:
            print("  " + line)
    fired = {}
    for line in proc.stdout.splitlines():
        try:
            m = json.loads(line)
        except ValueError:
            print(f"not JSON in the output: {line[:200]!r}")
            continue
        key = (m.get("rule_id"), os.path.normpath(m.get("file", "")))
        fired[key] = fired.get(key, 0) + 1
    unsupported = {}
    for line in diag:
        if line.startswith("rule unsupported: "):
            rest = line[len("rule unsupported: "):]
            if " (" in rest and "): " in rest:
                rid = rest.split(" (", 1)[1].split("): ", 1)[0]
                unsupported[rid] = rest.split("): ", 1)[1]

    failures, exceptions, count_notes, passed = [], [], [], 0
    for c in todo:
        n = fired.get((c["rule"], c["path"]), 0)
        if n == 0:
            if c["rule"] in KNOWN_EXCEPTIONS:
                exceptions.append((c, KNOWN_EXCEPTIONS[c["rule"]]))
            else:
                why = f" (ungcuu leaves the rule out: {unsupported[c['rule']]})" if c["rule"] in unsupported else ""
                failures.append((c, why))
            continue
        passed += 1
        if isinstance(c["count"], int) and c["count"] != n:
            count_notes.append((c, n))
        elif a.verbose:
            print(f"ok   {c['rule']} {c['title']}: {n} match(es)")

    for c, why in failures:
        print(f"FAIL {c['rule']} {c['title']!r} did not fire on {os.path.relpath(c['path'], a.corpus)}{why}")
    for c, reason in exceptions:
        print(f"known exception {c['rule']} {c['title']!r}: {reason}")
    for c, n in count_notes:
        print(f"note {c['rule']} {c['title']!r}: {n} matches, info.yml says {c['count']} "
              f"({os.path.relpath(c['path'], a.corpus)})")
    for c in missing:
        print(f"FAIL {c['rule']}: case file missing: {c['path']}")
    ok = not failures and not missing and proc.returncode == 0
    print(f"sigma regression: {passed}/{len(todo) + len(missing)} cases fire their rule, {len(failures) + len(missing)} failed, "
          f"{len(exceptions)} known exceptions, {len(count_notes)} with another match count; "
          f"hunt over {len(files)} files with {len(rule_dirs)} rule folders in {seconds:.1f} s")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
