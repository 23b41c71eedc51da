#!/usr/bin/env node
// The `observatory` command, unbundled (tsc's output). The package's bin is the bundle of the same program that
// build/bundle-cli.ts writes to dist/bin/ (cli/bin.ts); test/unit/cli-bundle.test.ts holds the two to each other.
import { main } from './program.js';

process.exitCode = await main(process.argv.slice(2));
