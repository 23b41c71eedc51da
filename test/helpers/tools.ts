import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { binaryPath, cachedBuild, recipeFor, type BuildComponent } from '../images/binaries.js';

export const inCI = process.env.CI === 'true' || process.env.CI === '1';

/**
 * A tool a test needs. Outside CI a missing tool skips its tests with the printed reason; in CI the tests
 * run and fail on `path()`, so nothing is skipped silently where it counts.
 */
export interface Tool {
  readonly name: string;
  /** True when the tests should be skipped (missing, and not in CI). */
  readonly skip: boolean;
  /** The tool's path; throws the reason when it is missing. */
  path(): string;
}

function tool(name: string, found: string | undefined, howToGet: string): Tool {
  const reason = `${name} is not available: ${howToGet}`;
  if (!found && !inCI) console.warn(`SKIPPED (not in CI): tests that need ${reason}`);
  return {
    name,
    skip: !found && !inCI,
    path: () => {
      if (!found) throw new Error(reason);
      return found;
    },
  };
}

/** A binary of the local image factory (built from the Go module proxy, cached by version). */
export function factoryBinary(name: string, component: BuildComponent): Tool {
  const built = cachedBuild(component) ? binaryPath(name) : undefined;
  const recipe = recipeFor(component);
  return tool(name, built && existsSync(built) ? built : undefined, `build it with \`node dist/test/images/build.js ${component} --no-images\` (${recipe.module}@${recipe.moduleVersion}); npm test does this`);
}

/** A program on PATH (e.g. from a Debian package). */
export function systemBinary(name: string, howToGet: string): Tool {
  const found = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).stdout.trim();
  return tool(name, found || undefined, howToGet);
}

export interface RunResult {
  readonly code: number;
  readonly output: string;
}

/** Runs a tool to completion (stdout and stderr together). */
export function runTool(path: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): RunResult {
  const result = spawnSync(path, args, { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 60_000 });
  if (result.error) throw result.error;
  return { code: result.status ?? -1, output: `${result.stdout ?? ''}${result.stderr ?? ''}` };
}
