#!/usr/bin/env node
// Thin launcher: the CLI is compiled to dist/ by `npm ci` (root `prepare` runs `tsc -b`).
import { main } from '../dist/src/main.js';
main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
