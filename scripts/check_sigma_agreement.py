#!/usr/bin/env python3
"""Agreement of `ungcuu hunt` with the pySigma SQLite reference (the approach of Zircolite).

usage: check_sigma_agreement.py --bin UNGCUU [--python PY] [--corpus DIR] [--bench DIR] [--rules DIR] [--work DIR]
  --bin     the ungcuu binary (or any program taking `hunt --rules PATH... EVENTS...`)
  --python  a Python with the reference tools: the `evtx` package, pySigma with the SQLite backend and the
            Sysmon and Windows pipelines, orjson (default: this Python)
  --corpus  the shared corpora (default /work/shared/corpora, else ../shared/corpora beside the repo)
  --bench   the shared bench folder with flatten_evtx.py and sigma_sqlite_reference.py (default beside --corpus)
  --rules   the rules to compare (default CORPUS/sigma/rules/windows)
  --work    keep the intermediate files there (default: a temporary folder, removed)

Steps: flatten CORPUS/evtx to JSON lines with flatten_evtx.py; run sigma_sqlite_reference.py --matches on
them; run `ungcuu hunt --rules RULES events.jsonl`; compare, for every rule both support, the sets of
matched events (by line). Every disagreement is printed with its class; a disagreement of a documented
class (docs/sigma-agreement.md) is explained, any other is unexplained. Rules only one side can apply are
listed with the reason. The last line is a summary. Exit status 1 if any disagreement is unexplained."""
import argparse, collections, json, os, re, shutil, subprocess, sys, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)

# Run the reference in-process so its --matches file is closed (the script leaves it to interpreter
# shutdown, which does not always flush it), and dump which rules pySigma could convert, and why not.
REFERENCE_RUNNER = r'''
import json, runpy, sys
script, status_path = sys.argv[1], sys.argv[2]
sys.argv = [script] + sys.argv[3:]
g = runpy.run_path(script, run_name="__main__")
if g.get("out"):
    g["out"].close()
converted = {rid for rid, _, _ in g["queries"]}
errors = {}
for rule, err in getattr(g["backend"], "errors", []):
    errors[str(getattr(rule, "id", ""))] = f"{type(err).__name__}: {err}"
rules = []
for r in g["coll"].rules:
    rid = str(getattr(r, "id", ""))
    errs = [f"{type(e).__name__}: {e}" for e in (getattr(r, "errors", None) or [])]
    ls = getattr(r, "logsource", None)
    rules.append({"id": rid, "title": str(getattr(r, "title", "")), "converted": rid in converted,
                  "reason": errors.get(rid) or "; ".join(errs) or ("no query" if rid not in converted else ""),
                  "category": getattr(ls, "category", None), "product": getattr(ls, "product", None),
                  "service": getattr(ls, "service", None)})
json.dump(rules, open(status_path, "w"))
'''

CLASSES = {
    "security-4688": "ungcuu also applies process_creation rules to Security event 4688 (field mapping in "
                     "docs/sigma-agreement.md); the reference knows only Sysmon event 1",
    "non-ascii-case": "a non-ASCII letter compared without regard to case: ungcuu lowercases all of Unicode, "
                      "SQLite's NOCASE collation and LIKE fold only A-Z",
    "text-comparison": "lt/lte/gt/gte: ungcuu compares numbers, SQLite compares the TEXT column as text",
    "cidr-pattern": "cidr: ungcuu tests address membership, the reference turns the network into LIKE "
                    "prefixes that also match text that is no address",
    "null-exists": "exists/null on a field present with a null value: ungcuu follows the specification "
                   "(present), the reference stores JSON null as SQL NULL (absent)",
    "field-name-spaces": "ungcuu finds a field whose event name has spaces under the name Sigma rules write without "
                         "them (Defender's 'Threat Name' is ThreatName); the reference's columns keep the spaces",
}


def default_corpus():
    for c in ("/work/shared/corpora", os.path.join(REPO, "..", "shared", "corpora")):
        if os.path.isdir(c):
            return os.path.abspath(c)
    return "/work/shared/corpora"


def run(cmd, **kw):
    t0 = time.perf_counter()
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kw)
    return p, time.perf_counter() - t0


