import { expect, it } from 'vitest';
import { fuzzSpecs } from './spec-fuzz-check.js';

/** The spec fuzz test (issue 9) runs in four files (test/unit/spec-fuzz-1..4) of 2,500 cases: 10,000. */
const RUNS_PER_PART = 2500;

/**
 * One part of the spec fuzz test, with a fixed seed of its own so a failure reproduces alone (fast-check prints
 * the seed and path). Vitest runs the parts in parallel when it has more than one worker (on 2 cores it has
 * one: about 35 s a part).
 */
export function fuzzPart(part: number): void {
  const seed = 0x5eed_0000 + part;
  it(`${RUNS_PER_PART} random spec inputs (seed ${seed}): each renders clean or is rejected with path-named problems`, () => {
    const tally = fuzzSpecs(seed, RUNS_PER_PART);
    console.log(`spec fuzz part ${part}: ${tally.accepted} accepted, ${tally.rejected} rejected (inputs: ${JSON.stringify(tally.origins)})`);
    expect(tally.accepted + tally.rejected).toBe(RUNS_PER_PART);
    expect(tally.accepted).toBeGreaterThanOrEqual(0.3 * RUNS_PER_PART);
    expect(tally.rejected).toBeGreaterThanOrEqual(0.3 * RUNS_PER_PART);
  }, 300_000);
}
