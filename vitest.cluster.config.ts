import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { defineConfig } from 'vitest/config';

/** Files that read what the whole run left behind, so run after all others. */
const LAST = ['test/cluster/quiet-alerts.test.ts'];
const isLast = (file: TestSpecification) => LAST.some((name) => file.moduleId.endsWith(name));

/** vitest's own order (failed and slow files first), with LAST at the end. */
class LastFilesLast extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    return [...sorted.filter((f) => !isLast(f)), ...sorted.filter(isLast)];
  }
}

/**
 * The tests on the real single-node cluster (test/cluster/): one cluster and one deployed stack for all of them,
 * brought up by the global setup; files run one at a time because they share it.
 */
export default defineConfig({
  test: {
    include: ['test/cluster/**/*.test.ts'],
    globalSetup: ['test/cluster/global-setup.ts'],
    fileParallelism: false,
    sequence: { sequencer: LastFilesLast },
    testTimeout: 300_000,
    hookTimeout: 900_000,
    pool: 'forks',
  },
});
