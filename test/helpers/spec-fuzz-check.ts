/**
 * The spec fuzz property (issue 9): for any input, `defineStack` / `loadSpecFile` either returns a spec that
 * renders clean Kubernetes objects and a clean compose bundle, or throws a `SpecError` whose every problem
 * starts with the path it is about. Anything else thrown fails the property.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import yaml from 'js-yaml';
import { renderStack } from '../../cli/render.js';
import { renderedProblems } from '../../cli/validate.js';
import { allObjects } from '../../constructs/manifests.js';
import { loadSpecFile, resolveSpec } from '../../model/define.js';
import { formatPath, SpecError } from '../../model/errors.js';
import { IMAGE_REFERENCE } from '../../model/image-reference.js';
import { deepMerge } from '../../model/merge.js';
import { preset } from '../../model/presets.js';
import { cpuMillis, memoryMiB } from '../../model/quantity.js';
import { environments, type StackSpec } from '../../model/spec.js';
import { isPlain, nodePaths, specCase, type Key, type SpecCase } from './spec-arbitraries.js';

export interface FuzzTally {
  accepted: number;
  rejected: number;
  /** Cases by origin of the input (valid / mutated / random). */
  readonly origins: Record<SpecCase['origin'], number>;
}

/** What the entry point gets: the document it parses (for the path check) and the call itself. */
function entry(c: SpecCase, file: string): { document: unknown; call: () => StackSpec } {
  const options = c.environment ? { environment: c.environment } : {};
  if (c.viaFile) {
    let text: string | undefined;
    if (typeof c.input === 'string' && c.origin === 'random') text = c.input;
    else {
      try {
        text = yaml.dump(c.input, { skipInvalid: true, noRefs: true });
      } catch {
        text = undefined; // not expressible as YAML (e.g. a top-level BigInt): call defineStack instead
      }
    }
    if (text !== undefined) {
      writeFileSync(file, text);
      let document: unknown;
      try {
        document = yaml.load(text) ?? {};
      } catch {
        document = undefined;
      }
      return { document, call: () => loadSpecFile(file, options) };
    }
  }
  return { document: c.input ?? {}, call: () => resolveSpec(c.input, options) };
}

/** Every key path below a value, through arrays and objects of any kind (a typed array's indices too). */
function keyPaths(value: unknown, prefix: Key[], out: Key[][]): Key[][] {
  out.push(prefix);
  if (Array.isArray(value)) value.forEach((item, index) => keyPaths(item, [...prefix, index], out));
  else if (typeof value === 'object' && value !== null) for (const key of Object.keys(value)) keyPaths((value as Record<string, unknown>)[key], [...prefix, key], out);
  return out;
}

/** The formatted path of every node of the document merged over each preset: what a problem may be about. */
function knownPaths(document: unknown): Set<string> {
  const known = new Set<string>();
  for (const environment of environments) {
    for (const path of keyPaths(deepMerge(preset(environment), document), [], [])) if (path.length > 0) known.add(formatPath(path));
  }
  return known;
}

/** A child the document lacks (a required key, `ingress.domain`) named after a path it has. */
const MISSING_CHILD = /^(\.[A-Za-z_][A-Za-z0-9_]*|\[\d+\]): \S/;

/**
 * Why a problem line does not name a path (undefined when it does). A path is the `formatPath` of a node
 * of the merged document, or of a missing child of one, followed by `: ` and the explanation. `(root)` is
 * the path only for a document that is not a mapping, `(file)` only for a file that cannot be parsed.
 */
function pathlessReason(problem: string, document: unknown, known: Set<string>, viaFile: boolean): string | undefined {
  if (document === undefined) {
    return viaFile && /^\(file\): .+ is not valid YAML\/JSON: \S/.test(problem) ? undefined : 'expected "(file): ... is not valid YAML/JSON: <reason>"';
  }
  if (!isPlain(document)) {
    return /^\(root\): expected a mapping of stack settings, got \S/.test(problem) ? undefined : 'expected "(root): expected a mapping of stack settings, got <value>"';
  }
  for (const path of known) {
    if (!problem.startsWith(path)) continue;
    const rest = problem.slice(path.length);
    if (/^: \S/.test(rest) || MISSING_CHILD.test(rest)) return undefined;
  }
  return 'starts with no path of the document';
}

