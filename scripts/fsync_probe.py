#!/usr/bin/env python3
"""How long this machine's disk takes to make a write durable: writes 16 KiB and fsyncs it, over
and over, for the given number of seconds, in the given directory, and prints the distribution.

A saved answer is not reported saved until its commit is fsynced (full sync, as DESIGN requires),
so the save benchmark's tail latency can be no better than the disk's: a 300 ms fsync stall holds
every save queued behind it. bench_web.sh runs this after its load runs to show what the disk was
doing that hour."""

import os
import sys
import time


def main():
    seconds, directory = float(sys.argv[1]), sys.argv[2]
    path = os.path.join(directory, "fsync-probe.bin")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
    block = os.urandom(16384)
    times, offset = [], 0
    end = time.monotonic() + seconds
    try:
        while time.monotonic() < end:
            os.pwrite(fd, block, offset)
            offset = (offset + len(block)) % (16 << 20)
            start = time.perf_counter()
            os.fsync(fd)
            times.append(time.perf_counter() - start)
    finally:
        os.close(fd)
        os.remove(path)
    times.sort()
    ms = lambda q: times[min(len(times) - 1, int(q * len(times)))] * 1000
    stalls = sum(1 for t in times if t > 0.030)
    print(
        f"{len(times)} fsyncs in {seconds:g} s: p50 {ms(0.5):.2f} ms, p99 {ms(0.99):.2f} ms, "
        f"max {times[-1] * 1000:.1f} ms; {stalls} over 30 ms"
    )


if __name__ == "__main__":
    main()
