import * as fs from 'node:fs';
import * as path from 'node:path';
import { packageRoot } from '../../model/package-root.js';
import type { DashboardCapture } from './dashboard-page.js';
import type { GalleryDashboard } from './gallery-dashboards.js';
import { writeGalleryPng } from './gallery-image.js';
import { GALLERY_DIR, readManifest, writeManifest, type GalleryEntry, type GalleryRun, type RenderedOn } from './gallery-manifest.js';

export interface GalleryInput {
  /** Which run this is: its pictures replace that kind's, the other kind's stay. */
  readonly renderedOn: RenderedOn;
  /** The dashboards this run rendered, each captured. */
  readonly dashboards: readonly GalleryDashboard[];
  readonly captures: ReadonlyMap<string, DashboardCapture>;
  readonly run: GalleryRun;
  /** Every shipped dashboard's uid in the order the gallery lists them. */
  readonly order: readonly string[];
}

/**
 * Writes docs/dashboards/<uid>.png (small) for every capture of this run and the manifest, keeping the other run's
 * entries; removes images no entry names. Returns the bytes of all the gallery's images.
 */
export async function writeGallery(input: GalleryInput): Promise<number> {
  const dir = path.join(packageRoot(), GALLERY_DIR);
  fs.mkdirSync(dir, { recursive: true });
  const fresh: GalleryEntry[] = [];
  for (const dashboard of input.dashboards) {
    const capture = input.captures.get(dashboard.uid);
    if (!capture) throw new Error(`no capture of ${dashboard.uid}`);
    const image = `${dashboard.uid}.png`;
    const bytes = await writeGalleryPng(capture.png, path.join(dir, image));
    fresh.push({ uid: dashboard.uid, title: dashboard.title, hash: dashboard.hash, image, bytes, renderedOn: input.renderedOn, panels: capture.panels.map((p) => ({ title: p.title, state: p.state })) });
  }
  const previous = readManifest();
  const renewed = new Set(fresh.map((e) => e.uid));
  const kept = (previous?.dashboards ?? []).filter((e) => e.renderedOn !== input.renderedOn && !renewed.has(e.uid) && input.order.includes(e.uid));
  const rank = (uid: string) => input.order.indexOf(uid);
  const entries = [...kept, ...fresh].sort((a, b) => rank(a.uid) - rank(b.uid));
  const images = new Set(entries.map((e) => e.image));
  for (const file of fs.readdirSync(dir)) if (file.endsWith('.png') && !images.has(file)) fs.rmSync(path.join(dir, file));
  writeManifest({ runs: { ...(previous?.runs ?? {}), [input.renderedOn]: input.run }, dashboards: entries });
  return entries.reduce((n, e) => n + fs.statSync(path.join(dir, e.image)).size, 0);
}
