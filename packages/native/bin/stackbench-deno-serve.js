#!/usr/bin/env -S deno run --allow-all --unstable-net
// Committed and executable; runs on Deno (the code is compiled TypeScript):
// deno run --allow-all --unstable-net stackbench-deno-serve.js (reusePort is behind --unstable-net)
import '../dist/src/bin/deno-serve.js';
