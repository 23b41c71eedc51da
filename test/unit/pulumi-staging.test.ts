import { environmentSuite } from '../helpers/pulumi-environment.js';

// Production's shape at a smaller size: no HA control plane, public behind the ingress.
environmentSuite('staging', {
  region: 'fra1',
  kubernetesMinor: '1.36',
  nodeSize: 's-2vcpu-4gb',
  nodes: 3,
  autoscale: { min: 3, max: 5 },
  haControlPlane: false,
  domain: 'staging.observability.example.com',
  budget: { atStart: 100, atMax: 150 },
});
