import type { Component } from '../model/component.js';
import { resolveImage } from '../model/images.js';
import type { Resources, StackSpec } from '../model/spec.js';
import { execProbe, secretRef, tcpProbe } from './describe.js';

export interface ValkeyProps {
  readonly name: string;
  /** Secret holding key `password`. */
  readonly secret: string;
  readonly resources: Resources;
  readonly storage: string;
}

export const VALKEY_PORT = 6379;

/** A Valkey server with append-only persistence and a password, owned by one application. */
export function valkeyComponent(spec: StackSpec, props: ValkeyProps): Component {
  // The password comes from the environment so it never appears in the pod spec or compose.yaml.
  const ping = execProbe('sh', '-c', 'valkey-cli --no-auth-warning -a "$VALKEY_PASSWORD" ping | grep -q PONG');
  return {
    name: props.name,
    role: 'queue',
    image: resolveImage(spec, 'valkey'),
    kind: 'stateful',
    replicas: 1,
    command: ['sh', '-c', 'exec valkey-server --appendonly yes --dir /data --requirepass "$VALKEY_PASSWORD"'],
    env: { VALKEY_PASSWORD: secretRef(props.secret, 'password') },
    ports: [{ name: 'valkey', port: VALKEY_PORT }],
    configFiles: [],
    volumes: [{ name: 'data', mountPath: '/data', kind: 'persistent', size: props.storage }],
    health: { readiness: ping, liveness: tcpProbe(VALKEY_PORT), startupSeconds: 30 },
    resources: props.resources,
    readOnlyRootFilesystem: true,
    secrets: [{ name: props.secret, keys: { password: { length: 32 } } }],
  };
}

export function valkeyUrl(props: Pick<ValkeyProps, 'name' | 'secret'>, database = 0) {
  return {
    template: `redis://:{password}@${props.name}:${VALKEY_PORT}/${database}`,
    secrets: { password: { secret: props.secret, key: 'password' } },
  };
}
