import { environmentSuite } from '../helpers/pulumi-environment.js';

// The demo environment: two small nodes, no HA control plane, no ingress; under $100 a month even fully scaled out.
environmentSuite('dev', {
  region: 'fra1',
  kubernetesMinor: '1.36',
  nodeSize: 's-2vcpu-4gb',
  nodes: 2,
  autoscale: { min: 2, max: 3 },
  haControlPlane: false,
  budget: { atStart: 100, atMax: 100 },
});
