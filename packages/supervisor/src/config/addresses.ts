/**
 * Parsing of the two local addresses in `[supervisor]`: the control `endpoint` (a Unix socket
 * path or `tcp://HOST:PORT`) and the `dashboard` (`HOST:PORT`). Both are loopback-only unless the
 * config explicitly allows otherwise: they control processes, so they must not face a network.
 */
import { isIP } from 'node:net';
import { dirname, isAbsolute, resolve } from 'node:path';
import { splitHostPort } from '@stackbench/cli';
import type { DashboardAddress, Endpoint } from './types.js';

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

function hostPort(text: string): { host: string; port: number } | string {
  const parsed = splitHostPort(text);
  if (!parsed) return `${JSON.stringify(text)} is not HOST:PORT (e.g. 127.0.0.1:8100, [::1]:8100)`;
  const { host, port } = parsed;
  if (port > 65535) return `port ${port} is out of range 0..65535`;
  if (host !== 'localhost' && isIP(host) === 0) {
    return `host ${JSON.stringify(host)} must be an IP address or localhost`;
  }
  return { host, port };
}

/** Parses `endpoint`; a relative Unix path is relative to the config file's folder. */
export function parseEndpoint(text: string, configFile: string): Endpoint | string {
  if (text.startsWith('tcp://')) {
    const parsed = hostPort(text.slice('tcp://'.length));
    if (typeof parsed === 'string') return parsed;
    if (!isLoopback(parsed.host)) {
      return `TCP endpoint host ${parsed.host} is not loopback; use 127.0.0.1 or a Unix socket path`;
    }
    return { kind: 'tcp', ...parsed };
  }
  const path = text.startsWith('unix://') ? text.slice('unix://'.length) : text;
  if (path === '') return 'expected a Unix socket path or tcp://127.0.0.1:PORT';
  return { kind: 'unix', path: isAbsolute(path) ? path : resolve(dirname(configFile), path) };
}

/** Parses `dashboard = HOST:PORT`; non-loopback only with `dashboard_allow_remote = true`. */
export function parseDashboard(text: string, allowRemote: boolean): DashboardAddress | string {
  const parsed = hostPort(text);
  if (typeof parsed === 'string') return parsed;
  if (!allowRemote && !isLoopback(parsed.host)) {
    return `${parsed.host} is not a loopback address; use 127.0.0.1, or set dashboard_allow_remote = true to expose the dashboard on purpose`;
  }
  return parsed;
}

export function formatEndpoint(endpoint: Endpoint): string {
  if (endpoint.kind === 'unix') return endpoint.path;
  const host = endpoint.host.includes(':') ? `[${endpoint.host}]` : endpoint.host;
  return `tcp://${host}:${endpoint.port}`;
}