const COMPOSE_INTERPOLATION = /\$(?!\{[A-Z_][A-Z0-9_]*:\?)/g;
/** What a value turned into text by mistake looks like (`e+`: a number too big for plain digits). */
const BROKEN_TEXT = /\bNaN\b|\bundefined\b|\[object Object\]|\bInfinity\b|\d(?:\.\d+)?e\+\d/g;

/** `text` without any of the spec's own string values. */
function withoutUserText(text: string, spec: StackSpec): string {
  const strings = nodePaths(spec)
    .map((path) => path.reduce<unknown>((node, key) => (node as Record<Key, unknown>)[key], spec))
    .filter((value): value is string => typeof value === 'string' && value.length > 1);
  return [...new Set(strings)].sort((a, b) => b.length - a.length).reduce((rest, value) => rest.split(value).join(' '), text);
}

/** Everything wrong with what an accepted spec renders (empty when it is all deployable). */
export function renderingProblems(spec: StackSpec): string[] {
  const rendered = renderStack(spec);
  const problems = [...renderedProblems(rendered)];
  const compose = rendered.compose.files.get('compose.yaml')!;
  const bare = compose.replace(/\$\$/g, '').match(COMPOSE_INTERPOLATION) ?? [];
  if (bare.length > 0) problems.push(`compose.yaml: ${bare.length} bare "$" that compose would interpolate`);
  for (const [file, content] of rendered.compose.files) {
    try {
      if (/\.ya?ml$/.test(file)) yaml.load(content);
      if (/\.json$/.test(file)) JSON.parse(content);
    } catch (error) {
      problems.push(`${file}: does not parse: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  const kubernetes = JSON.stringify(allObjects(rendered.kubernetes));
  for (const [where, text] of [['compose.yaml', compose], ['Kubernetes objects', kubernetes]] as const) {
    // The user's own strings may say anything (an email address `a+1e+5@…`): only text the renderers made counts.
    const broken = text.search(BROKEN_TEXT) >= 0 ? [...new Set(withoutUserText(text, spec).match(BROKEN_TEXT) ?? [])] : [];
    if (broken.length > 0) problems.push(`${where}: contains ${broken.map((b) => JSON.stringify(b)).join(', ')}`);
  }
  for (const { name, image, resources } of rendered.components) {
    if (!IMAGE_REFERENCE.test(image.ref)) problems.push(`${name}: image ${JSON.stringify(image.ref)} is no image reference`);
    if (cpuMillis(resources.requests.cpu) > cpuMillis(resources.limits.cpu)) problems.push(`${name}: CPU request ${resources.requests.cpu} above its limit ${resources.limits.cpu}`);
    if (memoryMiB(resources.requests.memory) > memoryMiB(resources.limits.memory)) {
      problems.push(`${name}: memory request ${resources.requests.memory} above its limit ${resources.limits.memory}`);
    }
  }
  return problems;
}

/** Where a value holds something no spec can (a Date, Map, BigInt, NaN, function...); undefined: nowhere. */
function notJson(value: unknown, path: Key[] = []): string | undefined {
  const here = () => `${formatPath(path)} (${Object.prototype.toString.call(value)})`;
  if (value === null || value === undefined || typeof value === 'string' || typeof value === 'boolean') return undefined;
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : here();
  if (Array.isArray(value)) {
    if (Object.getPrototypeOf(value) !== Array.prototype) return here();
    for (const [index, item] of value.entries()) {
      const found = notJson(item, [...path, index]);
      if (found) return found;
    }
    return undefined;
  }
  // A Date, Map, boxed string or typed array is no mapping; an object of another prototype is, by its own keys.
  if (typeof value !== 'object' || Object.prototype.toString.call(value) !== '[object Object]') return here();
  for (const [key, item] of Object.entries(value)) {
    const found = notJson(item, [...path, key]);
    if (found) return found;
  }
  return undefined;
}

/** Runs one case; throws (failing the property) on anything but a clean render or a path-named rejection. */
export function checkCase(c: SpecCase, file: string): 'accepted' | 'rejected' {
  const { document, call } = entry(c, file);
  let spec: StackSpec;
  try {
    spec = call();
  } catch (error) {
    if (!(error instanceof SpecError)) throw error;
    if (c.origin === 'valid') throw new Error(`a valid input was rejected:\n${error.problems.join('\n')}`);
    if (error.problems.length === 0) throw new Error('SpecError without problems');
    const known = isPlain(document) ? knownPaths(document) : new Set<string>();
    for (const problem of error.problems) {
      const reason = pathlessReason(problem, document, known, c.viaFile);
      if (reason) throw new Error(`problem names no path (${reason}): ${JSON.stringify(problem.slice(0, 500))}`);
    }
    return 'rejected';
  }
  const foreign = notJson(document);
  if (foreign) throw new Error(`accepted an input with what no spec holds at ${foreign}`);
  const problems = renderingProblems(spec);
  if (problems.length > 0) throw new Error(`an accepted spec renders badly:\n${problems.join('\n')}`);
  return 'accepted';
}

/** Runs the property over `numRuns` cases from a fixed seed; fast-check prints the seed and path of a failure. */
export function fuzzSpecs(seed: number, numRuns: number): FuzzTally {
  const tally: FuzzTally = { accepted: 0, rejected: 0, origins: { valid: 0, mutated: 0, random: 0 } };
  const dir = mkdtempSync(join(tmpdir(), 'observatory-spec-fuzz-'));
  try {
    fc.assert(
      fc.property(specCase, (c) => {
        tally[checkCase(c, join(dir, 'spec.yaml'))] += 1;
        tally.origins[c.origin] += 1;
      }),
      { seed, numRuns },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return tally;
}
