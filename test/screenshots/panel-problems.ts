import type { DashboardCapture } from './dashboard-page.js';
import { mayBeEmpty } from './panels-with-data.js';

/**
 * What is wrong with a captured dashboard: a panel with Grafana's error sign, a panel showing "No data" where the
 * sample app's traffic should fill it (panels-with-data.ts), a legend too small for its series, a panel that never
 * appeared.
 */
export function dashboardProblems(capture: DashboardCapture): string[] {
  const problems: string[] = [];
  for (const panel of capture.panels) {
    if (panel.state === 'error') problems.push(`"${panel.title}" shows an error${panel.errors.length ? `: ${panel.errors.join('; ')}` : ''}`);
    if (panel.state === 'no-data' && !mayBeEmpty(capture.uid, panel.title)) problems.push(`"${panel.title}" shows "No data" where the sample app's traffic should fill it`);
    if (panel.legendHidden > 0) problems.push(`"${panel.title}" hides ${panel.legendHidden} legend entr${panel.legendHidden === 1 ? 'y' : 'ies'} behind a scroll (dashboards/legend.ts)`);
  }
  for (const title of capture.missing) problems.push(`"${title}" is not on the page`);
  return problems;
}
