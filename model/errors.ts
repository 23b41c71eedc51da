import type { core } from 'zod';

/** A spec that cannot be rendered; `problems` holds one line per problem, each starting with its path. */
export class SpecError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid stack spec (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'SpecError';
  }
}

const SHOWN_VALUES = 50;
const SHOWN_CHARS = 200;

/**
 * A value as a problem line shows it after "got": JSON, cut short. Never throws: a BigInt, a cycle or a
 * structure too big to show briefly (e.g. a YAML alias bomb) is described instead of serialized.
 */
export function shown(value: unknown): string {
  if (typeof value === 'bigint') return `${value}n`;
  let budget = SHOWN_VALUES;
  let text: string | undefined;
  try {
    text = JSON.stringify(value, (_key, item: unknown) => {
      if (--budget < 0) throw new RangeError('too big to show');
      return typeof item === 'bigint' ? `${item}n` : item;
    });
  } catch {
    text = undefined;
  }
  if (text === undefined) return Array.isArray(value) ? 'a list' : typeof value === 'object' && value !== null ? 'a mapping' : typeof value;
  return text.length > SHOWN_CHARS ? `${text.slice(0, SHOWN_CHARS)}…` : text;
}

export function formatPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const part of path) {
    if (typeof part === 'number') text += `[${part}]`;
    else text += text ? `.${String(part)}` : String(part);
  }
  return text || '(root)';
}

function lookup(root: unknown, path: readonly PropertyKey[]): unknown {
  let node = root;
  for (const part of path) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<PropertyKey, unknown>)[part];
  }
  return node;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}

function suggestion(key: string, known: readonly string[]): string {
  const best = known
    .map((candidate) => ({ candidate, distance: editDistance(key.toLowerCase(), candidate.toLowerCase()) }))
    .sort((x, y) => x.distance - y.distance)[0];
  if (best && best.distance <= Math.max(2, Math.floor(key.length / 3))) return ` (did you mean "${best.candidate}"?)`;
  return known.length ? ` (known keys: ${known.join(', ')})` : '';
}

/**
 * One line per zod issue, `path: what was expected, got what`. `reference` is an object of the
 * complete shape (the preset), used to suggest the key a typo meant.
 */
export function describeIssues(issues: readonly core.$ZodIssue[], reference: unknown): string[] {
  const lines: string[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      const shape = lookup(reference, issue.path);
      const known = typeof shape === 'object' && shape !== null ? Object.keys(shape) : [];
      for (const key of issue.keys) lines.push(`${formatPath([...issue.path, key])}: unknown key${suggestion(key, known)}`);
      continue;
    }
    let message = issue.message;
    const input = 'input' in issue ? issue.input : undefined;
    const scalar = input === undefined || input === null || typeof input !== 'object';
    if (issue.code !== 'custom' && !/\bgot\b/.test(message) && scalar) message += `, got ${input === undefined ? 'nothing' : shown(input)}`;
    lines.push(`${formatPath(issue.path)}: ${message}`);
  }
  return lines;
}
