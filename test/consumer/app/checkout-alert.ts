// The infra repo's own alert, in Observatory's typed rule model (also used by test/unit/user-alerts.test.ts).
import type { AlertDefinition } from 'observatory';

export const checkoutBacklog: AlertDefinition = {
  name: 'CheckoutQueueBacklog',
  variants: [
    {
      expr: 'sum(checkout_queue_depth) > 1000',
      for: '10m',
      severity: 'P2',
      labels: { service: 'checkout' },
      summary: 'The checkout queue holds more than 1000 orders',
      description: 'Orders wait {{ $value }} deep in the checkout queue.',
    },
  ],
  runbook: {
    meaning: 'Orders are taken faster than the workers confirm them.',
    investigate: [{ language: 'MetricsQL', purpose: 'How fast the queue grows', query: 'deriv(sum(checkout_queue_depth)[15m])' }],
    causes: ['A worker deployment scaled down', 'The payment provider is slow'],
    mitigation: ['Scale the checkout workers up'],
  },
};
