/**
 * The gallery (docs/DASHBOARDS.md, docs/dashboards/) shows the dashboards as they are: each screenshot records the
 * hash of the dashboard JSON it was taken from (docs/dashboards/manifest.json, written by `npm run screenshots`),
 * compared here with the dashboards as rendered now. Rendering needs Grafana's UI, Chromium and Docker (and, for the
 * Kubernetes-only dashboards, the test cluster), which CI does not build for it (the frontend alone takes about 15
 * minutes); this check needs none of them.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../model/package-root.js';
import { shippedDashboards } from '../screenshots/gallery-dashboards.js';
import { GALLERY_DIR, MANIFEST_FILE, readManifest, staleness } from '../screenshots/gallery-manifest.js';

const root = packageRoot();
const { rendered, kubernetesOnly } = shippedDashboards();
const manifest = readManifest();

describe('the dashboard gallery', () => {
  it('has screenshots of exactly the dashboards the stack ships, as they are now', () => {
    expect(manifest, `${MANIFEST_FILE} is missing: run \`npm run screenshots\``).toBeDefined();
    expect(staleness(manifest!, rendered, kubernetesOnly)).toEqual([]);
  });

  it('shows every shipped dashboard: the local stack\'s from the compose run, the Kubernetes-only ones from the test cluster', () => {
    expect(kubernetesOnly.length).toBeGreaterThan(0);
    const on = Object.fromEntries((manifest?.dashboards ?? []).map((d) => [d.uid, d.renderedOn]));
    expect(on).toEqual(Object.fromEntries([...rendered.map((d) => [d.uid, 'compose']), ...kubernetesOnly.map((d) => [d.uid, 'kubernetes'])]));
    for (const kind of new Set(Object.values(on))) expect(manifest?.runs[kind as 'compose' | 'kubernetes'], `the ${kind} run is recorded`).toBeDefined();
  });

  it('has every image the manifest names, small enough for git, each shown in docs/DASHBOARDS.md', () => {
    const page = readFileSync(join(root, 'docs', 'DASHBOARDS.md'), 'utf8');
    let total = 0;
    for (const entry of manifest?.dashboards ?? []) {
      const file = join(root, GALLERY_DIR, entry.image);
      expect(existsSync(file), file).toBe(true);
      total += readFileSync(file).length;
      expect(page, `docs/DASHBOARDS.md shows ${entry.image}`).toContain(`(dashboards/${entry.image})`);
    }
    expect(total).toBeLessThan(3 * 1024 * 1024);
  });

  it('shows only pictures in which every panel rendered without an error', () => {
    const broken = (manifest?.dashboards ?? []).flatMap((d) => d.panels.filter((p) => p.state === 'error').map((p) => `${d.uid}: ${p.title}`));
    expect(broken).toEqual([]);
  });

  it('is reported stale when a dashboard changes after its screenshot, naming the run that renews it', () => {
    const empty = { runs: {}, dashboards: [] };
    const changed = rendered.map((d, i) => (i === 0 ? { ...d, hash: 'a-changed-dashboard' } : d));
    const problems = staleness(manifest ?? empty, changed, kubernetesOnly);
    expect(problems.find((p) => p.startsWith(`${rendered[0]!.uid} `))).toMatch(/changed since its screenshot .*`npm run screenshots`/);
    const changedK8s = kubernetesOnly.map((d, i) => (i === 0 ? { ...d, hash: 'a-changed-dashboard' } : d));
    expect(staleness(manifest ?? empty, rendered, changedK8s).find((p) => p.startsWith(`${kubernetesOnly[0]!.uid} `))).toMatch(/`npm run screenshots -- --kubernetes`/);
    expect(staleness(empty, rendered, kubernetesOnly)).toHaveLength(rendered.length + kubernetesOnly.length);
  });
});
