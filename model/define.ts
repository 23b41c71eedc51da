import { readFileSync } from 'node:fs';
import yaml from 'js-yaml';
import { describeIssues, formatPath, shown, SpecError } from './errors.js';
import { deepMerge, isPlainMapping } from './merge.js';
import { preset } from './presets.js';
import { environments, stackSpecSchema, type Environment, type StackInput, type StackSpec } from './spec.js';

export interface DefineOptions {
  /** Environment preset to start from when the input names none. Default `local`. */
  readonly environment?: Environment;
}

function pickEnvironment(input: unknown, fallback: Environment | undefined): Environment {
  const named = typeof input === 'object' && input !== null ? (input as { environment?: unknown }).environment : undefined;
  if (fallback && named !== undefined && named !== fallback) {
    throw new SpecError([`environment: the spec says ${shown(named)} but ${JSON.stringify(fallback)} was asked for`]);
  }
  if (typeof named === 'string' && (environments as readonly string[]).includes(named)) return named as Environment;
  return fallback ?? 'local';
}

/**
 * Problems for the values in `input` that no spec file can hold (a Date, Map, typed array...), which the
 * schema would otherwise read as mappings without keys. Each shared object is looked at once (YAML aliases).
 */
function foreignObjects(value: unknown, path: PropertyKey[] = [], seen = new WeakSet<object>(), found: string[] = []): string[] {
  if (typeof value !== 'object' || value === null || seen.has(value)) return found;
  seen.add(value);
  const tag = Object.prototype.toString.call(value).slice(8, -1);
  if (Array.isArray(value)) value.forEach((item, index) => foreignObjects(item, [...path, index], seen, found));
  else if (tag !== 'Object') found.push(`${formatPath(path)}: expected a mapping, a list or a single value, got a ${tag}`);
  else for (const [key, item] of Object.entries(value)) foreignObjects(item, [...path, key], seen, found);
  return found;
}

/**
 * Resolves a (partial) stack spec over its environment preset and validates it. Typed: a misspelled key, a
 * wrong enum value or a wrong shape fails to compile; what types cannot say (a duration's format, a request
 * above its limit) is checked at run time like in `resolveSpec`.
 * Throws a `SpecError` listing every problem with its path; nothing is rendered from a bad spec.
 */
export function defineStack(input: StackInput = {}, options: DefineOptions = {}): StackSpec {
  return resolveSpec(input, options);
}

/**
 * `defineStack` for input whose shape nobody checked at compile time (a parsed file, JSON from elsewhere):
 * the same run-time validation, with path-named errors.
 */
export function resolveSpec(input: unknown = {}, options: DefineOptions = {}): StackSpec {
  if (input !== undefined && input !== null && !isPlainMapping(input)) {
    throw new SpecError([`(root): expected a mapping of stack settings, got ${shown(input)}`]);
  }
  const foreign = foreignObjects(input);
  if (foreign.length > 0) throw new SpecError(foreign);
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
  return resolveSpec(parsed ?? {}, options);
}
