#!/usr/bin/env node
// The committed CLI shim: runs the built code (the root `prepare` script builds it on npm ci).
import { main } from '../dist/src/cli/main.js';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`gatehouse: ${error?.stack ?? error}\n`);
    process.exitCode = 1;
  },
);
