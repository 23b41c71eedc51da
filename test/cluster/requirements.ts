/**
 * Whether the cluster tests can run here. In CI (`CI=true`) anything missing fails them; elsewhere they are
 * skipped with the reason printed. The binaries are not built from here: test/prepare-cluster.sh builds them (a cold
 * Kubernetes build took 345 s on an idle 2-core machine), or `node dist/test/images/build.js kubernetes etcd ...`.
 */
import { cachedBuild } from '../images/binaries.js';
import { inCI } from '../helpers/tools.js';
import { missingPrerequisites } from './cluster.js';
import { clusterComponents } from './recipes.js';

export function clusterProblems(): string[] {
  const problems = missingPrerequisites();
  const unbuilt = clusterComponents.filter((c) => !cachedBuild(c));
  if (unbuilt.length > 0) problems.push(`binaries not built: ${unbuilt.join(', ')} (node dist/test/images/build.js ${unbuilt.join(' ')})`);
  return problems;
}

export { inCI };
