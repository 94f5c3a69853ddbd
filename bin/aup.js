#!/usr/bin/env node
// The `aup` command: runs the committed bundle, so it works right after `npm ci` without a build.
import '../dist/cli/index.js';
