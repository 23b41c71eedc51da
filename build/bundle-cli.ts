import { build, type Metafile } from 'esbuild';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { packageRoot } from '../model/package-root.js';

/**
 * Bundles the `observatory` command (cli/main.ts) into dist/bin/: one file for `synth` and a chunk that only
 * `validate` loads. A cold `synth` spent a fifth of its time resolving, reading and wrapping its ~480 modules
 * (docs/ARCHITECTURE.md, "Light to load"). The library's own modules (dist/index.js and what it imports) are the
 * tsc output as before; this bundle is only the bin's.
 */
const root = packageRoot();
const BIN_DIR = join('dist', 'bin');
const outdir = join(root, BIN_DIR);

/** Node built-ins that a bundled CommonJS package requires need a real `require` in an ES module. */
const banner = "import { createRequire as __observatoryCreateRequire } from 'node:module';\nconst require = __observatoryCreateRequire(import.meta.url);";

/** The folder of each package (`node_modules/<name>` or `node_modules/@scope/<name>`, nested or not) among the inputs. */
function bundledPackageDirs(metafile: Metafile): string[] {
  const dirs = new Set<string>();
  for (const input of Object.keys(metafile.inputs)) {
    const at = input.lastIndexOf('node_modules/');
    if (at < 0) continue;
    const [first, second] = input.slice(at + 'node_modules/'.length).split('/');
    dirs.add(posix.join(input.slice(0, at), 'node_modules', first!.startsWith('@') ? `${first}/${second}` : first!));
  }
  return [...dirs].sort();
}

/** Each bundled package's name, version, license and license (and NOTICE) files: what redistributing them asks. */
function thirdPartyNotices(metafile: Metafile): string {
  return bundledPackageDirs(metafile)
    .map((dir) => {
      const manifest = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')) as { name: string; version: string; license?: string };
      const files = readdirSync(join(root, dir)).filter((f) => /^(licen[cs]e|notice|copyrightnotice)/i.test(f)).sort();
      if (!files.some((f) => /^licen[cs]e/i.test(f))) throw new Error(`${dir}: no license file to ship with the bundle`);
      const texts = files.map((f) => readFileSync(join(root, dir, f), 'utf8').trim());
      return [`${manifest.name} ${manifest.version} (${manifest.license ?? 'see below'})`, ...texts].join('\n\n');
    })
    .join(`\n\n${'-'.repeat(78)}\n\n`);
}

async function bundle(): Promise<void> {
  rmSync(outdir, { recursive: true, force: true });
  const result = await build({
    absWorkingDir: root,
    entryPoints: { observatory: 'cli/main.ts' },
    outdir,
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outExtension: { '.js': '.js' },
    chunkNames: '[name]-[hash]',
    banner: { js: banner },
    metafile: true,
    logLevel: 'warning',
  });
  writeFileSync(join(outdir, 'THIRD-PARTY-NOTICES.txt'), `The observatory command (dist/bin/) bundles these packages:\n\n${thirdPartyNotices(result.metafile)}\n`);
  if (!existsSync(join(outdir, 'observatory.js'))) throw new Error('esbuild wrote no dist/bin/observatory.js');
}

await bundle();
