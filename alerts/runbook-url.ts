import type { StackSpec } from '../model/spec.js';

/** Where synth writes the runbooks, relative to its output folder. */
export const RUNBOOKS_DIR = 'runbooks';

/** An alert's runbook file name: `<alert>.md`. */
export const runbookFile = (alert: string) => `${alert}.md`;

/**
 * The `runbook_url` annotation: `<alerting.runbookBaseUrl>/<alert>.md` when the spec says where the runbooks are
 * published, else `runbooks/<alert>.md`, relative to synth's output folder.
 */
export function runbookUrl(spec: StackSpec, alert: string): string {
  const base = spec.alerting.runbookBaseUrl?.replace(/\/+$/, '') ?? RUNBOOKS_DIR;
  return `${base}/${runbookFile(alert)}`;
}
