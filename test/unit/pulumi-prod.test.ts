import { environmentSuite } from '../helpers/pulumi-environment.js';

// The only environment with the highly available control plane.
environmentSuite('prod', {
  region: 'fra1',
  kubernetesMinor: '1.36',
  nodeSize: 's-4vcpu-8gb',
  nodes: 5,
  autoscale: { min: 5, max: 8 },
  haControlPlane: true,
  domain: 'observability.example.com',
  budget: { atStart: 450, atMax: 600 },
  // The distributed stack's Spaces bucket is made with these (pulumi config set --secret ...).
  secretConfig: { spacesAccessKeyId: 'DO00EXAMPLEACCESSKEY', spacesSecretAccessKey: 'example-spaces-secret-key' },
});
