#!/usr/bin/env python3
"""Generates NVD CVE JSON 2.0 feed files and a component inventory for bench/cve_matching.sh.

  make_cve_feed.py OUTDIR RECORDS COMPONENTS

Records copy the shapes of the real ones in ../shared/corpora/nvd/vunnel (metrics, weaknesses, references,
configurations with OR nodes of version ranges and exact versions, AND "running on" platform nodes), with
vendor:product pairs from the official CPE dictionary sample (../shared/corpora/nvd/syft) plus generated ones,
so that a realistic share of records hits the inventory. Feeds are split into files of 25,000 records, like NVD's
yearly feeds; the inventory is {"systems":[{"code","name","components":[{name,vendor,product,version,cpe}]}]}.
"""
import html
import json
import os
import random
import re
import sys

random.seed(7)
HERE = os.path.dirname(os.path.abspath(__file__))
DICT = os.path.join(HERE, "..", "..", "shared", "corpora", "nvd", "syft", "official-cpe-dictionary_v2.3.xml")


def products():
    pairs = set()
    if os.path.exists(DICT):
        for m in re.finditer(r'cpe23-item name="cpe:2\.3:a:([^:]+):([^:]+):', open(DICT, encoding="utf-8").read()):
            pairs.add((html.unescape(m.group(1)), html.unescape(m.group(2))))
    pairs = sorted(pairs)
    # Pad with generated names so the product space is NVD-sized (tens of thousands of products).
    pairs += [(f"vendor{i}", f"product{i % 7}_{i}") for i in range(40000)]
    return pairs


def version(r):
    return f"{r.randint(0, 12)}.{r.randint(0, 20)}.{r.randint(0, 40)}"


def record(i, pairs, r):
    vendor, product = r.choice(pairs)
    matches = []
    for _ in range(r.randint(1, 4)):
        if r.random() < 0.6:
            lo, hi = sorted([version(r), version(r)], key=lambda v: [int(x) for x in v.split(".")])
            m = {"vulnerable": True, "criteria": f"cpe:2.3:a:{vendor}:{product}:*:*:*:*:*:*:*:*",
                 ("versionStartIncluding" if r.random() < 0.5 else "versionStartExcluding"): lo,
                 ("versionEndExcluding" if r.random() < 0.7 else "versionEndIncluding"): hi}
        else:
            m = {"vulnerable": True, "criteria": f"cpe:2.3:a:{vendor}:{product}:{version(r)}:*:*:*:*:*:*:*"}
        m["matchCriteriaId"] = f"{i:08X}-0000-0000-0000-{len(matches):012X}"
        matches.append(m)
    config = {"nodes": [{"operator": "OR", "negate": False, "cpeMatch": matches}]}
    if r.random() < 0.15:
        config = {"operator": "AND", "nodes": [config["nodes"][0], {"operator": "OR", "negate": False, "cpeMatch": [
            {"vulnerable": False, "criteria": "cpe:2.3:o:microsoft:windows:-:*:*:*:*:*:*:*", "matchCriteriaId": "A0000000-0000-0000-0000-000000000000"}]}]}
    score = round(r.uniform(2, 10), 1)
    return {"cve": {
        "id": f"CVE-{2000 + i % 26}-{100000 + i}", "sourceIdentifier": "cve@mitre.org", "published": "2024-01-02T10:15:00.000",
        "lastModified": "2024-06-01T00:00:00.000", "vulnStatus": "Analyzed",
        "descriptions": [{"lang": "en", "value": f"A flaw in {vendor} {product} allows remote attackers to cause a denial of service."}],
        "metrics": {"cvssMetricV31": [{"source": "nvd@nist.gov", "type": "Primary", "cvssData": {
            "version": "3.1", "vectorString": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H", "baseScore": score,
            "baseSeverity": "CRITICAL" if score >= 9 else "HIGH" if score >= 7 else "MEDIUM" if score >= 4 else "LOW"},
            "exploitabilityScore": 3.9, "impactScore": 3.6}]},
        "weaknesses": [{"source": "nvd@nist.gov", "type": "Primary", "description": [{"lang": "en", "value": "CWE-400"}]}],
        "configurations": [config],
        "references": [{"url": f"https://example.org/advisories/{i}", "source": "cve@mitre.org"}]}}


def main():
    out, records, components = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    os.makedirs(out, exist_ok=True)
    pairs = products()
    r = random.Random(11)
    per_file = 25000
    for f in range(0, records, per_file):
        n = min(per_file, records - f)
        with open(os.path.join(out, f"nvdcve-2.0-{f // per_file:02d}.json"), "w", buffering=1 << 20) as fh:
            fh.write('{"resultsPerPage": %d, "startIndex": %d, "totalResults": %d, "format": "NVD_CVE", "version": "2.0", '
                     '"timestamp": "2026-11-25T00:00:00.000", "vulnerabilities": [' % (n, f, records))
            for k in range(n):
                fh.write(("," if k else "") + json.dumps(record(f + k, pairs, r), separators=(",", ":")))
            fh.write("]}\n")
    systems = []
    cr = random.Random(3)
    for s in range(components // 20):
        comps = []
        for c in range(20):
            vendor, product = cr.choice(pairs)
            v = version(cr)
            comps.append({"name": f"{vendor} {product}", "vendor": vendor, "product": product, "version": v} |
                         ({"cpe": f"cpe:2.3:a:{vendor}:{product}:{v}:*:*:*:*:*:*:*"} if c % 2 else {}))
        systems.append({"code": f"HT-{s + 1:04d}", "name": f"Hệ thống {s + 1}", "components": comps})
    json.dump({"systems": systems}, open(os.path.join(out, "inventory.json"), "w"), ensure_ascii=False)


if __name__ == "__main__":
    main()
