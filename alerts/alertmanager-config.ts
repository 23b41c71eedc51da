import type { Receiver, StackSpec } from '../model/spec.js';

/** A receiver entry of alertmanager.yml; credentials are read from files mounted from secrets (issue: alerts). */
function receiverConfig(receiver: Receiver): Record<string, unknown> {
  switch (receiver.type) {
    case 'webhook':
      return { name: receiver.name, webhook_configs: [{ url: receiver.url, send_resolved: receiver.sendResolved ?? true }] };
    case 'slack':
      return { name: receiver.name, slack_configs: [{ channel: receiver.channel, api_url_file: `/etc/alertmanager/secrets/${receiver.name}-url`, send_resolved: true }] };
    case 'email':
      return {
        name: receiver.name,
        email_configs: receiver.to.map((to) => ({ to, from: receiver.from, smarthost: receiver.smarthost, send_resolved: true })),
      };
    case 'pagerduty':
      return { name: receiver.name, pagerduty_configs: [{ routing_key_file: `/etc/alertmanager/secrets/${receiver.name}-routing-key` }] };
  }
}

/**
 * alertmanager.yml: every alert goes to every configured receiver (each a child route that continues);
 * alerts reach the `default` receiver, which sends nothing, only when no receiver is configured.
 */
export function alertmanagerConfig(spec: StackSpec): Record<string, unknown> {
  const receivers = spec.alerting.receivers;
  return {
    route: {
      receiver: 'default',
      group_by: ['alertname', 'service'],
      group_wait: '30s',
      group_interval: '5m',
      repeat_interval: '4h',
      routes: receivers.map((receiver) => ({ receiver: receiver.name, continue: true })),
    },
    receivers: [{ name: 'default' }, ...receivers.map(receiverConfig)],
  };
}
