import { join } from 'node:path';
import { packageRoot } from '../../model/package-root.js';

export { observatoryBin } from '../../cli/bin-path.js';

/** The same command unbundled: tsc's output, the modules the library is made of. */
export const unbundledCli = (): string => join(packageRoot(), 'dist', 'cli', 'main.js');
