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

The other workloads' paths answer first, as in the Node app (``workload-routes.ts``):
``/plaintext``, ``/json`` and ``/db[?queries=N]`` (rows of the ``world`` table the orchestrator
filled, read through a ``psycopg_pool.ConnectionPool`` of ``STACKBENCH_DB_POOL`` connections per
process, made at the first /db request: psycopg is imported only then, so the app runs without it
when /db is not asked; the connection is libpq's PGHOST, PGPORT, PGDATABASE, PGUSER).

Only ``STACKBENCH_WRITE_MODE=sync`` exists here (Python's ``os.write`` blocks, as in the seed); any
other value is refused at import, as are non-numeric or negative numbers.
"""

import json
import os
import random
import sys
import tempfile
import threading
import time
from urllib.parse import parse_qs

_MASK = 0xFFFFFFFF


def _count(name, default):
    raw = os.environ.get(name, "")
    if raw == "":
        return default
    if not raw.strip().isdigit():
        raise ValueError("%s=%r is not valid: expected a whole number >= 0" % (name, raw))
    return int(raw)


def _positive(name, default):
    value = _count(name, default)
    if value < 1:
        raise ValueError("%s=%r is not valid: expected a whole number >= 1" % (name, os.environ[name]))
    return value


def _mode():
    raw = os.environ.get("STACKBENCH_WRITE_MODE", "") or "sync"
    if raw != "sync":
        raise ValueError("STACKBENCH_WRITE_MODE=%r is not valid here: expected sync" % raw)
    return raw


CPU_ITERATIONS = _count("STACKBENCH_CPU_ITERATIONS", 10000)
SLEEP_S = _count("STACKBENCH_SLEEP_MS", 100) / 1000.0
WRITES = _count("STACKBENCH_WRITES", 10000)
WRITE_MODE = _mode()
DB_ROWS = _positive("STACKBENCH_DB_ROWS", 10000)
DB_POOL = _positive("STACKBENCH_DB_POOL", 1)
MAX_QUERIES = 500
PLAINTEXT = b"Hello, World!"

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


_pool = None
_pool_lock = threading.Lock()


def _db_pool():
    """The process's pool, made at the first /db request (after gunicorn's fork)."""
    global _pool
    with _pool_lock:
        if _pool is None:
            from psycopg_pool import ConnectionPool  # lazily: only /db needs psycopg

            # "": libpq's environment (PGHOST, PGPORT, PGDATABASE, PGUSER)
            _pool = ConnectionPool("", min_size=DB_POOL, max_size=DB_POOL, timeout=10, open=True)
        return _pool


def queries_of(query_string):
    """None without ``queries`` (one row, an object); else TFB's bounds: 1..500, 1 when unreadable."""
    values = parse_qs(query_string, keep_blank_values=True).get("queries")
    if values is None:
        return None
    try:
        n = int(values[0])
    except ValueError:
        return 1
    return min(max(n, 1), MAX_QUERIES)


def db_rows(count):
    """``count`` rows (None: one) by random id, sequentially on one pooled connection."""
    rows = []
    with _db_pool().connection() as conn:
        with conn.cursor() as cur:
            for _ in range(count or 1):
                cur.execute("SELECT id, randomnumber FROM world WHERE id = %s", (random.randint(1, DB_ROWS),))
                row = cur.fetchone()
                rows.append({"id": row[0], "randomNumber": row[1]})
    return rows[0] if count is None else rows


def _answer(start_response, status, content_type, body):
    start_response(status, [("Content-Type", content_type), ("Content-Length", str(len(body)))])
    return [body]


def workload_route(environ, start_response):
    """The answer at a workload path, or None (the seed's work answers every other path)."""
    path = environ.get("PATH_INFO", "")
    if path == "/plaintext":
        return _answer(start_response, "200 OK", "text/plain", PLAINTEXT)
    if path == "/json":
        body = json.dumps({"message": "Hello, World!"}).encode("ascii")
        return _answer(start_response, "200 OK", "application/json", body)
    if path == "/db":
        try:
            rows = db_rows(queries_of(environ.get("QUERY_STRING", "")))
        except Exception as error:  # any db failure is this request's 500, never the worker's end
            print("bench_app: /db: %s" % error, file=sys.stderr, flush=True)
            return _answer(start_response, "500 Internal Server Error", "text/plain", b"Database Error\n")
        return _answer(start_response, "200 OK", "application/json", json.dumps(rows).encode("ascii"))
    return None


def bench_app(environ, start_response):
    answer = workload_route(environ, start_response)
    if answer is not None:
        return answer
    start = time.time()
    cpu_step(CPU_ITERATIONS)
    if SLEEP_S > 0:
        time.sleep(SLEEP_S)
    write_scratch_file(WRITES)
    body = ("%.4f" % (time.time() - start)).encode("ascii")
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]
