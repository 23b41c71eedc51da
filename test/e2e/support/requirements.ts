import { spawnSync } from 'node:child_process';
import { imageTag } from '../../images/build.js';
import type { ImageComponent } from '../../images/binaries.js';
import { inCI } from '../../helpers/tools.js';

/**
 * Docker, the Compose v2 plugin and the local images an end-to-end test needs. Outside CI a missing one skips
 * the test with the printed reason; in CI `check()` fails it.
 */
export function dockerWithCompose(images: readonly ImageComponent[]): { skip: boolean; check(): void } {
  const problems: string[] = [];
  if (spawnSync('docker', ['info'], { stdio: 'ignore' }).status !== 0) problems.push('no Docker engine answers (test/prepare.sh starts one)');
  else {
    if (spawnSync('docker', ['compose', 'version'], { stdio: 'ignore' }).status !== 0) {
      problems.push('`docker compose` (the Compose v2 CLI plugin) is missing (test/prepare.sh builds and installs it)');
    }
    for (const component of images) {
      if (spawnSync('docker', ['image', 'inspect', imageTag(component)], { stdio: 'ignore' }).status !== 0) {
        problems.push(`image ${imageTag(component)} is missing (node dist/test/images/build.js ${component})`);
      }
    }
  }
  const reason = problems.join('; ');
  if (problems.length > 0 && !inCI) console.warn(`SKIPPED (not in CI): end-to-end tests: ${reason}`);
  return {
    skip: problems.length > 0 && !inCI,
    check: () => {
      if (problems.length > 0) throw new Error(`end-to-end tests cannot run: ${reason}`);
    },
  };
}
