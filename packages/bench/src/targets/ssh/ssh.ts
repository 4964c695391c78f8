/**
 * Remote commands through OpenSSH's own client (execa), with connection multiplexing: the first
 * command opens a master connection (ControlMaster=auto) that later commands reuse, so a command
 * costs a channel, not a handshake. Host keys are checked as the user's ssh config says (the
 * hosts file refuses StrictHostKeyChecking=no); BatchMode: never a password prompt that hangs.
 * Every argument is quoted for the remote shell (shell-words.ts); the destination follows `--`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { SshError } from '../../errors.js';
import type { HostEntry } from './hosts-file.js';
import { commandLine } from './shell-words.js';

export interface RunResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export interface RunOptions {
  input?: string;
  timeoutMs?: number;
}

/** ssh's own exit status when the connection or login failed (not the remote command). */
const SSH_FAILED = 255;

let controlDir: string | null = null;
/** One private directory for the master sockets of this process (short: sun_path is 108 bytes). */
function controlPath(): string {
  if (!controlDir) {
    controlDir = mkdtempSync(join(tmpdir(), 'sb-ssh-'));
    process.on('exit', () => rmSync(controlDir as string, { recursive: true, force: true }));
  }
  return join(controlDir, '%C');
}

function hint(stderr: string): string {
  if (/Host key verification failed|REMOTE HOST IDENTIFICATION HAS CHANGED/.test(stderr)) {
    return '; the host key is unknown or changed: add the right key to known_hosts (ssh-keyscan the host, compare the fingerprint with the host console)';
  }
  if (/Permission denied/.test(stderr)) {
    return '; login refused: check the user, the identity file (identity = …) or the agent';
  }
  if (/Connection refused|No route to host|timed out|Could not resolve/.test(stderr)) {
    return '; the host is unreachable: check the address, port and that sshd runs';
  }
  return '';
}

export class SshHost {
  constructor(
    readonly entry: HostEntry,
    private readonly sshConfig: string | null,
  ) {}

  get label(): string {
    return `${this.entry.name} (${this.entry.destination})`;
  }

  /**
   * The ssh options before the destination. `mux`: share the master connection (commands);
   * otherwise a connection of its own (a stack's watchdog, held for the stack's life, must not
   * take one of the master's sessions: sshd allows MaxSessions, 10 by default, per connection).
   */
  args(mux = true): string[] {
    const e = this.entry;
    const args = this.sshConfig ? ['-F', this.sshConfig] : [];
    args.push('-o', 'BatchMode=yes');
    if (mux) {
      args.push(
        '-o',
        'ControlMaster=auto',
        '-o',
        `ControlPath=${controlPath()}`,
        '-o',
        'ControlPersist=30',
      );
    } else args.push('-o', 'ControlMaster=no', '-o', 'ControlPath=none');
    args.push(
      // this side notices a dropped link within 15 s (the remote side by sshd's ClientAlive*)
      '-o',
      'ServerAliveInterval=5',
      '-o',
      'ServerAliveCountMax=3',
    );
    if (e.port !== null) args.push('-p', String(e.port));
    if (e.identity !== null) args.push('-i', e.identity);
    if (e.jump !== null) args.push('-J', e.jump);
    for (const option of e.options) args.push('-o', option);
    return args;
  }

  /** argv of ssh running `command` (each element one remote word). */
  argv(command: readonly string[], mux = true): string[] {
    return [...this.args(mux), '--', this.entry.destination, commandLine(command)];
  }

  /** Runs a remote command; a connection or login failure throws SshError, other exits are returned. */
  async run(command: readonly string[], options: RunOptions = {}): Promise<RunResult> {
    const result = await execa('ssh', this.argv(command), {
      reject: false,
      ...(options.input === undefined ? { stdin: 'ignore' } : { input: options.input }),
      ...(options.timeoutMs ? { timeout: options.timeoutMs } : {}),
      stripFinalNewline: false,
    });
    const stderr = String(result.stderr ?? '');
    if (result.timedOut) {
      throw new SshError(this.label, `${command[0]} did not answer within ${options.timeoutMs} ms`);
    }
    if (result.exitCode === SSH_FAILED || result.exitCode === undefined) {
      const last = stderr.trim().split('\n').slice(-2).join(' / ');
      throw new SshError(this.label, `ssh failed: ${last || result.shortMessage}${hint(stderr)}`);
    }
    return { stdout: String(result.stdout ?? ''), stderr, exitCode: result.exitCode };
  }

  /** Runs a remote command that must succeed; throws SshError with its stderr otherwise. */
  async check(command: readonly string[], options: RunOptions = {}): Promise<string> {
    const result = await this.run(command, options);
    if (result.exitCode !== 0) {
      const tail = result.stderr.trim().split('\n').slice(-5).join('\n');
      throw new SshError(
        this.label,
        `${commandLine(command.slice(0, 4))}… exited with ${result.exitCode}: ${tail}`,
      );
    }
    return result.stdout;
  }

  /**
   * A long-running remote command with its stdin a pipe held open by this process: when this
   * process ends, however, the pipe closes and the remote command's stdin ends.
   */
  spawn(
    command: readonly string[],
    mux = true,
  ): ResultPromise<{
    stdin: 'pipe';
    stdout: 'pipe';
    stderr: 'pipe';
    reject: false;
    buffer: false;
  }> {
    return execa('ssh', this.argv(command, mux), {
      stdin: 'pipe',
      stdout: 'pipe',
      stderr: 'pipe',
      reject: false,
      buffer: false,
    });
  }

  /** Ends the master connection (and with it every channel still open on it). */
  async close(): Promise<void> {
    await execa('ssh', [...this.args(), '-O', 'exit', '--', this.entry.destination], {
      reject: false,
      stdin: 'ignore',
      timeout: 10_000,
    });
  }
}
