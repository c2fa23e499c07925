#!/usr/bin/env python3
"""N real dnsd processes on loopback: how fast membership completes from a seed-only start,
and how fast a heartbeat on one node is answered by DNS on all of them.

Every node joins only the seed (n1). Times are measured by polling each node's DNS port
(plain UDP queries built here, no resolver library) every few milliseconds, and converted to
rounds by dividing by --interval. Every process started here is stopped at the end (and dies
with this script through PR_SET_PDEATHSIG if the script itself is killed).
"""
import argparse
import ctypes
import os
import random
import shutil
import signal
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import time
import urllib.request

PR_SET_PDEATHSIG = 1


def free_port():
    """A port free for both TCP and UDP on 127.0.0.1 a moment ago (dnsd binds both)."""
    for _ in range(100):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as tcp:
            tcp.bind(("127.0.0.1", 0))
            port = tcp.getsockname()[1]
            try:
                with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
                    udp.bind(("127.0.0.1", port))
            except OSError:
                continue
            if port not in free_port.used:
                free_port.used.add(port)
                return port
    raise RuntimeError("no free port")


free_port.used = set()


def encode_name(name):
    out = b""
    for label in name.rstrip(".").split("."):
        out += bytes([len(label)]) + label.encode()
    return out + b"\0"


def skip_name(msg, pos):
    while True:
        length = msg[pos]
        if length & 0xC0 == 0xC0:
            return pos + 2
        if length == 0:
            return pos + 1
        pos += 1 + length


def exchange(port, packet, tcp, timeout):
    kind = socket.SOCK_STREAM if tcp else socket.SOCK_DGRAM
    with socket.socket(socket.AF_INET, kind) as sock:
        sock.settimeout(timeout)
        try:
            if not tcp:
                sock.sendto(packet, ("127.0.0.1", port))
                return sock.recv(65535)
            sock.connect(("127.0.0.1", port))
            sock.sendall(struct.pack(">H", len(packet)) + packet)
            data = b""
            while len(data) < 2 or len(data) < 2 + struct.unpack(">H", data[:2])[0]:
                chunk = sock.recv(65535)
                if not chunk:
                    return None
                data += chunk
            return data[2:]
        except OSError:
            return None


def query(port, name, qtype, timeout=0.5):
    """(rcode, number of answer records of qtype), or None on timeout / bad reply.
    With EDNS (1232 bytes): 20 SRV records and their addresses do not fit the plain 512; a
    truncated answer is asked again over TCP."""
    qid = random.randrange(65536)
    opt = b"\0" + struct.pack(">HHIH", 41, 1232, 0, 0)
    packet = (struct.pack(">HHHHHH", qid, 0, 1, 0, 0, 1) + encode_name(name) + struct.pack(">HH", qtype, 1)
              + opt)
    msg = exchange(port, packet, False, timeout)
    if msg is not None and len(msg) >= 12 and struct.unpack(">H", msg[2:4])[0] & 0x0200:
        msg = exchange(port, packet, True, timeout)
    if msg is None or len(msg) < 12:
        return None
    rid, flags, qd, an, _, _ = struct.unpack(">HHHHHH", msg[:12])
    if rid != qid:
        return None
    pos = 12
    for _ in range(qd):
        pos = skip_name(msg, pos) + 4
    count = 0
    for _ in range(an):
        pos = skip_name(msg, pos)
        rtype, _, _, rdlen = struct.unpack(">HHIH", msg[pos:pos + 10])
        pos += 10 + rdlen
        count += rtype == qtype
    return flags & 0xF, count


SRV, A = 33, 1


