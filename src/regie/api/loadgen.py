"""A cheap closed-loop HTTP load generator (one process, asyncio, no think time).

    python -m regie.api.loadgen < plan.json > result.json

The plan: ``{"port", "clients", "seconds", "seed", "weights": {kind: w}, "targets": {kind: [path]},
"headers": {kind: {name: value}}}``. Each of ``clients`` coroutines holds one connection, kept
alive while the server keeps it open (a server that answers ``Connection: close``, as
gunicorn's synchronous workers do, gets a new connection for the next request), and sends its
next request as soon as the previous answer is read (closed loop): a kind by weight, then a
path of that kind at random. Any status other than 200 or a broken
connection counts as an error of that kind. The result holds every latency (milliseconds) per
kind, the error counts, the elapsed time and this process's own processor time, so that the
benchmark can report how much of the machine the generator itself used.

Requests are written and answers parsed by hand (status line, ``Content-Length`` or chunked
body) on asyncio streams: a few tens of microseconds of processor time per request, against
several milliseconds with ``http.client`` in threads.
"""

from __future__ import annotations

import asyncio
import json
import random
import resource
import sys
import time
from typing import Any


class ResponseError(Exception):
    """The server answered something this generator cannot read."""


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bool]:
    """Read one response; return its status and whether the connection stays open."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    parts = lines[0].split(b" ", 2)
    if len(parts) < 2 or not parts[0].startswith(b"HTTP/1."):
        raise ResponseError(lines[0][:80].decode("latin-1"))
    status = int(parts[1])
    length = -1
    chunked = False
    keep_alive = True
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"content-length":
            length = int(value.strip())
        elif name == b"transfer-encoding" and b"chunked" in value.lower():
            chunked = True
        elif name == b"connection" and value.strip().lower() == b"close":
            keep_alive = False
    if chunked:
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    elif length >= 0:
        await reader.readexactly(length)
    else:
        await reader.read()  # no length: the body ends with the connection
        keep_alive = False
    return status, keep_alive


async def _client(
    plan: dict[str, Any], seed: int, stop: float, latencies: dict[str, list[float]], errors: dict[str, int]
) -> None:
    rng = random.Random(seed)  # noqa: S311  (load pattern, not security)
    kinds = [k for k, paths in plan["targets"].items() if paths and plan["weights"].get(k, 0) > 0]
    weights = [plan["weights"][k] for k in kinds]
    port = int(plan["port"])
    requests = {
        kind: [
            (
                f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                + "".join(f"{k}: {v}\r\n" for k, v in plan["headers"].get(kind, {}).items())
                + "\r\n"
            ).encode()
            for path in plan["targets"][kind]
        ]
        for kind in kinds
    }
    reader: asyncio.StreamReader | None = None
    writer: asyncio.StreamWriter | None = None
    while time.monotonic() < stop:
        kind = rng.choices(kinds, weights)[0]
        request = rng.choice(requests[kind])
        started = time.perf_counter()
        try:
            if writer is None or reader is None:
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(request)
            status, keep_alive = await asyncio.wait_for(_read_response(reader), timeout=60)
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, TimeoutError, ResponseError):
            errors[kind] += 1
            if writer is not None:
                writer.close()
            reader = writer = None
            continue
        elapsed = (time.perf_counter() - started) * 1000
        if status == 200:
            latencies[kind].append(elapsed)
        else:
            errors[kind] += 1
        if not keep_alive:
            writer.close()
            reader = writer = None
    if writer is not None:
        writer.close()


async def run_plan(plan: dict[str, Any]) -> dict[str, Any]:
    """Drive the plan; return latencies, errors, elapsed wall time and own processor time."""
    kinds = list(plan["targets"])
    latencies: dict[str, list[float]] = {k: [] for k in kinds}
    errors = dict.fromkeys(kinds, 0)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    started = time.monotonic()
    stop = started + float(plan["seconds"])
    seed = int(plan.get("seed", 1))
    await asyncio.gather(
        *(_client(plan, seed * 1000 + i, stop, latencies, errors) for i in range(int(plan["clients"])))
    )
    elapsed = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (after.ru_utime - usage.ru_utime) + (after.ru_stime - usage.ru_stime)
    return {"elapsed_s": elapsed, "cpu_s": cpu, "latencies_ms": latencies, "errors": errors}


def main() -> int:
    plan = json.load(sys.stdin)
    result = asyncio.run(run_plan(plan))
    json.dump(result, sys.stdout)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
