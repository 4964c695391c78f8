/** Errors of the orchestrator (codes BENCH_*); only src/bin/*.ts maps them to exit codes. */
import { StackbenchError } from '@stackbench/cli';

/** A stacks/<name>.toml that does not parse or has a bad key: names the file, key and what is valid. */
export class StackDefinitionError extends StackbenchError {
  constructor(file: string, key: string, problem: string) {
    super('BENCH_BAD_STACK', `${file}: ${key}: ${problem}`, { exitCode: 2 });
  }
}

export class UnknownStackError extends StackbenchError {
  constructor(names: string[], valid: string[]) {
    super(
      'BENCH_UNKNOWN_STACK',
      `unknown stack${names.length > 1 ? 's' : ''} ${names.join(', ')}; valid stacks: ${valid.join(', ')}`,
      { exitCode: 2 },
    );
  }
}

/** Unknown profile name or a malformed profiles file. */
export class ProfileError extends StackbenchError {
  constructor(message: string) {
    super('BENCH_BAD_PROFILE', message, { exitCode: 2 });
  }
}

export class PortBusyError extends StackbenchError {
  constructor(port: number) {
    super(
      'BENCH_PORT_BUSY',
      `port ${port} on 127.0.0.1 is already in use; stop what listens there or pass --port 0 for a free port`,
      { exitCode: 2 },
    );
  }
}

export class OutputNotWritableError extends StackbenchError {
  constructor(dir: string, reason: string) {
    super('BENCH_OUTPUT_NOT_WRITABLE', `cannot write results to ${dir}: ${reason}`, {
      exitCode: 2,
    });
  }
}

/** `--resume SET` on something that is not an interrupted result set. */
export class ResumeError extends StackbenchError {
  constructor(message: string) {
    super('BENCH_RESUME', message, { exitCode: 2 });
  }
}

/** One stack failed (not ready in time, exited, wrong answers): recorded, and the matrix goes on. */
export class StackRunError extends StackbenchError {
  readonly logTail: string[];
  constructor(code: 'NOT_READY' | 'EXITED' | 'VERIFY_FAILED', message: string, logTail: string[]) {
    super(`BENCH_${code}`, message);
    this.logTail = logTail;
  }
}

/** The matrix was interrupted (SIGINT/SIGTERM); finished stacks are kept, `--resume` completes it. */
export class InterruptedError extends StackbenchError {
  constructor(setDir: string) {
    super(
      'BENCH_INTERRUPTED',
      `interrupted; finished stacks are kept in ${setDir}; complete the set with --resume ${setDir}`,
      { exitCode: 130 },
    );
  }
}

/** A value cannot be written safely where a template puts it (a newline in a path, a bad app). */
export class TemplateValueError extends StackbenchError {
  constructor(where: string, placeholder: string, value: string, problem: string) {
    super(
      'BENCH_TEMPLATE_VALUE',
      `${where}: {${placeholder}} = ${JSON.stringify(value)} ${problem}`,
      { exitCode: 2 },
    );
  }
}

/** --stacks-dir is missing or not a directory. */
export class StacksDirError extends StackbenchError {
  constructor(dir: string, reason: string) {
    super(
      'BENCH_NO_STACKS_DIR',
      `stacks directory ${dir}: ${reason}; run from the workspace root or pass --stacks-dir DIR (the directory holding profiles.toml and the stack definitions)`,
      { exitCode: 2 },
    );
  }
}

/** The pull-request check could not do a step (a git ref, a base measurement, a set it reads). */
export class PrCheckError extends StackbenchError {
  constructor(message: string) {
    super('BENCH_PR_CHECK', message, { exitCode: 2 });
  }
}

/** A --hosts file that does not parse or has a bad key: names the file, key and what is valid. */
export class HostsFileError extends StackbenchError {
  constructor(file: string, key: string, problem: string) {
    super('BENCH_BAD_HOSTS', `${file}: ${key}: ${problem}`, { exitCode: 2 });
  }
}

/** OpenSSH could not reach or log in to a host (ssh exit 255), or a remote command failed. */
export class SshError extends StackbenchError {
  constructor(host: string, message: string) {
    super('BENCH_SSH', `${host}: ${message}`, { exitCode: 2 });
  }
}

/** A host lacks something provisioning needs: says what and how to fix it. */
export class ProvisionError extends StackbenchError {
  constructor(host: string, message: string) {
    super('BENCH_PROVISION', `${host}: ${message}`, { exitCode: 2 });
  }
}

/** A driver host failed or disconnected during a window: the window's load is incomplete. */
export class DriverError extends StackbenchError {
  constructor(
    readonly driver: string,
    readonly detail: string,
  ) {
    super('BENCH_DRIVER_FAILED', `driver ${driver}: ${detail}`);
  }
}

/** `--twin STACK[:ENV=VALUE,...]` that names no stack of the set or a bad parameter. */
export class TwinError extends StackbenchError {
  constructor(given: string, problem: string) {
    super('BENCH_BAD_TWIN', `--twin ${given}: ${problem}`, { exitCode: 2 });
  }
}

/** `--budget` that is not a duration. */
export class BudgetError extends StackbenchError {
  constructor(given: string) {
    super(
      'BENCH_BAD_BUDGET',
      `--budget ${given}: not a duration; give seconds or a number with a unit, e.g. 900, 15m, 1.5h`,
      { exitCode: 2 },
    );
  }
}

/** An A/B set (`bench:ab`) that cannot be made: a stack missing on one side, a bad --head-env. */
export class AbError extends StackbenchError {
  constructor(message: string) {
    super('BENCH_AB', message, { exitCode: 2 });
  }
}

/** bench:ab could not make a ref's worktree (resolve, add, install, build); nothing of it is left. */
export class AbTreeError extends StackbenchError {
  constructor(
    readonly ref: string,
    readonly step: 'resolve' | 'add' | 'install' | 'build' | 'remove',
    detail: string,
    options: { interrupted?: boolean; cause?: unknown } = {},
  ) {
    super('BENCH_AB_TREE', `bench:ab ${ref}: ${step}: ${detail}`, {
      exitCode: options.interrupted ? 130 : 2,
      cause: options.cause,
    });
  }
}

/** stacks/worker-memory.json that does not hold what bench:worker-rss writes. */
export class WorkerMemoryFileError extends StackbenchError {
  constructor(file: string, key: string, problem: string) {
    super(
      'BENCH_BAD_WORKER_MEMORY',
      `${file}: ${key}: ${problem}; npm run bench:worker-rss rewrites the file`,
      { exitCode: 2 },
    );
  }
}

/** A set the host cannot hold (memory, open files, ports): refused before anything starts. */
export class HostBudgetError extends StackbenchError {
  constructor(problems: string[], line: string) {
    super('BENCH_HOST_BUDGET', `the host cannot run this set: ${problems.join('; ')} (${line})`, {
      exitCode: 2,
    });
  }
}
