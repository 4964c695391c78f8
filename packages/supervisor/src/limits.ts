/**
 * The supervisor's bounds, in one place so the README and the tests quote the same numbers. It is
 * meant to run on shared hosts: anything another local user can reach (the control endpoint, the
 * dashboard) is bounded before it is authenticated, and every count a request can set is capped.
 */

/** Most processes one watcher may run (`numprocesses`, `incr`). */
export const MAX_PROCESSES = 1024;

/** Longest control request line; past it the connection is dropped, before any authentication. */
export const MAX_REQUEST_BYTES = 64 * 1024;
/** Control connections held at once; one more is answered `SUPERVISOR_BUSY` and closed. */
export const MAX_CONTROL_CONNECTIONS = 64;
/** A TCP control connection must present the token within this long. */
export const AUTH_TIMEOUT_MS = 10_000;
/** A control connection that sends nothing (and streams nothing) for this long is closed. */
export const IDLE_TIMEOUT_MS = 5 * 60_000;

/** Largest dashboard request body; past it the answer is 413. */
export const MAX_BODY_BYTES = 64 * 1024;
/** Dashboard HTTP connections held at once; one more gets 503. */
export const MAX_DASHBOARD_CONNECTIONS = 64;
/** Open dashboard event streams (pages); one more gets 503. */
export const MAX_EVENT_STREAMS = 32;
/** Time a dashboard client has to send its request headers (slowloris). */
export const DASHBOARD_HEADERS_TIMEOUT_MS = 10_000;