def gossip_bytes(port):
    """Request bodies this node sent plus reply bodies it received (dnsd_gossip_bytes_total,
    both directions, from GET /metrics; 0 when absent). Summed over all nodes this counts every
    gossip body once, as the in-process benchmark does."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=2.0) as response:
            text = response.read().decode()
    except Exception:  # noqa: BLE001
        return 0
    total = 0.0
    for line in text.splitlines():
        if line.startswith("dnsd_gossip_bytes_total{"):
            total += float(line.rsplit(" ", 1)[1])
    return total


def http(port, method, path, body=None, timeout=2.0):
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", method=method,
                                 data=body.encode() if body else None,
                                 headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:
            return response.status
    except Exception:  # noqa: BLE001 - any failure is "not answered" here
        return 0


class Node:
    def __init__(self, binary, name, workdir, interval, join):
        self.name = name
        self.dns = free_port()
        self.http = free_port()
        self.dir = os.path.join(workdir, name)
        os.makedirs(self.dir)
        self.log = open(os.path.join(self.dir, "dnsd.log"), "wb")
        args = [binary, "--dns", f"127.0.0.1:{self.dns}", "--http", f"127.0.0.1:{self.http}",
                "--data-dir", os.path.join(self.dir, "data"), "--node-name", name,
                "--threads", "1", "--log-level", "info", "--gossip-interval", str(interval)]
        for address in join:
            args += ["--join", address]
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        self.proc = subprocess.Popen(args, stdout=self.log, stderr=self.log, stdin=subprocess.DEVNULL,
                                     preexec_fn=lambda: libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL))

    @property
    def address(self):
        return f"127.0.0.1:{self.http}"

    def healthy(self):
        return http(self.http, "GET", "/healthz", timeout=0.5) == 200

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self.log.close()


def wait_all(nodes, done, bound_s, step_s=0.01):
    """Seconds until done(node) held for every node (checked node by node, a node once done
    stays counted), or None at the bound."""
    began = time.monotonic()
    pending = list(nodes)
    while pending:
        pending = [n for n in pending if not done(n)]
        if not pending:
            break
        if time.monotonic() - began > bound_s:
            return None
        time.sleep(step_s)
    return time.monotonic() - began


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dnsd", required=True)
    parser.add_argument("--nodes", type=int, default=20)
    parser.add_argument("--interval", type=float, default=0.5)
    parser.add_argument("--heartbeats", type=int, default=5)
    parser.add_argument("--bound", type=float, default=30.0, help="seconds, per measurement")
    opts = parser.parse_args()

    workdir = tempfile.mkdtemp(prefix="dnsd-bench-")
    nodes = []

    def stop_all(*_):
        for node in nodes:
            node.stop()
        shutil.rmtree(workdir, ignore_errors=True)

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    try:
        seed = Node(opts.dnsd, "n1", workdir, opts.interval, [])
        nodes.append(seed)
        if wait_all([seed], Node.healthy, 10) is None:
            raise RuntimeError("the seed did not become healthy")
        for i in range(2, opts.nodes + 1):
            nodes.append(Node(opts.dnsd, f"n{i}", workdir, opts.interval, [seed.address]))
        launched = time.monotonic()  # membership is timed from here: start-up is part of it
        started = wait_all(nodes, Node.healthy, 20)
        if started is None:
            sick = next(node for node in nodes if not node.healthy())
            with open(os.path.join(sick.dir, "dnsd.log"), "rb") as log:
                tail = log.read()[-2000:].decode(errors="replace")
            raise RuntimeError(f"{sick.name} did not become healthy; its log ends:\n{tail}")
        n = len(nodes)
        membership = wait_all(nodes, lambda node: (query(node.dns, "dnsd.svc", SRV) or (0, 0))[1] == n,
                              opts.bound)
        print(f"N={n} real processes, gossip interval {opts.interval} s, every node --join n1 only")
        print(f"all healthy (GET /healthz 200) {started:.2f} s after the last was launched")
        if membership is None:
            print(f"membership: NOT complete within {opts.bound} s")
        else:
            membership = time.monotonic() - launched
            print(f"membership complete (every node lists {n} in SRV dnsd.svc): {membership:.2f} s "
                  f"after the last node was launched = {membership / opts.interval:.1f} rounds")

        spread = []
        for k in range(opts.heartbeats):
            at = nodes[(k * 7 + 3) % n]
            service = f"probe-{k}"
            body = f'{{"service":"{service}","id":"i{k}","address":"10.9.0.{k + 1}","port":8080,"ttl":120}}'
            began = time.monotonic()
            if http(at.http, "POST", "/v1/heartbeat", body) != 200:
                raise RuntimeError(f"heartbeat to {at.name} failed")
            took = wait_all(nodes, lambda node: (query(node.dns, f"{service}.svc", A) or (9, 0))[1] >= 1,
                            opts.bound)
            took = None if took is None else time.monotonic() - began
            spread.append(took)
            print(f"heartbeat {k} on {at.name}: answered by DNS on all {n} after "
                  + (f"{took:.3f} s = {took / opts.interval:.1f} rounds" if took is not None else "NEVER"))
            time.sleep(opts.interval * 1.3)
        ok = [s for s in spread if s is not None]
        if ok:
            print(f"heartbeat spread: median {statistics.median(ok):.3f} s = "
                  f"{statistics.median(ok) / opts.interval:.1f} rounds, max {max(ok):.3f} s = "
                  f"{max(ok) / opts.interval:.1f} rounds ({len(spread) - len(ok)} never)")
        elapsed_rounds = (time.monotonic() - launched) / opts.interval
        total = sum(gossip_bytes(node.http) for node in nodes)
        print(f"gossip bytes (HTTP bodies, requests + replies): {total / (n * elapsed_rounds):.0f} per node per round "
              f"(over {elapsed_rounds:.0f} rounds since launch)")
        return 0 if membership is not None and len(ok) == len(spread) else 1
    finally:
        stop_all()


if __name__ == "__main__":
    sys.exit(main())
