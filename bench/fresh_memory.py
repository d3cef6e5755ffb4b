#!/usr/bin/env python3
"""What this machine's kernel charges for memory a process touches for the first time.

    python3 bench/fresh_memory.py 0.4 3      # GiB; one measurement per size, in that order

Maps anonymous memory of each size and writes one byte per 4 KiB page, then prints the system
time per GiB. A build of 100,000 cases touches about 3 GiB, one of 10,000 about 0.4 GiB; where
the cost per GiB differs between those sizes (it does on virtual machines whose host backs guest
memory lazily), part of the difference in cost per page between the two builds is the machine's,
not the generator's. See bench/README.md.
"""
import mmap
import resource
import sys
import time


def touch(gib: float) -> None:
    size = int(gib * 1024**3)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_stime
    start = time.time()
    region = mmap.mmap(-1, size)
    for offset in range(0, size, 4096):
        region[offset] = 1
    region.close()
    system = resource.getrusage(resource.RUSAGE_SELF).ru_stime - before
    print(f"{gib:g} GiB: {time.time() - start:.2f} s wall, {system:.2f} s system, "
          f"{system / gib:.2f} s system per GiB")


if __name__ == "__main__":
    for arg in sys.argv[1:] or ["0.4", "3"]:
        touch(float(arg))
