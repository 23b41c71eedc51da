import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { renderStack } from '../../cli/render.js';
import { allObjects } from '../../constructs/manifests.js';
import { defineStack } from '../../model/define.js';
import { workloads } from '../helpers/render.js';

const rendered = renderStack(
  defineStack({
    alerting: {
      receivers: [
        { name: 'ops-slack', type: 'slack', channel: '#alerts' },
        { name: 'ops-pager', type: 'pagerduty' },
      ],
    },
  }),
);

describe('credentials only the user has (Slack URL, PagerDuty key)', () => {
  const config = yaml.load(rendered.components.find((c) => c.name === 'alertmanager')!.configFiles[0]!.content) as any;
  const paths = [config.receivers[1].slack_configs[0].api_url_file, config.receivers[2].pagerduty_configs[0].routing_key_file];

  it('are files Alertmanager reads, never literal in its config', () => {
    expect(paths).toEqual(['/etc/alertmanager/secrets/ops-slack-url', '/etc/alertmanager/secrets/ops-pager-routing-key']);
  });

  it('come from the alertmanager-receivers Secret on Kubernetes, mounted read-only where the config reads them', () => {
    const pod = workloads(allObjects(rendered.kubernetes)).find((w) => w.object.metadata.name === 'alertmanager')!.pod;
    const volume = pod.volumes!.find((v) => (v as any).secret?.secretName === 'alertmanager-receivers') as any;
    expect(volume).toBeDefined();
    const mount = pod.containers[0]!.volumeMounts!.find((m) => m.name === volume.name) as any;
    expect(mount).toMatchObject({ mountPath: '/etc/alertmanager/secrets', readOnly: true });
  });

  it('come from files beside the compose bundle, mounted at the same paths', () => {
    const compose = yaml.load(rendered.compose.files.get('compose.yaml')!) as any;
    expect(compose.secrets).toEqual({
      'alertmanager-receivers-ops-slack-url': { file: './secrets/alertmanager-receivers/ops-slack-url' },
      'alertmanager-receivers-ops-pager-routing-key': { file: './secrets/alertmanager-receivers/ops-pager-routing-key' },
    });
    expect(compose.services.alertmanager.secrets.map((s: { target: string }) => s.target)).toEqual(paths);
    expect([...rendered.compose.files.keys()].filter((f) => f.startsWith('secrets/'))).toEqual([]);
  });

  it('include the SMTP password of an email receiver that logs in, as a file next to its user name', () => {
    const withSmtp = renderStack(
      defineStack({ alerting: { receivers: [{ name: 'ops-mail', type: 'email', to: ['a@example.com'], from: 'b@example.com', smarthost: 'smtp.example.com:587', authUsername: 'alerts' }] } }),
    );
    const alertmanager = withSmtp.components.find((c) => c.name === 'alertmanager')!;
    const email = (yaml.load(alertmanager.configFiles[0]!.content) as any).receivers[1].email_configs[0];
    expect(email).toMatchObject({ auth_username: 'alerts', auth_password_file: '/etc/alertmanager/secrets/ops-mail-smtp-password' });
    expect(email.auth_password).toBeUndefined();
    expect(Object.keys(alertmanager.providedSecretFiles![0]!.files)).toEqual(['ops-mail-smtp-password']);
  });

  it('are absent when no receiver needs them', () => {
    const plain = renderStack(defineStack({}));
    expect(plain.components.find((c) => c.name === 'alertmanager')!.providedSecretFiles).toBeUndefined();
    expect((yaml.load(plain.compose.files.get('compose.yaml')!) as any).secrets).toBeUndefined();
  });
});
