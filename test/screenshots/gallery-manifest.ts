/**
 * docs/dashboards/manifest.json: what the gallery's screenshots were taken from. Each image records the hash of the
 * dashboard JSON Grafana was given, so a unit test (test/unit/dashboard-gallery.test.ts) can tell, without a
 * browser, a Grafana UI or Docker, when a dashboard changed and its picture did not (`npm run screenshots` renews
 * them).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { packageRoot } from '../../model/package-root.js';
import type { GalleryDashboard } from './gallery-dashboards.js';

export const GALLERY_DIR = 'docs/dashboards';
export const MANIFEST_FILE = `${GALLERY_DIR}/manifest.json`;

export interface GalleryEntry {
  readonly uid: string;
  readonly title: string;
  /** sha256 (16 hex digits) of the dashboard JSON the image shows. */
  readonly hash: string;
  /** File name in docs/dashboards/. */
  readonly image: string;
  readonly bytes: number;
  /** Panels and what they showed: data, no-data (allowed ones only) or error. */
  readonly panels: readonly { readonly title: string; readonly state: string }[];
}

export interface GalleryManifest {
  readonly generatedBy: string;
  /** The Grafana that rendered the images (the factory's stand-in when the catalog's version cannot be built). */
  readonly grafana: string;
  readonly takenAt: string;
  /** The dashboards' time range in the pictures. */
  readonly timeRange: string;
  readonly dashboards: readonly GalleryEntry[];
  /** Dashboards the local stack does not provision, with the reason and their hash. */
  readonly notRendered: readonly { readonly uid: string; readonly title: string; readonly hash: string; readonly why: string }[];
}

export function manifestPath(): string {
  return path.join(packageRoot(), MANIFEST_FILE);
}

export function readManifest(): GalleryManifest | undefined {
  return fs.existsSync(manifestPath()) ? (JSON.parse(fs.readFileSync(manifestPath(), 'utf8')) as GalleryManifest) : undefined;
}

export function writeManifest(manifest: GalleryManifest): void {
  fs.mkdirSync(path.dirname(manifestPath()), { recursive: true });
  fs.writeFileSync(manifestPath(), `${JSON.stringify(manifest, null, 2)}\n`);
}

/** Why the gallery does not show the dashboards as they are now (empty when it does). */
export function staleness(manifest: GalleryManifest, rendered: readonly GalleryDashboard[], kubernetesOnly: readonly GalleryDashboard[]): string[] {
  const problems: string[] = [];
  const shown = new Map(manifest.dashboards.map((d) => [d.uid, d]));
  for (const dashboard of rendered) {
    const entry = shown.get(dashboard.uid);
    if (!entry) problems.push(`${dashboard.uid} ("${dashboard.title}") has no screenshot`);
    else if (entry.hash !== dashboard.hash) problems.push(`${dashboard.uid} ("${dashboard.title}") changed since its screenshot (hash ${entry.hash} → ${dashboard.hash})`);
  }
  const now = new Set(rendered.map((d) => d.uid));
  for (const entry of manifest.dashboards) if (!now.has(entry.uid)) problems.push(`${entry.uid} has a screenshot but is no longer shipped`);
  const listed = new Set(manifest.notRendered.map((d) => d.uid));
  for (const dashboard of kubernetesOnly) if (!listed.has(dashboard.uid)) problems.push(`${dashboard.uid} ("${dashboard.title}") is neither shown nor listed as not rendered`);
  return problems.map((p) => `${p}: run \`npm run screenshots\` and commit docs/dashboards/`);
}
