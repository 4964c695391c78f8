"""The seed's ``chaussette.util.bench_app``, ported to Python 3 for the reference stacks.

Same three steps and parameters as ``@stackbench/app``'s ``benchApp`` (read from the same
environment variables, with the seed's values as defaults), so that gunicorn + gevent serves
exactly the work the Node stacks serve:

1. CPU: ``STACKBENCH_CPU_ITERATIONS`` iterations of the same xorshift/multiply hash chain (the
   seed's ``10 * 1000 * 1000`` is a constant; this is real work, kept in a module-level sink).
2. Sleep: ``STACKBENCH_SLEEP_MS`` with ``time.sleep`` (gevent's worker patches it to yield).
3. Writes: ``STACKBENCH_WRITES`` small ``os.write`` calls of the loop index's decimal text to a
   fresh ``tempfile.mkstemp`` file. Unlike the seed, the fd is closed and the file removed (as soon
   as it is open, so that a killed worker leaves no file).

Only ``STACKBENCH_WRITE_MODE=sync`` exists here (Python's ``os.write`` blocks, as in the seed); any
other value is refused at import, as are non-numeric or negative numbers.
"""

import os
import tempfile
import time

_MASK = 0xFFFFFFFF


def _count(name, default):
    raw = os.environ.get(name, "")
    if raw == "":
        return default
    if not raw.strip().isdigit():
        raise ValueError("%s=%r is not valid: expected a whole number >= 0" % (name, raw))
    return int(raw)


def _mode():
    raw = os.environ.get("STACKBENCH_WRITE_MODE", "") or "sync"
    if raw != "sync":
        raise ValueError("STACKBENCH_WRITE_MODE=%r is not valid here: expected sync" % raw)
    return raw


CPU_ITERATIONS = _count("STACKBENCH_CPU_ITERATIONS", 10000)
SLEEP_S = _count("STACKBENCH_SLEEP_MS", 100) / 1000.0
WRITES = _count("STACKBENCH_WRITES", 10000)
WRITE_MODE = _mode()

_sink = 0


def cpu_step(iterations):
    """32-bit xorshift/multiply chain, bit-for-bit the JavaScript one's arithmetic."""
    global _sink
    x = (_sink ^ 0x9E3779B9) & _MASK
    for i in range(iterations):
        x ^= (x << 13) & _MASK
        x ^= x >> 17
        x ^= (x << 5) & _MASK
        x = ((x * 0x2C1B3C6D) + i) & _MASK
    _sink = x
    return x


def write_scratch_file(writes):
    fd, path = tempfile.mkstemp(prefix="stackbench-")
    try:
        # nameless from here on: a worker killed mid-request leaves no file (as the Node port)
        os.unlink(path)
        for i in range(writes):
            os.write(fd, str(i).encode("ascii"))
    finally:
        os.close(fd)


def bench_app(environ, start_response):
    start = time.time()
    cpu_step(CPU_ITERATIONS)
    if SLEEP_S > 0:
        time.sleep(SLEEP_S)
    write_scratch_file(WRITES)
    body = ("%.4f" % (time.time() - start)).encode("ascii")
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]
