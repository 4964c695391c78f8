/** Errors of the report package (codes REPORT_*); only src/bin/*.ts maps them to exit codes. */
import { StackbenchError } from '@stackbench/cli';

/** A result set directory or one of its files is missing or not what the schema says. */
export class ResultSetError extends StackbenchError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('REPORT_BAD_RESULT_SET', message, { exitCode: 2, ...options });
  }
}

/** Two result sets that cannot be compared (different profile hash or host class). */
export class IncomparableSetsError extends StackbenchError {
  constructor(message: string) {
    super('REPORT_INCOMPARABLE', message, { exitCode: 2 });
  }
}

/** Rendering a chart failed (a bug in a spec, or vega could not render it). */
export class ChartRenderError extends StackbenchError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('REPORT_CHART_RENDER', message, options);
  }
}