def load_rule_texts(rules_dir):
    """id -> (path, text, parsed YAML or None) for the rule files under rules_dir."""
    try:
        import yaml
    except ImportError:
        yaml = None
    out = {}
    for dirpath, _, files in os.walk(rules_dir):
        for f in files:
            if not f.endswith((".yml", ".yaml")):
                continue
            path = os.path.join(dirpath, f)
            text = open(path, encoding="utf-8", errors="replace").read()
            docs = []
            if yaml:
                try:
                    docs = [d for d in yaml.safe_load_all(text) if isinstance(d, dict)]
                except Exception:
                    docs = []
            if docs:
                for d in docs:
                    if d.get("id"):
                        out[str(d["id"])] = (path, text, d)
            else:
                m = re.search(r"^id:\s*['\"]?([0-9a-fA-F-]+)", text, re.M)
                if m:
                    out[m.group(1)] = (path, text, None)
    return out


def detection_fields(doc):
    """Field names a rule's detection reads, lowercased, and whether it uses some modifiers."""
    fields, mods, strings = set(), set(), []

    def walk(node):
        if isinstance(node, dict):
            for k, v in node.items():
                if isinstance(k, str) and k not in ("condition", "timeframe"):
                    parts = k.split("|")
                    if parts[0]:
                        fields.add(parts[0].lower())
                    mods.update(parts[1:])
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)
        elif isinstance(node, str):
            strings.append(node)

    if doc:
        walk({k: v for k, v in (doc.get("detection") or {}).items() if k != "condition"})
    return fields, mods, strings


def has_case_sensitive_non_ascii(s):
    return any(ord(ch) > 127 and (ch.lower() != ch or ch.upper() != ch) for ch in s)


def classify(side, rule_info, event, doc):
    """The documented class of one disagreement, or None."""
    cat = (rule_info or {}).get("category") or ((doc or {}).get("logsource") or {}).get("category")
    if side == "ungcuu-only" and cat == "process_creation" and str(event.get("Channel")) == "Security" \
            and str(event.get("EventID")) == "4688":
        return "security-4688"
    fields, mods, strings = detection_fields(doc)
    if side == "ungcuu-only" and any(" " in k and k.replace(" ", "").lower() in fields for k in event):
        return "field-name-spaces"
    values = [str(v) for k, v in event.items() if k.lower() in fields and v is not None]
    if any(has_case_sensitive_non_ascii(v) for v in values + strings):
        return "non-ascii-case"
    if mods & {"lt", "lte", "gt", "gte"}:
        return "text-comparison"
    if "cidr" in mods:
        return "cidr-pattern"
    if "exists" in mods and any(k.lower() in fields and v is None for k, v in event.items()):
        return "null-exists"
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--python", default=sys.executable)
    ap.add_argument("--corpus", default=default_corpus())
    ap.add_argument("--bench")
    ap.add_argument("--rules")
    ap.add_argument("--work")
    a = ap.parse_args()
    bench = a.bench or os.path.join(os.path.dirname(os.path.abspath(a.corpus)), "bench")
    rules_dir = a.rules or os.path.join(a.corpus, "sigma", "rules", "windows")
    work = a.work or tempfile.mkdtemp(prefix="sigma-agreement-")
    os.makedirs(work, exist_ok=True)
    try:
        return compare(a, bench, rules_dir, work)
    finally:
        if not a.work:
            shutil.rmtree(work, ignore_errors=True)


