import { readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../model/package-root.js';

const root = packageRoot();

/** Runtime import cycles among the sources the package's entry points reach (type-only imports leave nothing at run time). */
function importCycles(entries: readonly string[]): string[] {
  const graph = new Map<string, string[]>();
  const queue = entries.map((e) => resolve(root, e));
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (graph.has(file)) continue;
    const imports = [...readFileSync(file, 'utf8').matchAll(/(?:^|\n)\s*(?:import|export)\s(?!type\b)[^'"]*?from\s+'(\.[^']+)'/g)].map(([, specifier]) =>
      resolve(dirname(file), specifier!.replace(/\.js$/, '.ts')),
    );
    graph.set(file, imports);
    queue.push(...imports);
  }
  const cycles: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (file: string) => {
    state.set(file, 'open');
    path.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === 'open') cycles.push([...path.slice(path.indexOf(next)), next].map((f) => relative(root, f)).join(' → '));
      else if (!state.has(next)) visit(next);
    }
    path.pop();
    state.set(file, 'done');
  };
  for (const file of graph.keys()) if (!state.has(file)) visit(file);
  return cycles;
}

describe('the sources', () => {
  it('import each other without cycles: every address has one home (constructs/addresses.ts)', () => {
    expect(importCycles(['index.ts', 'stacks/component.ts', 'cli/main.ts', 'cli/bin.ts'])).toEqual([]);
  });
});
