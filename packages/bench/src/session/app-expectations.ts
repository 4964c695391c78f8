/**
 * What a correct answer of each known app looks like, for readiness, verification and the
 * load driver's success rule. Any other app only has to answer 200.
 */
import type { Expectation } from './readiness.js';

const KNOWN: Record<string, Expectation> = {
  '@stackbench/app:benchApp': { status: 200, contentType: 'text/plain', body: /^\d+\.\d{4}$/ },
  '@stackbench/app:helloApp': { status: 200, contentType: 'text/plain', body: /^Hello, World!$/ },
};

export function expectationFor(app: string): Expectation {
  return KNOWN[app] ?? { status: 200, contentType: '', body: /[\s\S]*/ };
}
