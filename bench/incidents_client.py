#!/usr/bin/env python3
"""Times UngCuu's case list, board and search: sequential requests, then a concurrent run (stdlib only).

Usage: incidents_client.py BASE_URL SERVER_PID SPEC.tsv [REQUESTS] [CONCURRENCY] [SECONDS]
SPEC.tsv lines: label<TAB>role<TAB>who<TAB>path, where who is "token:<bearer>" (API) or "login:<email>:<password>"
(pages, signed in through the form). Every query gets REQUESTS sequential requests (default 40) after two
warm-up ones, on one keep-alive connection; then the same mix runs from CONCURRENCY threads (default 8)
for SECONDS (default 20). Prints p50/p95/p99/max in milliseconds and the server's resident memory
(VmRSS sampled every 50 ms: the largest seen; VmHWM at the end).
"""
import http.client
import re
import sys
import threading
import time
import urllib.parse

BASE, PID, SPEC = sys.argv[1], sys.argv[2], sys.argv[3]
REQUESTS = int(sys.argv[4]) if len(sys.argv) > 4 else 40
CONCURRENCY = int(sys.argv[5]) if len(sys.argv) > 5 else 8
SECONDS = float(sys.argv[6]) if len(sys.argv) > 6 else 20
HOST = urllib.parse.urlparse(BASE)


def status_kib(field: str) -> int:
    with open(f"/proc/{PID}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


class Sampler(threading.Thread):
    def __init__(self):
        super().__init__(daemon=True)
        self.peak = 0
        self.stop = False

    def run(self):
        while not self.stop:
            self.peak = max(self.peak, status_kib("VmRSS"))
            time.sleep(0.05)


class Client:
    def __init__(self, who: str):
        self.headers = {}
        self.conn = http.client.HTTPConnection(HOST.hostname, HOST.port, timeout=120)
        if who.startswith("token:"):
            self.headers["Authorization"] = "Bearer " + who[6:]
        else:
            _, email, password = who.split(":", 2)
            self.sign_in(email, password)

    def request(self, method: str, path: str, body: bytes = None, headers: dict = None):
        h = dict(self.headers)
        h.update(headers or {})
        try:
            self.conn.request(method, path, body=body, headers=h)
            r = self.conn.getresponse()
        except (http.client.HTTPException, OSError):
            self.conn.close()
            self.conn = http.client.HTTPConnection(HOST.hostname, HOST.port, timeout=120)
            self.conn.request(method, path, body=body, headers=h)
            r = self.conn.getresponse()
        data = r.read()
        return r.status, r.getheaders(), data

    def sign_in(self, email: str, password: str):
        status, headers, body = self.request("GET", "/signin")
        cookies = {}
        for k, v in headers:
            if k.lower() == "set-cookie":
                name, _, rest = v.partition("=")
                cookies[name] = rest.split(";")[0]
        token = re.search(rb'name="_csrf" value="([^"]+)"', body).group(1).decode()
        self.headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        form = urllib.parse.urlencode({"_csrf": token, "email": email, "password": password, "next": "/"}).encode()
        status, headers, _ = self.request("POST", "/signin", form, {"Content-Type": "application/x-www-form-urlencoded"})
        if status not in (302, 303):
            sys.exit(f"sign-in of {email} answered {status}")
        for k, v in headers:
            if k.lower() == "set-cookie":
                name, _, rest = v.partition("=")
                cookies[name] = rest.split(";")[0]
        self.headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items() if v)

    def get(self, path: str):
        t = time.perf_counter()
        status, _, body = self.request("GET", path)
        return (time.perf_counter() - t) * 1000, status, body


def pct(values, p):
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))]


def main():
    spec = [line.rstrip("\n").split("\t") for line in open(SPEC) if line.strip() and not line.startswith("#")]
    clients = {}
    sampler = Sampler()
    sampler.start()
    rss_before = status_kib("VmRSS")
    print(f"server RSS before the runs: {rss_before / 1024:.0f} MiB")
    print(f"--- sequential: {REQUESTS} requests each (after 2 warm-up), one connection")
    print(f"{'query':44s} {'who':11s} {'status':>6s} {'total':>7s} {'p50':>7s} {'p95':>7s} {'p99':>7s} {'max':>7s}")
    for label, role, who, path in spec:
        client = clients.setdefault(who, Client(who))
        total = "-"
        for _ in range(2):
            _, status, body = client.get(path)
        m = re.search(rb'"total"\s*:\s*(\d+)', body)
        if m:
            total = m.group(1).decode()
        times = []
        for _ in range(REQUESTS):
            ms, status, _ = client.get(path)
            times.append(ms)
        print(f"{label:44s} {role:11s} {status:>6d} {total:>7s} {pct(times, 50):7.1f} {pct(times, 95):7.1f} {pct(times, 99):7.1f} {max(times):7.1f}",
              flush=True)
    print(f"server RSS after the sequential runs: {status_kib('VmRSS') / 1024:.0f} MiB (largest seen {sampler.peak / 1024:.0f} MiB)")

    print(f"--- concurrent: the same {len(spec)} queries in turn from {CONCURRENCY} connections for {SECONDS:.0f} s")
    results = {(label, role): [] for label, role, _, _ in spec}
    errors = [0]
    lock = threading.Lock()
    deadline = time.time() + SECONDS

    def worker(k):
        own = {}
        n = k
        while time.time() < deadline:
            label, role, who, path = spec[n % len(spec)]
            n += 1
            client = own.get(who) or own.setdefault(who, Client(who))
            ms, status, _ = client.get(path)
            with lock:
                results[(label, role)].append(ms)
                if status != 200:
                    errors[0] += 1

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(CONCURRENCY)]
    started = time.time()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.time() - started
    everything = [v for vs in results.values() for v in vs]
    print(f"{'query':44s} {'who':11s} {'n':>5s} {'p50':>7s} {'p99':>7s}")
    for (label, role), values in results.items():
        if values:
            print(f"{label:44s} {role:11s} {len(values):5d} {pct(values, 50):7.1f} {pct(values, 99):7.1f}")
    print(f"all: {len(everything)} requests in {elapsed:.1f} s = {len(everything) / elapsed:.1f} req/s, "
          f"p50 {pct(everything, 50):.1f} ms, p99 {pct(everything, 99):.1f} ms, non-200: {errors[0]}")
    sampler.stop = True
    print(f"server memory: VmRSS now {status_kib('VmRSS') / 1024:.0f} MiB, largest sampled {sampler.peak / 1024:.0f} MiB, "
          f"VmHWM {status_kib('VmHWM') / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
