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

/** Where a dashboard is rendered: the local stack under Docker Compose, or the test cluster (Kubernetes-only ones). */
export type RenderedOn = 'compose' | 'kubernetes';

/** The command that renews the pictures of each kind. */
export const RENEW_COMMAND: Readonly<Record<RenderedOn, string>> = {
  compose: 'npm run screenshots',
  kubernetes: 'npm run screenshots -- --kubernetes',
};

export interface GalleryEntry {
  readonly uid: string;
  readonly title: string;
  /** sha256 (16 hex digits) of the dashboard JSON the image shows. */
  readonly hash: string;
  /** File name in docs/dashboards/. */
  readonly image: string;
  readonly bytes: number;
  readonly renderedOn: RenderedOn;
  /** Panels and what they showed: data, no-data (allowed ones only) or error. */
  readonly panels: readonly { readonly title: string; readonly state: string }[];
}

/** One run that took pictures. */
export interface GalleryRun {
  readonly command: string;
  /** The Grafana that rendered the images (the factory's stand-in when the catalog's version cannot be built). */
  readonly grafana: string;
  readonly takenAt: string;
  /** The dashboards' time range in the pictures, and what sent the data. */
  readonly timeRange: string;
}

export interface GalleryManifest {
  /** The last run of each kind. */
  readonly runs: Readonly<Partial<Record<RenderedOn, GalleryRun>>>;
  readonly dashboards: readonly GalleryEntry[];
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

/**
 * Why the gallery does not show the dashboards as they are now (empty when it does): every dashboard the local stack
 * provisions (`rendered`) pictured from the compose run, every Kubernetes-only one from the cluster run, each with
 * the hash of its JSON as it is rendered now.
 */
export function staleness(manifest: GalleryManifest, rendered: readonly GalleryDashboard[], kubernetesOnly: readonly GalleryDashboard[]): string[] {
  const problems: string[] = [];
  const shown = new Map(manifest.dashboards.map((d) => [d.uid, d]));
  const expected = [...rendered.map((d) => [d, 'compose'] as const), ...kubernetesOnly.map((d) => [d, 'kubernetes'] as const)];
  for (const [dashboard, on] of expected) {
    const entry = shown.get(dashboard.uid);
    const renew = `run \`${RENEW_COMMAND[on]}\` and commit docs/dashboards/`;
    if (!entry) problems.push(`${dashboard.uid} ("${dashboard.title}") has no screenshot: ${renew}`);
    else if (entry.renderedOn !== on) problems.push(`${dashboard.uid} ("${dashboard.title}") was rendered on ${entry.renderedOn}, not on ${on}: ${renew}`);
    else if (entry.hash !== dashboard.hash) problems.push(`${dashboard.uid} ("${dashboard.title}") changed since its screenshot (hash ${entry.hash} → ${dashboard.hash}): ${renew}`);
  }
  const now = new Set(expected.map(([d]) => d.uid));
  for (const entry of manifest.dashboards) if (!now.has(entry.uid)) problems.push(`${entry.uid} has a screenshot but is no longer shipped: run \`${RENEW_COMMAND[entry.renderedOn]}\` and commit docs/dashboards/`);
  return problems;
}
