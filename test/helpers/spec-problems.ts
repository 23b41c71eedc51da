import { resolveSpec } from '../../model/define.js';
import { SpecError } from '../../model/errors.js';
import type { Environment } from '../../model/spec.js';

/** The problems `defineStack` names for an input it must refuse; throws when it accepts it or fails otherwise. */
export function specProblems(input: unknown, environment?: Environment): string[] {
  try {
    resolveSpec(input, environment ? { environment } : {});
  } catch (error) {
    if (error instanceof SpecError) return [...error.problems];
    throw error;
  }
  throw new Error('expected the spec to be rejected');
}
