import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import yaml from 'js-yaml';
import { observatoryBin } from './cli-bin.js';

/**
 * `observatory synth` of a spec (merged over the preset of `env`, else the spec's own) as a user runs it, into a
 * fresh folder; returns the output folder (`k8s/`, `compose/`, ...). Throws with the CLI's stderr on failure.
 */
export function synthToFolder(spec: unknown, env?: string, extraArgs: readonly string[] = []): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'observatory-synth-'));
  const specFile = path.join(dir, 'spec.yaml');
  fs.writeFileSync(specFile, yaml.dump(spec));
  const cli = observatoryBin();
  const args = [cli, 'synth', '--spec', specFile, '--out', path.join(dir, 'out'), ...(env ? ['--env', env] : []), ...extraArgs];
  const result = spawnSync(process.execPath, args, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`observatory synth exited ${result.status}:\n${result.stderr}`);
  return path.join(dir, 'out');
}
