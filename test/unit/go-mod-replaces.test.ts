import { describe, expect, it } from 'vitest';
import { localReplaces } from '../images/binaries.js';

// The shape of k8s.io/kubernetes' go.mod: staging modules required as v0.0.0 and replaced in a block.
const kubernetesLike = `module k8s.io/kubernetes

go 1.24.0

require (
\tgithub.com/spf13/cobra v1.9.1
\tk8s.io/api v0.0.0
\tk8s.io/client-go v0.0.0
)

replace (
\tk8s.io/api => ./staging/src/k8s.io/api
\tk8s.io/client-go => ./staging/src/k8s.io/client-go
)

replace github.com/grafana/loki/pkg/push v1.2.3 => ./pkg/push
replace example.com/elsewhere => example.com/fork v1.0.0
`;

describe('localReplaces (go.mod replace directives pointing at local folders)', () => {
  it('reads replace blocks line by line, and single-line replaces with a version', () => {
    expect(localReplaces(kubernetesLike).map(({ module, target, required }) => ({ module, target, required }))).toEqual([
      { module: 'k8s.io/api', target: './staging/src/k8s.io/api', required: 'v0.0.0' },
      { module: 'k8s.io/client-go', target: './staging/src/k8s.io/client-go', required: 'v0.0.0' },
      { module: 'github.com/grafana/loki/pkg/push', target: './pkg/push', required: undefined },
    ]);
  });

  it('keeps each match to its own line, so the rewrite touches only that line', () => {
    for (const r of localReplaces(kubernetesLike)) expect(r.line).not.toContain('\n');
  });
});
