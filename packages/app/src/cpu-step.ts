/**
 * The seed's CPU step was `for i in range(10000): 10 * 1000 * 1000`, which any JIT folds away.
 * Here each iteration depends on the previous one (an xorshift/multiply hash chain) and the
 * result is kept in an exported sink, so the work is observable and cannot be removed.
 */
let sink = 0;

export function cpuStep(iterations: number): number {
  let x = (sink ^ 0x9e3779b9) | 0;
  for (let i = 0; i < iterations; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    x = Math.imul(x, 0x2c1b3c6d) + i;
  }
  sink = x;
  return x;
}

/** The last CPU-step result; reading it keeps the computation alive for the optimiser. */
export function cpuSink(): number {
  return sink;
}
