#!/usr/bin/env python3
"""Times EVTX -> JSON over the same files: the Rust evtx crate (records_json, 1 thread) and `ungcuu evtx`.
Each side runs 3 times; the best run counts (the machine is shared). Prints records/s and peak RSS."""
import argparse, glob, os, resource, subprocess, sys, time
from evtx import PyEvtxParser

ap = argparse.ArgumentParser()
ap.add_argument("--bin", required=True)
ap.add_argument("--runs", type=int, default=3)
ap.add_argument("paths", nargs="+")
a = ap.parse_args()
files = []
for p in a.paths:
    files += sorted(glob.glob(os.path.join(p, "**", "*.evtx"), recursive=True)) if os.path.isdir(p) else [p]
size = sum(os.path.getsize(f) for f in files)

def rust():
    n = 0
    for f in files:
        try:
            for _ in PyEvtxParser(f, number_of_threads=1).records_json():
                n += 1
        except Exception:
            pass
    return n

def ours():
    r = subprocess.run([a.bin, "evtx", *files], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    return r.stdout.count(b"\n")

def best(fn):
    t, n = None, 0
    for _ in range(a.runs):
        t0 = time.perf_counter(); n = fn(); dt = time.perf_counter() - t0
        t = dt if t is None or dt < t else t
    return n, t

print(f"{len(files)} files, {size / 1e6:.1f} MB")
rn, rt = best(rust)
print(f"evtx crate (Rust, PyPI 0.14, 1 thread, records_json): {rn:>8} records in {rt:6.2f} s -> {rn / rt:>10,.0f} records/s")
# ungcuu evtx writes through a pipe we read; the Rust side builds Python strings: both produce JSON text.
on, ot = best(ours)
ru = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(f"ungcuu evtx (Swift, 1 thread, JSON lines):             {on:>8} records in {ot:6.2f} s -> {on / ot:>10,.0f} records/s, peak RSS {ru:.0f} MiB")
print(f"ratio: ungcuu is {(on / ot) / (rn / rt):.2f}x the crate's speed" + ("" if on == rn else f"  (record counts differ: {on} vs {rn})"))
