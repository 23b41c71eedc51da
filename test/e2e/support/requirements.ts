import { spawnSync } from 'node:child_process';
import { imageTag } from '../../images/build.js';
import type { ImageComponent } from '../../images/binaries.js';
import { inCI } from '../../helpers/tools.js';

/** What an end-to-end test needs: `skip` outside CI when something is missing (the reason printed), else `check()`. */
export interface Requirements {
  readonly skip: boolean;
  /** Throws the reason when something is missing (so that in CI the test fails on it). */
  check(): void;
}

function missingImages(images: readonly ImageComponent[]): string[] {
  return images
    .filter((component) => spawnSync('docker', ['image', 'inspect', imageTag(component)], { stdio: 'ignore' }).status !== 0)
    .map((component) => `image ${imageTag(component)} is missing (node dist/test/images/build.js ${component})`);
}

function requirements(problems: readonly string[]): Requirements {
  const reason = problems.join('; ');
  if (problems.length > 0 && !inCI) console.warn(`SKIPPED (not in CI): end-to-end tests: ${reason}`);
  return {
    skip: problems.length > 0 && !inCI,
    check: () => {
      if (problems.length > 0) throw new Error(`end-to-end tests cannot run: ${reason}`);
    },
  };
}

const noDocker = (): boolean => spawnSync('docker', ['info'], { stdio: 'ignore' }).status !== 0;
const NO_DOCKER = 'no Docker engine answers (test/prepare.sh starts one)';

/**
 * Docker, the Compose v2 plugin and the local images an end-to-end test needs. Outside CI a missing one skips
 * the test with the printed reason; in CI `check()` fails it.
 */
export function dockerWithCompose(images: readonly ImageComponent[]): Requirements {
  if (noDocker()) return requirements([NO_DOCKER]);
  const problems: string[] = [];
  if (spawnSync('docker', ['compose', 'version'], { stdio: 'ignore' }).status !== 0) {
    problems.push('`docker compose` (the Compose v2 CLI plugin) is missing (test/prepare.sh builds and installs it)');
  }
  return requirements([...problems, ...missingImages(images)]);
}

/** Docker and the local images a test runs as single containers (no Compose), with the same skip/fail rule. */
export function dockerWithImages(images: readonly ImageComponent[]): Requirements {
  return requirements(noDocker() ? [NO_DOCKER] : missingImages(images));
}
