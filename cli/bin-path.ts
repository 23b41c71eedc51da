import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../model/package-root.js';

/** The `observatory` command as the package ships it (package.json `bin`: the bundle `npm run build` writes). */
export function observatoryBin(): string {
  const manifest = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { bin: { observatory: string } };
  return join(packageRoot(), manifest.bin.observatory);
}
