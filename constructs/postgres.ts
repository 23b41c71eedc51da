import type { Component } from '../model/component.js';
import { resolveImage } from '../model/images.js';
import type { Resources, StackSpec } from '../model/spec.js';
import { execProbe, secretRef, tcpProbe } from './describe.js';

export interface PostgresProps {
  /** Service name, e.g. `glitchtip-postgres`. */
  readonly name: string;
  readonly database: string;
  readonly user: string;
  /** Secret holding key `password`. */
  readonly secret: string;
  readonly resources: Resources;
  readonly storage: string;
}

export const POSTGRES_PORT = 5432;
const DATA_DIR = '/var/lib/postgresql';

/** A PostgreSQL server owned by one application (one database, one role). */
export function postgresComponent(spec: StackSpec, props: PostgresProps): Component {
  const ready = execProbe('pg_isready', '-h', '127.0.0.1', '-U', props.user, '-d', props.database);
  return {
    name: props.name,
    role: 'database',
    image: resolveImage(spec, 'postgres'),
    kind: 'stateful',
    replicas: 1,
    env: {
      POSTGRES_USER: props.user,
      POSTGRES_DB: props.database,
      POSTGRES_PASSWORD: secretRef(props.secret, 'password'),
      // A subdirectory: the volume's root may hold lost+found, which initdb refuses.
      PGDATA: `${DATA_DIR}/data/pgdata`,
    },
    ports: [{ name: 'postgres', port: POSTGRES_PORT }],
    configFiles: [],
    volumes: [
      { name: 'data', mountPath: DATA_DIR, kind: 'persistent', size: props.storage },
      { name: 'run', mountPath: '/var/run/postgresql', kind: 'scratch' },
      { name: 'tmp', mountPath: '/tmp', kind: 'scratch' },
    ],
    health: { readiness: ready, liveness: tcpProbe(POSTGRES_PORT), startupSeconds: 60 },
    resources: props.resources,
    readOnlyRootFilesystem: true,
    secrets: [{ name: props.secret, keys: { password: { length: 32 } } }],
    terminationGraceSeconds: 60,
  };
}

/** `postgres://user:{password}@host:5432/db` as a template over the database secret. */
export function postgresUrl(props: Pick<PostgresProps, 'name' | 'database' | 'user' | 'secret'>, scheme = 'postgres') {
  return {
    template: `${scheme}://${props.user}:{password}@${props.name}:${POSTGRES_PORT}/${props.database}`,
    secrets: { password: { secret: props.secret, key: 'password' } },
  };
}
