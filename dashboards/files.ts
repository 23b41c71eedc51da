import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';

/** Dashboards as file name → JSON text: `<uid>.json`, the form Grafana's file provider and its import both read. */
export function dashboardFiles(dashboards: readonly Dashboard[]): Map<string, string> {
  const files = new Map<string, string>();
  for (const dashboard of dashboards) {
    if (!dashboard.uid) throw new Error(`dashboard "${dashboard.title}" has no uid: provisioned dashboards need a stable one`);
    const name = `${dashboard.uid}.json`;
    if (files.has(name)) throw new Error(`two dashboards have the uid "${dashboard.uid}"`);
    files.set(name, `${JSON.stringify(dashboard, null, 1)}\n`);
  }
  return files;
}

/**
 * Dashboards tagged `kubernetes` read what only a cluster produces (the collector's Kubernetes receivers): they are
 * provisioned on Kubernetes only, not in the local stack, where they could only ever be empty.
 */
export const KUBERNETES_ONLY_TAG = 'kubernetes';

export function isKubernetesOnly(dashboardJson: string): boolean {
  const { tags } = JSON.parse(dashboardJson) as { tags?: unknown };
  return Array.isArray(tags) && tags.includes(KUBERNETES_ONLY_TAG);
}