def compare(a, bench, rules_dir, work):
    events_path = os.path.join(work, "events.jsonl")
    p, t_flat = run([a.python, os.path.join(bench, "flatten_evtx.py"), events_path, os.path.join(a.corpus, "evtx")])
    if p.returncode != 0:
        print(p.stderr.decode()[-3000:])
        print("sigma agreement: FAILED to flatten the EVTX corpus")
        return 1
    events = [json.loads(line) for line in open(events_path, "rb")]

    ref_path, status_path = os.path.join(work, "reference.jsonl"), os.path.join(work, "reference-rules.json")
    runner = os.path.join(work, "run_reference.py")
    open(runner, "w").write(REFERENCE_RUNNER)
    p, t_ref = run([a.python, runner, os.path.join(bench, "sigma_sqlite_reference.py"), status_path,
                    "--events", events_path, "--rules", rules_dir, "--matches", ref_path])
    if p.returncode != 0:
        print(p.stderr.decode()[-3000:])
        print("sigma agreement: FAILED to run the reference")
        return 1
    ref_rules = {r["id"]: r for r in json.load(open(status_path))}
    ref = {}
    for line in open(ref_path, "rb"):
        m = json.loads(line)
        ref.setdefault(m["id"], set()).update(m["lines"])

    p, t_ours = run([a.bin, "hunt", "--rules", rules_dir, events_path])
    diag = p.stderr.decode("utf-8", "replace").splitlines()
    if p.returncode != 0:
        print("\n".join(diag[-30:]))
        print(f"sigma agreement: FAILED, ungcuu hunt exited {p.returncode}")
        return 1
    ours, ours_titles = {}, {}
    for line in p.stdout.splitlines():
        m = json.loads(line)
        ours.setdefault(m["rule_id"], set()).add(m["line"] - 1)
        ours_titles[m["rule_id"]] = m.get("title")
    ours_unsupported = {}
    for line in diag:
        if line.startswith("rule unsupported: ") and " (" in line and "): " in line:
            rest = line[len("rule unsupported: "):]
            rid = rest.split(" (", 1)[1].split("): ", 1)[0]
            ours_unsupported[rid] = rest.split("): ", 1)[1]
    rule_errors = [l for l in diag if l.startswith("rule error: ")]

    texts = load_rule_texts(rules_dir)
    all_ids = set(texts) | set(ref_rules)
    both = sorted(i for i in all_ids if ref_rules.get(i, {}).get("converted") and i not in ours_unsupported and i in texts)
    only_ref = sorted(i for i in all_ids if ref_rules.get(i, {}).get("converted") and (i in ours_unsupported or i not in texts))
    only_ours = sorted(i for i in all_ids if i in texts and i not in ours_unsupported and not ref_rules.get(i, {}).get("converted"))

    print(f"events: {len(events)} (flattened in {t_flat:.1f} s); reference {t_ref:.1f} s, ungcuu hunt {t_ours:.1f} s")
    print(f"rules: {len(all_ids)}; both apply {len(both)}; only the reference {len(only_ref)}; only ungcuu {len(only_ours)}")
    for rid in only_ref:
        print(f"  only the reference applies {rid}: ungcuu leaves it out: {ours_unsupported.get(rid, 'rule file not read')}")
    for rid in only_ours:
        r = ref_rules.get(rid, {})
        title = r.get("title") or (texts[rid][2] or {}).get("title", "")
        fired = len(ours.get(rid, ()))
        print(f"  only ungcuu applies {rid} {title!r} ({fired} matches): pySigma cannot convert it: "
              f"{r.get('reason') or 'not loaded by pySigma'}")
    for l in rule_errors:
        print("  " + l)

    by_class = collections.Counter()
    by_class_rules = collections.defaultdict(set)
    unexplained = 0
    agreeing = 0
    print("disagreements (rule, side, event line (1-based), class):")
    for rid in both:
        r, o = ref.get(rid, set()), ours.get(rid, set())
        if r == o:
            agreeing += 1
            continue
        path, text, doc = texts[rid]
        title = (doc or {}).get("title") or ref_rules.get(rid, {}).get("title", "")
        for side, lines in (("reference-only", sorted(r - o)), ("ungcuu-only", sorted(o - r))):
            for i in lines:
                ev = events[i] if 0 <= i < len(events) else {}
                cls = classify(side, ref_rules.get(rid), ev, doc)
                if cls is None:
                    unexplained += 1
                    label = "UNEXPLAINED"
                else:
                    label = cls
                by_class[label] += 1
                by_class_rules[label].add(rid)
                print(f"  {rid} {title!r} {side} line {i + 1} ({ev.get('Channel')}/{ev.get('EventID')}, "
                      f"{os.path.basename(str(ev.get('_file', '')))} record {ev.get('_record')}): {label}")
    print("classes:")
    for label, n in by_class.most_common():
        print(f"  {label}: {n} events in {len(by_class_rules[label])} rules — {CLASSES.get(label, 'not a documented class')}")
    total = sum(by_class.values())
    status = "OK" if unexplained == 0 else "FAILED"
    print(f"sigma agreement {status}: {len(both)} rules both apply, {agreeing} agree exactly, "
          f"{total} disagreeing rule/event pairs in {len({r for s in by_class_rules.values() for r in s})} rules, "
          f"{unexplained} unexplained; {len(only_ref)} rules only the reference applies, {len(only_ours)} only ungcuu")
    return 0 if unexplained == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
