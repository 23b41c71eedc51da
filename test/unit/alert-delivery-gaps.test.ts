import { describe, expect, it } from 'vitest';
import { alertDeliveryGaps } from '../../alerts/delivery-gaps.js';
import { defineStack } from '../../model/define.js';
import type { StackInput } from '../../model/spec.js';

const webhook = (name: string, routes?: ('page' | 'notify' | 'ticket')[]) => ({ name, type: 'webhook' as const, url: `https://hooks.example.com/${name}`, ...(routes ? { routes } : {}) });
const gaps = (alerting: StackInput['alerting'], input: StackInput = {}) => alertDeliveryGaps(defineStack({ ...input, alerting }, { environment: 'prod' }));

describe('alertDeliveryGaps', () => {
  it('names the empty receivers and the missing heartbeat of the presets', () => {
    const found = alertDeliveryGaps(defineStack({}, { environment: 'prod' }));
    expect(found).toHaveLength(2);
    expect(found[0]).toMatch(/^alerting\.receivers is empty: .*notify nobody/);
    expect(found[1]).toMatch(/^alerting\.heartbeat is off: .*heartbeat-url/);
  });

  it('finds nothing when every route has a receiver and the heartbeat is on', () => {
    expect(gaps({ receivers: [webhook('oncall', ['page']), webhook('team', ['notify', 'ticket'])], heartbeat: true })).toEqual([]);
    expect(gaps({ receivers: [webhook('all')], heartbeat: true })).toEqual([]);
  });

  it('names each route no receiver takes, with its severities', () => {
    expect(gaps({ receivers: [webhook('tickets', ['ticket'])], heartbeat: true })).toEqual([
      'no receiver takes the page route: P0 and P1 alerts notify nobody (alerting.receivers[].routes)',
      'no receiver takes the notify route: P2 alerts notify nobody (alerting.receivers[].routes)',
    ]);
  });

  it('finds nothing when vmalert is off: no alerts, by choice', () => {
    expect(gaps({ receivers: [] }, { components: { vmalert: { enabled: false } } })).toEqual([]);
  });
});
