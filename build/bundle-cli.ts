import { build, type Metafile } from 'esbuild';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { sha256 } from '../cli/code-cache.js';
import { packageRoot } from '../model/package-root.js';

/**
 * Builds the `observatory` bin in dist/bin/: program.cjs, the command (cli/program.ts) bundled with its
 * dependencies into one CommonJS file, and observatory.cjs (cli/bin.ts), which runs it through V8's code cache. A
 * cold `synth` spent a fifth of its time resolving, reading and wrapping its ~480 modules one by one, and a third
 * compiling them (docs/ARCHITECTURE.md, "Light to load"). The library's own modules (dist/index.js and what it
 * imports) are the tsc output as before; the bundle is only the bin's.
 */
const root = packageRoot();
const outdir = join(root, 'dist', 'bin');

/**
 * CommonJS has no `import.meta.url`: the modules that resolve files or packages from their own place (the package
 * root, the optional validation peers) get the bundle's, which sits in the same package.
 */
const importMetaUrl = '__observatoryImportMetaUrl';
// "use strict" first: esbuild's own comes after the banner, where it is no longer a directive (ES modules are strict).
const banner = `"use strict";\nconst ${importMetaUrl} = require('node:url').pathToFileURL(__filename).href;`;

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
  // Both CommonJS: Node starts a CommonJS entry without setting up its ES module loader.
  const common = {
    absWorkingDir: root,
    bundle: true,
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
    format: 'cjs',
    define: { 'import.meta.url': importMetaUrl },
    banner: { js: banner },
    metafile: true,
    // No `module` condition (esbuild's default when none are given): with it, the packages' `require('tslib')` got
    // tslib's ES module, and each of its 233 requires copied its ~40 exports onto a new object (about 4 ms).
    conditions: [] as string[],
    // Without comments the bundle is ASCII (esbuild escapes the rest), which V8 keeps as a one-byte string: a comment
    // with one `→` made the 3.3 MB source a 6.7 MB two-byte string, slower to decode, hash and scan (about 15 ms of
    // a cold synth's CPU with the code cache reading and checking it). Names stay, for stack traces.
    minifyWhitespace: true,
  } as const;
  const program = await build({
    ...common,
    entryPoints: ['cli/program.ts'],
    outfile: join(outdir, 'program.cjs'),
  });
  // The loader: node built-ins only, so nothing to bundle but our own modules. It carries the program's hash, which
  // names the program's code cache (cli/code-cache.ts), so that a start need not hash the program.
  const programSha256 = sha256(readFileSync(join(outdir, 'program.cjs'), 'utf8'));
  const loader = await build({
    ...common,
    define: { ...common.define, __observatoryProgramSha256: JSON.stringify(programSha256) },
    entryPoints: ['cli/bin.ts'],
    outfile: join(outdir, 'observatory.cjs'),
  });
  if (!readFileSync(join(outdir, 'observatory.cjs'), 'utf8').includes(programSha256)) throw new Error('the loader does not carry the program\'s hash');
  for (const file of ['program.cjs', 'observatory.cjs']) {
    const at = readFileSync(join(outdir, file), 'utf8').search(/[^\x00-\x7f]/);
    if (at >= 0) throw new Error(`dist/bin/${file} is not ASCII at offset ${at}: V8 would hold it as a two-byte string`);
  }
  const loaderPackages = bundledPackageDirs(loader.metafile);
  if (loaderPackages.length > 0) throw new Error(`the bin's loader bundles packages: ${loaderPackages.join(', ')}`);
  writeFileSync(join(outdir, 'THIRD-PARTY-NOTICES.txt'), `The observatory command (dist/bin/) bundles these packages:\n\n${thirdPartyNotices(program.metafile)}\n`);
  if (!existsSync(join(outdir, 'observatory.cjs'))) throw new Error('esbuild wrote no dist/bin/observatory.cjs');
}

await bundle();
