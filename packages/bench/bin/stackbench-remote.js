#!/usr/bin/env node
// Run by the orchestrator on remote hosts over ssh (packages/bench/src/bin/remote.ts).
import '../dist/src/bin/remote.js';
