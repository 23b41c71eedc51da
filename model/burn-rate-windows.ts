import { parseDuration } from './duration.js';

/**
 * The multi-window, multi-burn-rate alerts of every SLO (Google SRE workbook, ch. 5; sloth's `google-30d`
 * windows): each fires when its long and its short window both spend the error budget at least as fast as
 * `budgetShare` of the budget in `long` would. The windows are the same for every SLO window, because how soon
 * an incident pages is a matter of wall-clock time; the burn factor is derived from the SLO window as sloth does
 * (`budgetShare × sloWindow / long`): 14.4, 6, 3 and 1 for 30 days, 3.36, 1.4, 1 and 1 for 7 days
 * (docs/ALERTS.md has the table per window length).
 */
export const burnRateWindows = [
  { route: 'page', budgetShare: 0.02, long: '1h', short: '5m' },
  { route: 'page', budgetShare: 0.05, long: '6h', short: '30m' },
  { route: 'ticket', budgetShare: 0.1, long: '1d', short: '2h' },
  { route: 'ticket', budgetShare: 0.1, long: '3d', short: '6h' },
] as const;
export type BurnRateWindow = (typeof burnRateWindows)[number];

/** The longest window an SLO alert looks back over: an SLO window must be at least this long. */
export const LONGEST_BURN_WINDOW = '3d';

/**
 * How many times faster than the sustainable rate `window` must burn to spend its share of the budget. Never
 * below 1: on short SLO windows a share can be less than the time it takes (10 % in 3 days of a 7-day budget),
 * and an alert below 1× would fire on a service that keeps its objective.
 */
export function burnFactor(window: Pick<BurnRateWindow, 'budgetShare' | 'long'>, sloWindow: string): number {
  const factor = (window.budgetShare * parseDuration(sloWindow)) / parseDuration(window.long);
  return Math.max(1, Number(factor.toPrecision(12)));
}

/** The error budget of an objective in percent, as a ratio (99.9 → 0.001), without binary noise. */
export const errorBudgetRatio = (objective: number): number => Number(((100 - objective) / 100).toPrecision(12));

/**
 * The window an SLO cannot page on, if any: its burn factor times the error budget reaches 100 % errors, so
 * even a total outage would not exceed it.
 */
export function unreachableWindow(objective: number, sloWindow: string): BurnRateWindow | undefined {
  return burnRateWindows.find((w) => burnFactor(w, sloWindow) * errorBudgetRatio(objective) >= 1);
}
