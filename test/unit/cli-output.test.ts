import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { observatoryBin } from '../helpers/cli-bin.js';

const cli = observatoryBin();
const synth = (cwd: string, ...args: string[]) => spawnSync(process.execPath, [cli, 'synth', ...args], { encoding: 'utf8', cwd });

/** An infra repo's own files, in the folders synth writes into. */
const userFiles = {
  'k8s/my-app.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: my-app}\n',
  'dashboards/team.json': '{"uid": "team"}\n',
  'runbooks/database.md': '# Database\n',
  'compose/config/my-service/app.conf': 'port=1\n',
};

let repo: string;
function infraRepo(): string {
  repo = mkdtempSync(join(tmpdir(), 'observatory-infra-repo-'));
  for (const [file, content] of Object.entries(userFiles)) {
    mkdirSync(join(repo, file, '..'), { recursive: true });
    writeFileSync(join(repo, file), content);
  }
  return repo;
}
afterEach(() => rmSync(repo, { recursive: true, force: true }));

beforeAll(() => {
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run "npm run build" first (npm test does)`);
});

describe('synth into a folder that holds other files', () => {
  it('keeps every file it did not write, across synths that remove their own stale files', () => {
    const dir = infraRepo();
    const first = synth(dir, '--out', '.');
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    const second = synth(dir, '--out', '.', '--env', 'prod');
    expect(second.stderr).toBe('');
    expect(second.status).toBe(0);
    for (const [file, content] of Object.entries(userFiles)) expect(readFileSync(join(dir, file), 'utf8'), file).toBe(content);
    // The local preset writes Loki's config and the prod one too; the sample app's SLO runbook only exists on local.
    expect(existsSync(join(dir, 'runbooks', 'SloErrorBudgetBurn.md'))).toBe(false);
    expect(existsSync(join(dir, 'k8s', 'loki.yaml'))).toBe(true);
  });

  it('refuses to overwrite a file at a generated path that it did not write, naming it, and writes nothing', () => {
    const dir = infraRepo();
    writeFileSync(join(dir, 'k8s', 'loki.yaml'), 'mine\n');
    const result = synth(dir, '--out', '.');
    expect(result.status).toBe(1);
    expect(result.stderr).toBe('observatory: refusing to overwrite 1 file(s) that synth did not write: k8s/loki.yaml (move them away, or pass --overwrite)\nNothing was written.\n');
    expect(readFileSync(join(dir, 'k8s', 'loki.yaml'), 'utf8')).toBe('mine\n');
    expect(existsSync(join(dir, 'k8s', 'grafana.yaml'))).toBe(false);
    const forced = synth(dir, '--out', '.', '--overwrite');
    expect(forced.status).toBe(0);
    expect(readFileSync(join(dir, 'k8s', 'loki.yaml'), 'utf8')).toMatch(/kind: StatefulSet/);
    expect(readFileSync(join(dir, 'k8s', 'my-app.yaml'), 'utf8')).toBe(userFiles['k8s/my-app.yaml']);
  });

  it('reports a file-system error in one line with exit 1', () => {
    const dir = infraRepo();
    const notAFolder = join(dir, 'README.md');
    writeFileSync(notAFolder, '# repo\n');
    const result = synth(dir, '--out', notAFolder);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^observatory: cannot write the output: ENOTDIR: not a directory, \w+ '.*README\.md\/[^']*'\n$/);
  });

  it('refuses a manifest it cannot read instead of guessing what to remove', () => {
    const dir = infraRepo();
    writeFileSync(join(dir, '.observatory-synth.json'), '{"files": ["../etc/passwd"]}');
    const result = synth(dir, '--out', '.');
    expect(result.status).toBe(1);
    expect(result.stderr.split('\n')[0]).toMatch(/\.observatory-synth\.json: not a synth manifest \(expected "files": a list of relative paths\); delete it to start over$/);
  });
});
