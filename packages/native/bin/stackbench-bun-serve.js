#!/usr/bin/env bun
// Committed and executable; runs on Bun (the code is compiled TypeScript): bun stackbench-bun-serve.js
import '../dist/src/bin/bun-serve.js';
