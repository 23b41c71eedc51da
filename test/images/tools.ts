/**
 * Checkers the tests run that are plain `go install` (no image, no module copy): installed into the cache by
 * version, so a warm run skips them. Run by test/prepare.sh: `node dist/test/images/tools.js`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheRoot } from './binaries.js';

export interface GoTool {
  readonly name: string;
  readonly module: string;
  readonly version: string;
  readonly why: string;
}

/** kube-score v1.21.0 answers 403 on the reachable module proxy; v1.20.0 is the newest it serves. */
export const KUBE_SCORE: GoTool = {
  name: 'kube-score',
  module: 'github.com/zegl/kube-score/cmd/kube-score',
  version: 'v1.20.0',
  why: 'scores the rendered manifests (test/validators/kube-score.test.ts)',
};

export const goTools: readonly GoTool[] = [KUBE_SCORE];

export const toolPath = (tool: GoTool): string => path.join(cacheRoot(), 'tools', `${tool.name}-${tool.version}`, tool.name);

/** Installs a tool unless its version is cached; returns its path. */
export function installTool(tool: GoTool, log: (line: string) => void = console.log): string {
  const target = toolPath(tool);
  if (existsSync(target)) {
    log(`${tool.name} ${tool.version}: cached`);
    return target;
  }
  const started = Date.now();
  const staging = `${path.dirname(target)}.partial-${process.pid}`;
  mkdirSync(staging, { recursive: true });
  log(`${tool.name} ${tool.version}: go install ${tool.module}@${tool.version}`);
  const result = spawnSync('go', ['install', '-trimpath', '-ldflags=-s -w', `${tool.module}@${tool.version}`], {
    env: { ...process.env, GOBIN: staging, CGO_ENABLED: '0' },
    stdio: 'inherit',
  });
  if (result.status !== 0) {
    rmSync(staging, { recursive: true, force: true });
    throw new Error(`${tool.name}: go install ${tool.module}@${tool.version} failed (exit ${result.status ?? result.signal})`);
  }
  rmSync(path.dirname(target), { recursive: true, force: true });
  renameSync(staging, path.dirname(target));
  log(`${tool.name} ${tool.version}: built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return target;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  for (const tool of goTools) installTool(tool);
}
