import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** New, empty output folders for a benchmark's runs, under one temporary folder. */
export interface OutputFolders {
  /** A path no run has used yet (synth creates it). */
  next(): string;
  /** Removes every folder handed out. Call it once the timed runs are done. */
  removeAll(): void;
}

/**
 * Every run writes into a new folder, and all of them are removed only after the timed runs: removing a synth's
 * output between runs slowed this machine's file creation (ext4 mounted with `discard`) from 3-4 ms to 110 ms for
 * the 72 files and 50 folders of a synth, for tens of seconds after the removals stopped: the benchmark would
 * measure its own clean-up, which a bare node start never pays (docs/ARCHITECTURE.md, "Light to load").
 */
export function outputFolders(prefix: string): OutputFolders {
  const parent = mkdtempSync(join(tmpdir(), prefix));
  let handedOut = 0;
  return {
    next: () => join(parent, String(handedOut++)),
    removeAll: () => rmSync(parent, { recursive: true, force: true }),
  };
}
