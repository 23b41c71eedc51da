import { readFileSync } from 'node:fs';
import yaml from 'js-yaml';
import { describeIssues, SpecError } from './errors.js';
import { deepMerge } from './merge.js';
import { preset } from './presets.js';
import { environments, stackSpecSchema, type Environment, type StackInput, type StackSpec } from './spec.js';

export interface DefineOptions {
  /** Environment preset to start from when the input names none. Default `local`. */
  readonly environment?: Environment;
}

function pickEnvironment(input: unknown, fallback: Environment | undefined): Environment {
  const named = typeof input === 'object' && input !== null ? (input as { environment?: unknown }).environment : undefined;
  if (fallback && named !== undefined && named !== fallback) {
    throw new SpecError([`environment: the spec says ${JSON.stringify(named)} but ${JSON.stringify(fallback)} was asked for`]);
  }
  if (typeof named === 'string' && (environments as readonly string[]).includes(named)) return named as Environment;
  return fallback ?? 'local';
}

/**
 * Resolves a (partial) stack spec over its environment preset and validates it.
 * Throws a `SpecError` listing every problem with its path; nothing is rendered from a bad spec.
 */
export function defineStack(input: StackInput | unknown = {}, options: DefineOptions = {}): StackSpec {
  if (input !== undefined && input !== null && (typeof input !== 'object' || Array.isArray(input))) {
    throw new SpecError([`(root): expected a mapping of stack settings, got ${JSON.stringify(input)}`]);
  }
  const environment = pickEnvironment(input, options.environment);
  const base = preset(environment);
  const merged = deepMerge(base, input ?? {});
  const result = stackSpecSchema.safeParse(merged, { reportInput: true });
  if (!result.success) throw new SpecError(describeIssues(result.error.issues, base));
  return result.data;
}

/** Reads a spec file (YAML or JSON) and resolves it like `defineStack`. */
export function loadSpecFile(path: string, options: DefineOptions = {}): StackSpec {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new SpecError([`(file): cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`]);
  }
  let parsed: unknown;
  try {
    parsed = yaml.load(text, { filename: path });
  } catch (error) {
    throw new SpecError([`(file): ${path} is not valid YAML/JSON: ${(error as Error).message.split('\n')[0]}`]);
  }
  return defineStack(parsed ?? {}, options);
}
