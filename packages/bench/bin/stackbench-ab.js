#!/usr/bin/env node
// Committed and executable so the bin works right after `npm ci`; the code is compiled TypeScript.
import '../dist/src/bin/ab.js';
