/**
 * A private, offline Pulumi for one run of `npm run test:pulumi`: the factory's CLI and Node.js language host on
 * PATH, the Kubernetes provider installed into a PULUMI_HOME of its own, a file backend, and a project folder that
 * is this repository's program (Pulumi.yaml copied; dist/, node_modules/ and package.json linked) so that the
 * stack file Pulumi writes lands there, not in the repository. Nothing of it is shared with a Pulumi of the user's.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { packageRoot } from '../../model/package-root.js';

export interface PulumiWorkspace {
  /** Root of everything the run writes (removed after a run that passes). */
  readonly dir: string;
  readonly home: string;
  readonly project: string;
  readonly stack: string;
  /** Every command's output, appended. */
  readonly logFile: string;
  readonly env: NodeJS.ProcessEnv;
}

export interface PulumiBinaries {
  readonly pulumi: string;
  readonly languageHost: string;
}

/** Environment of every Pulumi command: no update check, no plugin download, no prompts, no colours. */
export function offlineEnv(home: string, bin: string, passphrase: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}`,
    PULUMI_HOME: home,
    PULUMI_SKIP_UPDATE_CHECK: 'true',
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: 'true',
    PULUMI_CONFIG_PASSPHRASE: passphrase,
    PULUMI_SKIP_CONFIRMATIONS: 'true',
    NO_COLOR: '1',
  };
}

/**
 * The v3.68 language host takes Pulumi.yaml's runtime options as flags (`-typescript=false`); CLI v3.248 no longer
 * passes them so (it sends them in requests the old host does not read), and the host's default, TypeScript through
 * ts-node, is not this project's (Pulumi.yaml: `typescript: false`, the compiled dist/ runs). So a wrapper passes it.
 */
const languageHostWrapper = (host: string): string => `#!/bin/sh\nexec '${host}' -typescript=false "$@"\n`;

export function createWorkspace(binaries: PulumiBinaries, stack: string): PulumiWorkspace {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'observatory-pulumi-'));
  const home = path.join(dir, 'pulumi-home');
  const bin = path.join(dir, 'bin');
  const project = path.join(dir, 'project');
  for (const d of [home, bin, project, path.join(dir, 'state')]) fs.mkdirSync(d, { recursive: true });
  // The CLI finds language hosts next to itself or on PATH; the factory caches the two in separate folders.
  fs.symlinkSync(binaries.pulumi, path.join(bin, 'pulumi'));
  fs.writeFileSync(path.join(bin, 'pulumi-language-nodejs'), languageHostWrapper(binaries.languageHost), { mode: 0o755 });
  const root = packageRoot();
  fs.copyFileSync(path.join(root, 'Pulumi.yaml'), path.join(project, 'Pulumi.yaml'));
  for (const entry of ['dist', 'node_modules', 'package.json']) fs.symlinkSync(path.join(root, entry), path.join(project, entry));
  const logFile = path.join(dir, 'pulumi.log');
  fs.writeFileSync(logFile, `# ${new Date().toISOString()} npm run test:pulumi\n`);
  return { dir, home, project, stack, logFile, env: offlineEnv(home, bin, randomBytes(16).toString('hex')) };
}

export interface PulumiResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface PulumiRunOptions {
  /** Written to the command's stdin (e.g. a secret config value, never on the command line). */
  readonly input?: string;
  /** Print the output as it comes (long operations); otherwise only the log file gets it. */
  readonly stream?: boolean;
  /** Return a non-zero exit instead of throwing. */
  readonly allowFailure?: boolean;
}

/** Runs `pulumi <args>` in the workspace's project; throws with the output's tail when it fails. */
export function pulumi(ws: PulumiWorkspace, args: readonly string[], options: PulumiRunOptions = {}): Promise<PulumiResult> {
  return new Promise((resolve, reject) => {
    fs.appendFileSync(ws.logFile, `\n$ pulumi ${args.join(' ')}\n`);
    const child = spawn('pulumi', [...args, '--non-interactive', '--color', 'never'], { cwd: ws.project, env: ws.env, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const collect = (into: Buffer[], target: NodeJS.WriteStream) => (chunk: Buffer) => {
      into.push(chunk);
      fs.appendFileSync(ws.logFile, chunk);
      if (options.stream) target.write(chunk);
    };
    child.stdout.on('data', collect(out, process.stdout));
    child.stderr.on('data', collect(err, process.stderr));
    child.on('error', (e) => reject(new Error(`pulumi ${args[0]}: ${e.message}`)));
    child.stdin.end(options.input ?? '');
    child.on('close', (code) => {
      const result = { code: code ?? -1, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
      if (result.code !== 0 && !options.allowFailure) {
        const tail = `${result.stdout}\n${result.stderr}`.trim().split('\n').slice(-30).join('\n');
        reject(new Error(`pulumi ${args.join(' ')} exited ${result.code} (log: ${ws.logFile}):\n${tail}`));
      } else resolve(result);
    });
  });
}
