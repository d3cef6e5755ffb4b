#!/usr/bin/env python3
"""Edit-to-reload latency of `xiezuo serve` (stdlib only; driven by bench/reload.sh).

    python3 bench/reload.py XIEZUO_BIN SITE_DIR [--edits 20] [--pause 1.5]

Starts `XIEZUO_BIN serve SITE_DIR --port 0`, waits for the first build, and connects to the
build-state stream (/__xiezuo/events) as an open page's reload script does. Then, EDITS times:
appends one sentence to one case (the middle one of cases/), and measures from just before the
write to the arrival of the state that makes the page reload (a higher generation). For an
edit of a body that state follows the early render of the edited page; serve then rebuilds
the rest of the site (lists, search index, feeds), whose time is printed beside. After each
reload event the case's page is fetched and must show the new sentence. Between edits it waits
PAUSE seconds and for the full rebuild, so every edit is measured as a lone save.
"""
from __future__ import annotations

import argparse
import json
import queue
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time


BUILT = re.compile(r"^(?:已构建：|Built: ).*(?:用时 ([0-9]+) 毫秒|in ([0-9]+) ms)$")


def start_serve(binary: str, site: str, builds: queue.Queue) -> tuple[subprocess.Popen, str, float]:
    started = time.monotonic()
    proc = subprocess.Popen(
        [binary, "serve", site, "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert proc.stdout is not None
    for line in proc.stdout:
        sys.stderr.write("[serve] " + line)
        m = re.search(r"serving at http://([0-9.]+:[0-9]+)/", line)
        if m:
            first_build = time.monotonic() - started
            # Keep reading its output, so that it never blocks on a full pipe, for build times.
            def drain() -> None:
                for later in proc.stdout:
                    m = BUILT.match(later)
                    if m:
                        builds.put(float(m.group(1) or m.group(2)))
                    elif not later.startswith("已构建"):
                        sys.stderr.write("[serve] " + later)

            threading.Thread(target=drain, daemon=True).start()
            return proc, m.group(1), first_build
    raise SystemExit("serve exited before it was ready")


class Stream:
    """The build-state stream, read line by line."""

    def __init__(self, addr: str):
        host, port = addr.rsplit(":", 1)
        self.sock = socket.create_connection((host, int(port)))
        self.sock.sendall(
            f"GET /__xiezuo/events HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n".encode()
        )
        self.file = self.sock.makefile("rb")
        status = self.file.readline()
        if b" 200 " not in status:
            raise SystemExit(f"event stream refused: {status!r}")
        while self.file.readline() not in (b"\r\n", b"\n", b""):
            pass

    def next_state(self) -> dict:
        while True:
            line = self.file.readline()
            if not line:
                raise SystemExit("event stream closed")
            if line.startswith(b"data: "):
                return json.loads(line[6:])


def reloads(state: dict, shown: int, url: str) -> bool:
    """Whether a page at `url` showing generation `shown` reloads on `state` (as reload.js
    decides): a later generation changed it, or every page, or the changes are not all listed."""
    changes = state.get("changes") or []
    if state["generation"] < shown or not changes or changes[0][0] > shown + 1:
        return state["generation"] != shown
    return any(g > shown and (pages is None or url in pages) for g, pages in changes)


def get(addr: str, path: str) -> str:
    host, port = addr.rsplit(":", 1)
    with socket.create_connection((host, int(port))) as s:
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    return data.decode("utf-8", "replace")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("site")
    ap.add_argument("--edits", type=int, default=20)
    ap.add_argument("--pause", type=float, default=1.5)
    args = ap.parse_args()

    cases = sorted(os.listdir(os.path.join(args.site, "content", "cases")))
    case = cases[len(cases) // 2]
    path = os.path.join(args.site, "content", "cases", case)
    builds: queue.Queue = queue.Queue()
    proc, addr, first_build = start_serve(args.binary, args.site, builds)
    try:
        stream = Stream(addr)
        generation = stream.next_state()["generation"]
        times, build_times = [], []
        url = f"/cases/{case.removesuffix('.md')}/"
        for i in range(args.edits):
            time.sleep(args.pause)
            while not builds.empty():
                builds.get()
            sentence = f"\n第 {i + 1} 次测量时追加的一句话。\n"
            t0 = time.perf_counter()
            with open(path, "a", encoding="utf-8") as f:
                f.write(sentence)
            while True:
                state = stream.next_state()
                if state["overlay"] is not None:
                    raise SystemExit(f"the edit broke the build: {state['overlay']}")
                if reloads(state, generation, url):
                    break
                # A generation that did not change this page (the end of the last rebuild).
                generation = max(generation, state["generation"])
            elapsed = (time.perf_counter() - t0) * 1000
            generation = state["generation"]
            times.append(elapsed)
            # What the reloading page gets must show the edit.
            slug = case.removesuffix(".md")
            if sentence.strip() not in get(addr, f"/cases/{slug}/"):
                raise SystemExit(f"edit {i + 1}: /cases/{slug}/ does not show it after the reload event")
            # The full rebuild follows the early render; wait for it before the next edit.
            build = builds.get(timeout=60)
            build_times.append(build)
            print(f"edit {i + 1:2d}: {elapsed:7.1f} ms (full rebuild {build:6.0f} ms)", flush=True)
        print(f"cases: {len(cases)}; first build {first_build:.2f} s; edit-to-reload over {len(times)} edits: "
              f"median {statistics.median(times):.1f} ms, min {min(times):.1f} ms, max {max(times):.1f} ms; "
              f"the full rebuild that follows: median {statistics.median(build_times):.0f} ms")
    finally:
        proc.terminate()
        proc.wait()


if __name__ == "__main__":
    main()
