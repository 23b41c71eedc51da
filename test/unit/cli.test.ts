import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import yaml from 'js-yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { observatoryBin } from '../helpers/cli-bin.js';

/** The bin as shipped; test/unit/cli-bundle.test.ts holds it to the unbundled CLI. */
const cli = observatoryBin();
const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', cwd: tmpdir() });

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

beforeAll(() => {
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run "npm run build" first (npm test does)`);
});

describe('observatory synth', () => {
  const out = mkdtempSync(join(tmpdir(), 'observatory-synth-'));
  let result: ReturnType<typeof run>;
  beforeAll(() => {
    result = run('synth', '--out', out, '--generate-secrets');
  });

  it('writes manifests and the compose bundle and says how to start', () => {
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/docker compose up -d/);
    expect(readdirSync(join(out, 'k8s'))).toEqual(expect.arrayContaining(['00-namespace.yaml', 'collector.yaml', 'loki.yaml', 'glitchtip.yaml', 'umami.yaml']));
    const services = Object.keys((yaml.load(readFileSync(join(out, 'compose', 'compose.yaml'), 'utf8')) as any).services);
    expect(services).toHaveLength(17);
    expect(services).toEqual(expect.arrayContaining(['glitchtip-postgres-backup', 'umami-postgres-backup']));
    expect(existsSync(join(out, 'compose', '.env.example'))).toBe(true);
  });

  it('writes generated passwords only to .env and the opt-in secrets file', () => {
    const env = readFileSync(join(out, 'compose', '.env'), 'utf8');
    const values = [...env.matchAll(/^[A-Z_]+=(.+)$/gm)].map((m) => m[1]!);
    expect(values.length).toBeGreaterThanOrEqual(6);
    const secretsFile = readFileSync(join(out, 'k8s-secrets.yaml'), 'utf8');
    const secretValues = (yaml.loadAll(secretsFile) as any[]).flatMap((s) => Object.values(s.stringData) as string[]);
    for (const file of filesUnder(out)) {
      const where = relative(out, file);
      if (where === join('compose', '.env') || where === 'k8s-secrets.yaml') continue;
      const text = readFileSync(file, 'utf8');
      for (const value of [...values, ...secretValues]) expect(text.includes(value), `${where} holds a generated credential`).toBe(false);
    }
    expect(statSync(join(out, 'compose', '.env')).mode & 0o077).toBe(0);
  });

  it('never overwrites .env or the secrets file', () => {
    const envBefore = readFileSync(join(out, 'compose', '.env'), 'utf8');
    const secretsBefore = readFileSync(join(out, 'k8s-secrets.yaml'), 'utf8');
    const again = run('synth', '--out', out, '--generate-secrets');
    expect(again.status).toBe(0);
    expect(readFileSync(join(out, 'compose', '.env'), 'utf8')).toBe(envBefore);
    expect(readFileSync(join(out, 'k8s-secrets.yaml'), 'utf8')).toBe(secretsBefore);
    expect(again.stdout).toMatch(/credentials kept as they were/);
  });

  it('says nothing of alert delivery for the local stack, and names the gaps of a deployed environment', () => {
    expect(result.stdout).not.toMatch(/Alerting/);
    const prod = run('synth', '--env', 'prod', '--out', mkdtempSync(join(tmpdir(), 'observatory-synth-prod-')));
    expect(prod.status).toBe(0);
    expect(prod.stdout).toMatch(/\nAlerting: 2 gaps .*\n  - alerting\.receivers is empty: .*\n  - alerting\.heartbeat is off: /);
  });
});

describe('a bad spec', () => {
  it('exits 2, names every planted error and writes nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'observatory-bad-'));
    const specFile = join(dir, 'stack.yaml');
    writeFileSync(specFile, ['environment: prod', 'retention:', '  logs: 7x', 'components:', '  lokii: {enabled: true}', '  grafana:', '    storage: lots', ''].join('\n'));
    const out = join(dir, 'out');
    const result = run('synth', '--spec', specFile, '--out', out);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('retention.logs: expected a duration like "7d", got "7x"');
    expect(result.stderr).toContain('components.lokii: unknown key (did you mean "loki"?)');
    expect(result.stderr).toContain('components.grafana.storage: expected a memory quantity');
    expect(result.stderr).toMatch(/3 problems/);
    expect(existsSync(out)).toBe(false);
  });

  it('exits 2 for a file that is not YAML, or an unknown option', () => {
    const dir = mkdtempSync(join(tmpdir(), 'observatory-bad-'));
    writeFileSync(join(dir, 'broken.yaml'), 'retention: [unclosed');
    expect(run('validate', '--spec', join(dir, 'broken.yaml')).status).toBe(2);
    expect(run('validate', '--spec', join(dir, 'missing.yaml')).stderr).toMatch(/cannot read/);
    expect(run('synth', '--colour').status).toBe(2);
    expect(run('deploy').status).toBe(2);
  });
});

describe('observatory validate', () => {
  it.each(['local', 'dev', 'staging', 'prod'])('accepts the %s preset and writes nothing', (env) => {
    const dir = mkdtempSync(join(tmpdir(), 'observatory-validate-'));
    const output = execFileSync(process.execPath, [cli, 'validate', '--env', env], { encoding: 'utf8', cwd: dir });
    expect(output).toMatch(/pass their schemas, \d{2,} dashboard queries parse/);
    expect(readdirSync(dir)).toEqual([]);
  });
});
