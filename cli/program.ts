// First: zod reads its jitless setting when the spec's schemas are built (cli/zod-jitless.ts).
import './zod-jitless.js';
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { alertDeliveryGaps } from '../alerts/delivery-gaps.js';
import { providedSecretPath } from '../compose/render.js';
import { defineStack, loadSpecFile } from '../model/define.js';
import { SpecError } from '../model/errors.js';
import { MissingPeerError } from '../model/optional-peer.js';
import { environments, type Environment, type StackSpec } from '../model/spec.js';
import { renderStack } from './render.js';
import { ForeignFilesError, ManifestError } from './output-manifest.js';
import { writeRendered } from './write.js';

const USAGE = `observatory: a self-hosted observability stack, rendered to Kubernetes and docker compose

Usage:
  observatory synth    [--env local|dev|staging|prod] [--spec FILE] [--out DIR] [--generate-secrets] [--overwrite]
  observatory validate [--env local|dev|staging|prod] [--spec FILE]

  synth      render the stack: DIR/k8s/ (manifests), DIR/compose/ (compose.yaml, config/, .env.example,
             and .env with random credentials when it does not exist), DIR/runbooks/ (one per alert)
  validate   check the spec and everything it renders (Kubernetes 1.28 and compose schemas); writes nothing

Options:
  --env               environment preset (default: the spec's environment, else local)
  --spec FILE         stack spec in YAML or JSON, merged over the preset
  --out DIR           output directory (default: ./out)
  --generate-secrets  also write DIR/k8s-secrets.yaml with random values (kept if it exists)
  --overwrite         overwrite files at generated paths that no earlier synth wrote (by default synth
                      refuses, naming them); synth removes only files its manifest DIR/.observatory-synth.json lists
  -h, --help          show this help

Exit codes: 0 ok, 1 rendering failed, 2 bad spec or usage.`;

class UsageError extends Error {}

function parse(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        env: { type: 'string' },
        spec: { type: 'string' },
        out: { type: 'string', default: 'out' },
        'generate-secrets': { type: 'boolean', default: false },
        overwrite: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

function resolveSpec(values: { env?: string | undefined; spec?: string | undefined }): StackSpec {
  if (values.env !== undefined && !(environments as readonly string[]).includes(values.env)) {
    throw new UsageError(`--env: expected one of ${environments.join(', ')}, got "${values.env}"`);
  }
  const options = values.env ? { environment: values.env as Environment } : {};
  return values.spec ? loadSpecFile(values.spec, options) : defineStack({}, options);
}

function synth(values: ReturnType<typeof parse>['values']): number {
  // process.hrtime, not performance.now(): the \`performance\` global loads perf_hooks (8 modules) on first use.
  const started = process.hrtime.bigint();
  const spec = resolveSpec(values);
  // The schema checks (about a second) run in `validate` and in the test suite for every preset, not here.
  const rendered = renderStack(spec);
  const outDir = resolve(values.out ?? 'out');
  const report = writeRendered(rendered, { outDir, generateSecrets: values['generate-secrets'] ?? false, overwrite: values.overwrite ?? false });
  const ms = Math.round(Number(process.hrtime.bigint() - started) / 1e6);
  const grafana = rendered.components.find((c) => c.name === 'grafana');
  // One write for the whole report rather than one per line.
  const lines = [`observatory: ${spec.environment} stack "${spec.name}" rendered in ${ms} ms`];
  lines.push(`  ${outDir}/k8s/               ${report.kubernetesObjects} Kubernetes objects in ${report.kubernetesFiles} files (namespace ${spec.namespace})`);
  lines.push(`  ${outDir}/compose/           compose.yaml, ${report.composeFiles - 2} config files, .env.example`);
  if (report.runbookFiles > 0) lines.push(`  ${outDir}/runbooks/          ${report.runbookFiles} alert runbooks (Markdown; alerts link them by runbook_url)`);
  lines.push(`  ${outDir}/compose/.env       credentials ${report.envFile === 'kept' ? 'kept as they were' : report.envFile === 'extended' ? 'kept; new variables appended' : 'generated'}`);
  if (report.secretsFile) lines.push(`  ${outDir}/k8s-secrets.yaml   Kubernetes Secrets ${report.secretsFile === 'kept' ? 'kept as they were' : 'generated'}`);
  for (const c of rendered.components) {
    for (const provided of c.providedSecretFiles ?? []) {
      lines.push(`\n${c.name} needs credentials only you have (never generated), one file or Secret key each:`);
      for (const [file, what] of Object.entries(provided.files)) {
        lines.push(`  ${file}: ${what}`);
      }
      lines.push(`  compose: put them in ${outDir}/compose/${providedSecretPath(provided.secret, '<file>')} (readable by the container user)`);
      lines.push(`  Kubernetes: create the Secret ${provided.secret} in namespace ${spec.namespace} with those keys`);
    }
  }
  const gaps = spec.environment === 'local' ? [] : alertDeliveryGaps(spec);
  if (gaps.length > 0) lines.push(`\nAlerting: ${gaps.length === 1 ? 'one gap' : `${gaps.length} gaps`} (docs/ALERTS.md, "Routes and receivers"):`, ...gaps.map((gap) => `  - ${gap}`));
  lines.push(`\nStart the local stack:  cd ${outDir}/compose && docker compose up -d`);
  if (grafana) lines.push(`Grafana: http://${spec.compose.bindAddress}:3000 (user admin, password GRAFANA_ADMIN_PASSWORD in .env)`);
  lines.push(`Send telemetry over OTLP to ${spec.compose.bindAddress}:4317 (gRPC) or http://${spec.compose.bindAddress}:4318 (HTTP).`);
  console.log(lines.join('\n'));
  return 0;
}

/** The schema and query checks load only here: `synth` never needs them (docs/ARCHITECTURE.md, "Light to load"). */
async function validate(values: ReturnType<typeof parse>['values']): Promise<number> {
  const spec = resolveSpec(values);
  const { validateStack } = await import('./validate.js');
  return validateStack(spec);
}

/** An error of a file-system call (ENOTDIR, EACCES, ENOSPC...): the user's to fix, so one line, no stack. */
function isFileSystemError(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string' && typeof (error as NodeJS.ErrnoException).syscall === 'string';
}

export async function main(argv: string[]): Promise<number> {
  try {
    const { values, positionals } = parse(argv);
    const command = positionals[0];
    if (values.help || command === undefined || command === 'help') {
      console.log(USAGE);
      return command === undefined && !values.help ? 2 : 0;
    }
    if (positionals.length > 1) throw new UsageError(`unexpected argument "${positionals[1]}"`);
    if (command === 'synth') return synth(values);
    if (command === 'validate') return await validate(values);
    throw new UsageError(`unknown command "${command}"`);
  } catch (error) {
    if (error instanceof SpecError) {
      console.error(`observatory: ${error.message}\nNothing was written.`);
      return 2;
    }
    if (error instanceof UsageError) {
      console.error(`observatory: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    if (error instanceof MissingPeerError) {
      console.error(`observatory: ${error.message}`);
      return 1;
    }
    if (error instanceof ForeignFilesError || error instanceof ManifestError) {
      console.error(`observatory: ${error.message}\nNothing was written.`);
      return 1;
    }
    if (isFileSystemError(error)) {
      console.error(`observatory: cannot write the output: ${error.message}`);
      return 1;
    }
    console.error(`observatory: ${(error as Error).stack ?? String(error)}`);
    return 1;
  }
}
