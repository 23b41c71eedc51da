/**
 * The gallery (docs/DASHBOARDS.md, docs/dashboards/) shows the dashboards as they are: each screenshot records the
 * hash of the dashboard JSON it was taken from (docs/dashboards/manifest.json, written by `npm run screenshots`),
 * compared here with the dashboards as rendered now. Rendering needs Grafana's UI, Chromium and Docker, which CI
 * does not build (the frontend alone takes about 15 minutes); this check needs none of them.
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
  it('has screenshots of exactly the dashboards the local stack ships, as they are now', () => {
    expect(manifest, `${MANIFEST_FILE} is missing: run \`npm run screenshots\``).toBeDefined();
    expect(staleness(manifest!, rendered, kubernetesOnly)).toEqual([]);
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

  it('is reported stale when a dashboard changes after its screenshot', () => {
    const changed = rendered.map((d, i) => (i === 0 ? { ...d, hash: 'a-changed-dashboard' } : d));
    const problems = staleness(manifest ?? { generatedBy: '', grafana: '', takenAt: '', timeRange: '', dashboards: [], notRendered: [] }, changed, kubernetesOnly);
    expect(problems.some((p) => p.startsWith(`${rendered[0]!.uid} `))).toBe(true);
  });
});
