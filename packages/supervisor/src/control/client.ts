/**
 * Client side of the control endpoint, used by `stackbench-ctl`, the tests and the benchmark:
 * `ControlClient.connect(endpoint)`, then `request(...)` for one answer or `stream(...)` for
 * `events` / `stats` with follow. An error answer is re-raised as `RemoteError` with its code.
 */
import net from 'node:net';
import { createInterface, type Interface } from 'node:readline';
import type { CommandName, RequestOf, ResultOf } from '../commands/index.js';
import { formatEndpoint } from '../config/addresses.js';
import type { Endpoint } from '../config/types.js';
import { EndpointUnreachableError, RemoteError } from '../errors.js';
import type { WireLine, WireResponse, WireStreamItem } from './protocol.js';

export class ControlClient {
  private nextId = 1;
  private readonly waiting = new Map<number, (line: WireResponse) => void>();
  private readonly streams = new Map<number, (item: WireStreamItem) => void>();
  private readonly lines: Interface;
  private closedError: Error | undefined;

  private constructor(
    private readonly socket: net.Socket,
    private readonly label: string,
    private readonly token: string | undefined,
  ) {
    this.lines = createInterface({ input: socket, crlfDelay: Number.POSITIVE_INFINITY });
    this.lines.on('line', (text) => this.onLine(text));
    this.lines.on('error', () => socket.destroy());
    socket.on('close', () => {
      this.closedError = new EndpointUnreachableError(label, 'connection closed');
      for (const reject of this.waiting.values()) {
        reject({
          ok: false,
          error: { code: 'SUPERVISOR_UNREACHABLE', message: this.closedError.message, exitCode: 1 },
        });
      }
      this.waiting.clear();
      this.onClose?.();
    });
  }

  /** Called once when the supervisor closes the connection (it quit). */
  onClose: (() => void) | undefined;

  static connect(endpoint: Endpoint, options: { token?: string; timeoutMs?: number } = {}) {
    const label = formatEndpoint(endpoint);
    return new Promise<ControlClient>((resolve, reject) => {
      const socket =
        endpoint.kind === 'unix'
          ? net.connect(endpoint.path)
          : net.connect(endpoint.port, endpoint.host);
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new EndpointUnreachableError(label, 'connect timed out'));
      }, options.timeoutMs ?? 5000);
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.on('error', () => {});
        resolve(new ControlClient(socket, label, options.token));
      });
      socket.once('error', (error: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        reject(new EndpointUnreachableError(label, error.code ?? error.message));
      });
    });
  }

  private onLine(text: string): void {
    let line: WireLine;
    try {
      line = JSON.parse(text) as WireLine;
    } catch {
      return;
    }
    const id = Number(line.id);
    if ('ok' in line) {
      this.waiting.get(id)?.(line);
      this.waiting.delete(id);
    } else {
      this.streams.get(id)?.(line);
    }
  }

  private send(
    request: object,
    onItem?: (item: WireStreamItem) => void,
  ): Promise<{ id: number; response: WireResponse }> {
    if (this.closedError) return Promise.reject(this.closedError);
    const id = this.nextId++;
    // Registered before sending: items may arrive in the same chunk as the answer.
    if (onItem) this.streams.set(id, onItem);
    const body = { id, ...request, ...(this.token ? { token: this.token } : {}) };
    return new Promise((resolve) => {
      this.waiting.set(id, (response) => resolve({ id, response }));
      this.socket.write(`${JSON.stringify(body)}\n`);
    });
  }

  /** Sends one request and returns its result; an error answer throws `RemoteError`. */
  async request<C extends CommandName>(
    request: RequestOf<C> & { command: C },
  ): Promise<ResultOf<C>> {
    const { response } = await this.send(request);
    if (!response.ok) {
      throw new RemoteError(response.error.code, response.error.message, response.error.exitCode);
    }
    return response.result as ResultOf<C>;
  }

  /**
   * Starts a stream (`{command:'events'}` or `{command:'stats', follow:true}`); `onItem` gets each
   * event or snapshot. Resolves once the supervisor accepted it.
   */
  async stream(request: object, onItem: (item: WireStreamItem) => void): Promise<void> {
    const { id, response } = await this.send(request, onItem);
    if (!response.ok) {
      this.streams.delete(id);
      throw new RemoteError(response.error.code, response.error.message, response.error.exitCode);
    }
  }

  close(): void {
    this.lines.close();
    this.socket.destroy();
  }

  get endpoint(): string {
    return this.label;
  }
}
