/** What the test cluster's webhook sink (test/cluster/test-workloads.ts) received from Alertmanager. */

/** One alert of an Alertmanager webhook notification, with the receiver it was sent to. */
export interface ReceivedAlert {
  receiver: string;
  status: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

/** Alertmanager's webhook payload (the fields the tests read). */
interface AlertmanagerWebhook {
  receiver: string;
  alerts: Omit<ReceivedAlert, 'receiver'>[];
}

/** Every alert of every notification the sink at `sinkUrl` received so far. */
export async function receivedAlerts(sinkUrl: string): Promise<ReceivedAlert[]> {
  const response = await fetch(`${sinkUrl}/received`, { signal: AbortSignal.timeout(10_000) });
  const notifications = (await response.json()) as { body: AlertmanagerWebhook }[];
  return notifications.flatMap((n) => n.body.alerts.map((alert) => ({ receiver: n.body.receiver, ...alert })));
}
