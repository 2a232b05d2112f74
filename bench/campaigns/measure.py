#!/usr/bin/env python3
"""Times GET requests on one kept-alive HTTP connection, one at a time, so each time is the
server's time for the answer plus a loopback round trip (measured by the client: from sending
the request to reading the last byte).

usage: measure.py HOST PORT PATH SECONDS   prints: count p50_ms p99_ms mean_ms
"""
import http.client
import sys
import time

host, port, path, seconds = sys.argv[1], int(sys.argv[2]), sys.argv[3], float(sys.argv[4])
conn = http.client.HTTPConnection(host, port)
times = []
for _ in range(3):  # warm-up
    conn.request("GET", path)
    conn.getresponse().read()
end = time.monotonic() + seconds
while time.monotonic() < end:
    t0 = time.perf_counter()
    conn.request("GET", path)
    r = conn.getresponse()
    r.read()
    times.append((time.perf_counter() - t0) * 1000)
    if r.status != 200:
        sys.exit(f"{path}: status {r.status}")
times.sort()
n = len(times)
print(n, f"{times[n // 2]:.2f}", f"{times[min(n - 1, int(n * 0.99))]:.2f}", f"{sum(times) / n:.2f}")
