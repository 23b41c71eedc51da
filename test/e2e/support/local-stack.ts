import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { DockerComposeEnvironment, Wait, type StartedDockerComposeEnvironment } from 'testcontainers';
import type { ImageKey } from '../../../model/catalog.js';
import { synthToFolder } from '../../helpers/synth-cli.js';
import { imageTag } from '../../images/build.js';
import type { ImageComponent } from '../../images/binaries.js';

/** The compose bundle `observatory synth` renders for a spec, brought up with Docker Compose. */
export interface LocalStack {
  readonly dir: string;
  readonly services: Record<string, ComposeService>;
  readonly env: Record<string, string>;
  readonly compose: StartedDockerComposeEnvironment;
  down(): Promise<void>;
}

interface ComposeService {
  image: string;
  healthcheck?: unknown;
  ports?: string[];
}

/** Spec overrides that point every locally built image at the image factory's tag. */
export function localImages(components: readonly ImageComponent[]): Partial<Record<ImageKey, string>> {
  return Object.fromEntries(components.map((c) => [c, imageTag(c)]));
}

/** Renders `spec` with the CLI (as a user would) into a fresh folder; returns the compose bundle's folder. */
export function synth(spec: unknown): string {
  return join(synthToFolder(spec), 'compose');
}

function readEnv(path: string): Record<string, string> {
  return Object.fromEntries(
    readFileSync(path, 'utf8')
      .split('\n')
      .filter((line) => /^[A-Z0-9_]+=/.test(line))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}

/**
 * `docker compose up` of the bundle (Compose v2 CLI plugin), waiting for each service's own compose health
 * check, or for its log line saying it is ready where the image ships nothing to run a check with.
 */
export async function upLocalStack(
  composeDir: string,
  project: string,
  readyLogs: Record<string, RegExp>,
  /** Further compose files in `composeDir` merged over compose.yaml (e.g. the test's own services). */
  extraFiles: readonly string[] = [],
): Promise<LocalStack> {
  const files = ['compose.yaml', ...extraFiles];
  const services: Record<string, ComposeService> = {};
  for (const file of files) Object.assign(services, (yaml.load(readFileSync(join(composeDir, file), 'utf8')) as { services: Record<string, ComposeService> }).services);
  let environment = new DockerComposeEnvironment(composeDir, files).withProjectName(project).withStartupTimeout(180_000);
  for (const [name, service] of Object.entries(services)) {
    const container = `${name}-1`; // testcontainers keys wait strategies by the name without the project prefix
    if (service.healthcheck) environment = environment.withWaitStrategy(container, Wait.forHealthCheck());
    else if (readyLogs[name]) environment = environment.withWaitStrategy(container, Wait.forLogMessage(readyLogs[name]!));
    else throw new Error(`${name} has no compose health check and no ready log line to wait for`);
  }
  const compose = await environment.up();
  return {
    dir: composeDir,
    services,
    env: readEnv(join(composeDir, '.env')),
    compose,
    down: () => compose.down({ removeVolumes: true, timeout: 60_000 }).then(() => undefined),
  };
}
