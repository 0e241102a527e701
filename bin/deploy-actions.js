#!/usr/bin/env node
// The local runner: `deploy-actions <action> --<input> <value> …`. The code is bundled in dist/cli.
import '../dist/cli/index.js';
