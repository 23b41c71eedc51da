/**
 * The dashboards the gallery shows: those the local stack provisions for the spec the screenshots run with
 * (the local preset, as the end-to-end suite runs it), each with the hash of the JSON Grafana is given. The
 * gallery's manifest records these hashes; a unit test compares them with the dashboards as rendered now.
 */
import { createHash } from 'node:crypto';
import { dashboardFiles, isKubernetesOnly } from '../../dashboards/files.js';
import { defaultDashboards } from '../../dashboards/defaults.js';
import { defineStack } from '../../model/define.js';
import type { StackInput } from '../../model/spec.js';

/** The stack spec of the screenshots (images are pointed at the local factory's by the runner). */
export const GALLERY_STACK_INPUT = {
  environment: 'local',
  // No registry ships GlitchTip or Umami here (see test/e2e/apps.test.ts); they add no dashboard either.
  components: { glitchtip: { enabled: false }, umami: { enabled: false } },
} as const satisfies StackInput;

export interface GalleryDashboard {
  readonly uid: string;
  readonly title: string;
  readonly description: string;
  /** The provisioned file's text (what Grafana loads). */
  readonly json: string;
  /** sha256 of `json`, first 16 hex digits. */
  readonly hash: string;
}

export const dashboardHash = (json: string): string => createHash('sha256').update(json).digest('hex').slice(0, 16);

/** Every dashboard of the spec, with whether the local stack provisions it (Kubernetes-only ones it does not). */
export function shippedDashboards(input: StackInput = GALLERY_STACK_INPUT): { rendered: GalleryDashboard[]; kubernetesOnly: GalleryDashboard[] } {
  const rendered: GalleryDashboard[] = [];
  const kubernetesOnly: GalleryDashboard[] = [];
  for (const json of dashboardFiles(defaultDashboards(defineStack(input))).values()) {
    const { uid, title, description } = JSON.parse(json) as { uid: string; title: string; description: string };
    (isKubernetesOnly(json) ? kubernetesOnly : rendered).push({ uid, title, description, json, hash: dashboardHash(json) });
  }
  return { rendered, kubernetesOnly };
}
