import * as fs from 'node:fs';
import * as path from 'node:path';
import { packageRoot } from '../../model/package-root.js';
import type { DashboardCapture } from './dashboard-page.js';
import type { GalleryDashboard } from './gallery-dashboards.js';
import { writeGalleryPng } from './gallery-image.js';
import { GALLERY_DIR, writeManifest, type GalleryEntry } from './gallery-manifest.js';

export interface GalleryInput {
  readonly rendered: readonly GalleryDashboard[];
  readonly kubernetesOnly: readonly GalleryDashboard[];
  readonly captures: ReadonlyMap<string, DashboardCapture>;
  readonly grafana: string;
  readonly timeRange: string;
}

/** Writes docs/dashboards/<uid>.png (small) for every capture and the manifest; removes images of dashboards gone. Returns the images' bytes. */
export async function writeGallery(input: GalleryInput): Promise<number> {
  const dir = path.join(packageRoot(), GALLERY_DIR);
  fs.mkdirSync(dir, { recursive: true });
  const entries: GalleryEntry[] = [];
  for (const dashboard of input.rendered) {
    const capture = input.captures.get(dashboard.uid);
    if (!capture) throw new Error(`no capture of ${dashboard.uid}`);
    const image = `${dashboard.uid}.png`;
    const bytes = await writeGalleryPng(capture.png, path.join(dir, image));
    entries.push({ uid: dashboard.uid, title: dashboard.title, hash: dashboard.hash, image, bytes, panels: capture.panels.map((p) => ({ title: p.title, state: p.state })) });
  }
  const keep = new Set(entries.map((e) => e.image));
  for (const file of fs.readdirSync(dir)) if (file.endsWith('.png') && !keep.has(file)) fs.rmSync(path.join(dir, file));
  writeManifest({
    generatedBy: 'npm run screenshots (test/screenshots/main.ts)',
    grafana: input.grafana,
    takenAt: new Date().toISOString(),
    timeRange: `${input.timeRange} to now, the sample app sending traffic with an error burst`,
    dashboards: entries,
    notRendered: input.kubernetesOnly.map((d) => ({
      uid: d.uid,
      title: d.title,
      hash: d.hash,
      why: 'Kubernetes only: provisioned on a cluster (its data comes from the collector\'s Kubernetes receivers), not in the local stack',
    })),
  });
  return entries.reduce((n, e) => n + e.bytes, 0);
}
