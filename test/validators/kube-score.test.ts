import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { renderStack, type RenderedStack } from '../../cli/render.js';
import { allObjects } from '../../constructs/manifests.js';
import { defineStack } from '../../model/define.js';
import { KUBE_SCORE, toolPath } from '../images/tools.js';
import { inCI, runTool } from '../helpers/tools.js';
import { presets, renderedPreset } from '../helpers/render.js';

const path = toolPath(KUBE_SCORE);
const missing = !existsSync(path);
if (missing && !inCI) console.warn(`SKIPPED (not in CI): kube-score tests need ${path}: run \`node dist/test/images/tools.js\` (npm test does)`);

/** The only checks an object may ignore, with their reasons in constructs/workload.ts (kubeScoreIgnores). */
const JUSTIFIED_IGNORES = (pullPolicy: string) =>
  new Set(['container-security-context-user-group-id', ...(pullPolicy === 'Always' ? [] : ['container-image-pull-policy'])]);

const renderings: { name: string; rendered: RenderedStack }[] = [
  ...presets.map((p) => ({ name: p, rendered: renderedPreset(p) })),
  { name: 'prod with ingress', rendered: renderStack(defineStack({ ingress: { enabled: true, domain: 'obs.example.com' } }, { environment: 'prod' })) },
];

/** Writes each object to its own file (kube-score reads files, one document stream each). */
function writeManifests(rendered: RenderedStack): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'observatory-kube-score-'));
  return [...rendered.kubernetes.files].map(([name, objects]) => {
    const file = join(dir, name);
    writeFileSync(file, objects.map((o) => yaml.dump(o, { noRefs: true })).join('---\n'));
    return file;
  });
}

describe.skipIf(missing && !inCI)(`kube-score ${KUBE_SCORE.version}`, () => {
  it.each(renderings)('finds nothing CRITICAL in the $name manifests', ({ rendered }) => {
    if (missing) throw new Error(`kube-score is missing at ${path}: run \`node dist/test/images/tools.js\``);
    const result = runTool(path, ['score', '--output-format', 'ci', ...writeManifests(rendered)]);
    const lines = result.output.split('\n').filter(Boolean);
    const critical = lines.filter((l) => l.startsWith('[CRITICAL]'));
    const ok = lines.filter((l) => l.startsWith('[OK]'));
    const warnings = lines.filter((l) => l.startsWith('[WARNING]'));
    console.log(`kube-score ${rendered.spec.environment}: ${ok.length} OK, ${warnings.length} WARNING, ${critical.length} CRITICAL`);
    expect(ok.length, result.output).toBeGreaterThan(100);
    expect(critical).toEqual([]);
    expect(result.code, result.output).toBe(0);
  });

  it('is not silenced: ignore annotations name only the justified checks', () => {
    for (const { rendered } of renderings) {
      const justified = JUSTIFIED_IGNORES(rendered.spec.images.pullPolicy);
      for (const object of allObjects(rendered.kubernetes)) {
        const ignored = (object.metadata as { annotations?: Record<string, string> }).annotations?.['kube-score/ignore'];
        if (ignored) for (const check of ignored.split(',')) expect(justified.has(check.trim()), `${object.metadata.name}: ${check}`).toBe(true);
      }
    }
  });

  it('would report a workload that breaks the rules (a privileged container without limits)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'observatory-kube-score-bad-'));
    const file = join(dir, 'bad.yaml');
    const bad = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'bad', namespace: 'observability' },
      spec: {
        selector: { matchLabels: { app: 'bad' } },
        template: { metadata: { labels: { app: 'bad' } }, spec: { containers: [{ name: 'bad', image: 'example/bad:latest', securityContext: { privileged: true } }] } },
      },
    };
    writeFileSync(file, yaml.dump(bad));
    const result = runTool(path, ['score', '--output-format', 'ci', file]);
    expect(result.output).toMatch(/\[CRITICAL\].*bad/);
    expect(result.code).not.toBe(0);
  });
});
