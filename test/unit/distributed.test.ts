import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { renderStack } from '../../cli/render.js';
import { replicaServices } from '../../compose/render.js';
import { composeSchemaProblems } from '../../compose/schema-check.js';
import { allObjects } from '../../constructs/manifests.js';
import { OPENSEARCH_CA_DIR } from '../../constructs/opensearch.js';
import { defineStack } from '../../model/define.js';
import type { Component } from '../../model/component.js';
import { presets, renderedPreset } from '../helpers/render.js';
import { specProblems } from '../helpers/spec-problems.js';

const prod = renderedPreset('prod');
const named = (name: string): Component => {
  const component = prod.components.find((c) => c.name === name);
  if (!component) throw new Error(`no component ${name}`);
  return component;
};
const config = (name: string, file = 'config.yaml') => yaml.load(named(name).configFiles.find((f) => f.name === file)!.content) as any;
const args = (name: string) => (named(name).args ?? []).map((a) => (typeof a === 'string' ? a : a.template));

describe('scale', () => {
  it('is distributed on prod and single elsewhere, by preset', () => {
    expect(Object.fromEntries(presets.map((p) => [p, renderedPreset(p).spec.scale]))).toEqual({ local: 'single', dev: 'single', staging: 'single', prod: 'distributed' });
  });

  it('refuses sizes that cannot work, naming the path', () => {
    expect(specProblems({ scale: 'distributed', distributed: { logs: { write: 2, replicationFactor: 3 }, metrics: { vmstorage: 1, replicationFactor: 2 } } })).toEqual([
      'distributed.logs.replicationFactor: the replication factor cannot exceed distributed.logs.write (2), got 3',
      'distributed.metrics.replicationFactor: the replication factor cannot exceed distributed.metrics.vmstorage (1), got 2',
    ]);
    expect(specProblems({ scale: 'huge' })).toEqual(['scale: expected one of single, distributed, got "huge"']);
    expect(specProblems({ distributed: { collector: { samplers: 0 } } })).toEqual(['distributed.collector.samplers: expected at least 1 replicas, got 0']);
    expect(specProblems({ distributed: { traces: { opensearch: { endpoint: 'ftp://x' } } } })[0]).toMatch(/^distributed\.traces\.opensearch\.endpoint: expected an http\(s\) URL/);
  });

  it('of a single stack leaves the distributed sizing unread', () => {
    const single = renderStack(defineStack({ scale: 'single', distributed: { logs: { write: 1, replicationFactor: 3 } } }, { environment: 'prod' }));
    expect(single.components.map((c) => c.name)).toEqual(renderStack(defineStack({ scale: 'single' }, { environment: 'prod' })).components.map((c) => c.name));
    expect(single.components.map((c) => c.name)).toEqual(expect.arrayContaining(['victoriametrics', 'loki', 'jaeger', 'otel-sampler']));
  });
});

describe('trace intake past one sampler', () => {
  it('routes every span by its trace ID to one of the samplers, found by their peers name', () => {
    const gateway = config('otel-collector');
    expect(gateway.service.pipelines.traces.exporters).toEqual(['loadbalancing/samplers']);
    expect(gateway.exporters['loadbalancing/samplers']).toMatchObject({
      routing_key: 'traceID',
      resolver: { dns: { hostname: 'otel-sampler-headless', port: '4317' } },
      sending_queue: { enabled: true, storage: 'file_storage' },
      retry_on_failure: { enabled: true, max_elapsed_time: '0s' },
      // Only the file-backed queue acknowledges: the per-sampler exporters hold nothing in memory.
      protocol: { otlp: { sending_queue: { enabled: false }, retry_on_failure: { enabled: false } } },
    });
    expect(named('otel-sampler').replicas).toBe(prod.spec.distributed.collector.samplers);
    expect(named('otel-collector').connectsTo).toContainEqual({ component: 'otel-sampler', port: 4317 });
  });

  it('keeps what must run once out of the samplers: the scraper scrapes the stack and watches the cluster', () => {
    const onKubernetes = (name: string) => {
      const c = named(name);
      return [c.configFiles[0]!, ...(c.kubernetes?.configFiles ?? [])].map((f) => f.content).join('\n');
    };
    expect(onKubernetes('otel-sampler')).not.toMatch(/k8s_cluster|k8s_objects|job_name: vmstorage/);
    expect(onKubernetes('otel-scraper')).toMatch(/k8s_cluster/);
    expect(onKubernetes('otel-scraper')).toMatch(/job_name: vmstorage/);
    expect(named('otel-sampler').kubernetes?.clusterAccess ?? []).toEqual([]);
    expect(named('otel-scraper').replicas).toBe(1);
    expect(config('otel-scraper').service.pipelines.traces).toBeUndefined();
  });

  it('marks each sampler\'s span metrics with the instance that computed them', () => {
    const sampler = config('otel-sampler');
    expect(sampler.service.pipelines['metrics/spans']).toMatchObject({ receivers: ['span_metrics'], processors: ['memory_limiter', 'transform/metric_labels', 'transform/instance'] });
    expect(sampler.processors['transform/instance'].metric_statements).toEqual(['set(resource.attributes["collector.instance"], "${env:HOSTNAME}")']);
  });
});

describe('logs: Loki in simple scalable mode', () => {
  it('runs the write, read and backend targets on one config, with memberlist and the bucket', () => {
    for (const target of ['write', 'read', 'backend']) {
      expect(args(`loki-${target}`)).toEqual(['-config.file=/etc/loki/config.yaml', `-target=${target}`, '-config.expand-env=true']);
      expect(named(`loki-${target}`).configFiles).toEqual(named('loki-write').configFiles);
    }
    const loki = config('loki-write');
    expect(loki.common.ring.kvstore.store).toBe('memberlist');
    expect(loki.memberlist.join_members).toEqual(['dns+loki-write-headless:7946', 'dns+loki-read-headless:7946', 'dns+loki-backend-headless:7946']);
    expect(loki.schema_config.configs[0].object_store).toBe('s3');
    expect(loki.common.replication_factor).toBe(prod.spec.distributed.logs.replicationFactor);
    expect(loki.compactor).toMatchObject({ retention_enabled: true, delete_request_store: 's3' });
    expect(loki.limits_config.retention_period).toBe('720h');
  });

  it('reads the bucket and its keys from the Secret through the environment, never from the config', () => {
    const s3 = config('loki-write').common.storage.s3;
    expect(s3).toMatchObject({ access_key_id: '${LOKI_S3_ACCESS_KEY_ID}', secret_access_key: '${LOKI_S3_SECRET_ACCESS_KEY}', endpoint: '${LOKI_S3_ENDPOINT}', bucketnames: '${LOKI_S3_BUCKET}' });
    expect(named('loki-write').env).toMatchObject({ LOKI_S3_SECRET_ACCESS_KEY: { secret: { secret: 'loki-object-storage', key: 'secret-access-key' } } });
    const own = renderStack(defineStack({ distributed: { logs: { objectStorage: { endpoint: 'http://minio:9000', bucket: 'logs' } } } }, { environment: 'prod' }));
    const ownS3 = (yaml.load(own.components.find((c) => c.name === 'loki-read')!.configFiles[0]!.content) as any).common.storage.s3;
    expect(ownS3).toMatchObject({ endpoint: 'minio:9000', insecure: true, bucketnames: 'logs' });
  });

  it('pushes logs to the write target and queries the read target', () => {
    expect(config('otel-collector').exporters['otlp_http/loki'].endpoint).toBe('http://loki-write:3100/otlp');
    const datasources = yaml.load(named('grafana').configFiles.find((f) => f.name === 'datasources.yaml')!.content) as any;
    expect(datasources.datasources.find((d: any) => d.type === 'loki').url).toBe('http://loki-read:3100');
  });
});

describe('metrics: the VictoriaMetrics cluster', () => {
  it('spreads samples over every vmstorage node with the replication factor, and reads them back from all', () => {
    const nodes = (port: number) => ['vmstorage-0', 'vmstorage-1', 'vmstorage-2'].map((n) => `${n}.vmstorage-headless:${port}`).join(',');
    expect(args('vminsert')).toEqual(expect.arrayContaining([`-storageNode=${nodes(8400)}`, '-replicationFactor=2', '-opentelemetry.usePrometheusNaming']));
    expect(args('vmselect')).toEqual(expect.arrayContaining([`-storageNode=${nodes(8401)}`, '-replicationFactor=2']));
    expect(named('vmstorage')).toMatchObject({ kind: 'stateful', replicas: 3 });
  });

  it('takes the collector\'s metrics at vminsert and answers vmalert and Grafana from vmselect', () => {
    expect(config('otel-collector').exporters['otlp_http/victoriametrics'].metrics_endpoint).toBe('http://vminsert:8480/insert/0/opentelemetry/v1/metrics');
    expect(args('vmalert')).toEqual(
      expect.arrayContaining(['-datasource.url=http://vmselect:8481/select/0/prometheus', '-remoteWrite.url=http://vminsert:8480/insert/0/prometheus', '-remoteRead.url=http://vmselect:8481/select/0/prometheus']),
    );
    const datasources = yaml.load(named('grafana').configFiles.find((f) => f.name === 'datasources.yaml')!.content) as any;
    expect(datasources.datasources.find((d: any) => d.uid === 'metrics' || d.type === 'prometheus').url).toBe('http://vmselect:8481/select/0/prometheus');
  });
});

describe('HA', () => {
  it('runs Grafana replicas on a Postgres of their own', () => {
    expect(named('grafana')).toMatchObject({ kind: 'service', replicas: 2 });
    expect(named('grafana').env).toMatchObject({ GF_DATABASE_TYPE: 'postgres', GF_DATABASE_HOST: 'grafana-postgres:5432', GF_DATABASE_PASSWORD: { secret: { secret: 'grafana-postgres', key: 'password' } } });
    expect(named('grafana').volumes.every((v) => v.kind === 'scratch')).toBe(true);
  });

  it('runs Alertmanager as a gossip cluster that every vmalert replica notifies member by member', () => {
    expect(named('alertmanager').replicas).toBe(3);
    expect(args('alertmanager')).toEqual(expect.arrayContaining(['--cluster.listen-address=0.0.0.0:9094', '--cluster.peer=alertmanager-headless:9094']));
    expect(named('alertmanager').ports.filter((p) => p.port === 9094).map((p) => p.protocol ?? 'TCP').sort()).toEqual(['TCP', 'UDP']);
    expect(named('vmalert').replicas).toBe(2);
    expect(args('vmalert').filter((a) => a.startsWith('-notifier.url='))).toEqual([0, 1, 2].map((i) => `-notifier.url=http://alertmanager-${i}.alertmanager-headless:9093`));
  });
});

describe('traces: Jaeger on OpenSearch', () => {
  it('runs stateless replicas writing daily indices, credentials from the Secret', () => {
    expect(named('jaeger')).toMatchObject({ kind: 'service', replicas: 2 });
    expect(named('jaeger').volumes.filter((v) => v.kind === 'persistent')).toEqual([]);
    const backend = config('jaeger').extensions.jaeger_storage.backends.main.opensearch;
    expect(backend).toMatchObject({
      server_urls: ['${env:OPENSEARCH_URL}'],
      auth: { basic: { username: '${env:OPENSEARCH_USERNAME}', password: '${env:OPENSEARCH_PASSWORD}' } },
      max_span_age: '336h',
      indices: { index_prefix: 'jaeger', spans: { shards: 3, replicas: 1, rollover_frequency: 'day' } },
    });
  });

  it('deletes indices older than retention.traces every day', () => {
    expect(named('jaeger-index-cleaner')).toMatchObject({ kind: 'scheduled', env: { ES_INDEX_PREFIX: 'jaeger' } });
    expect(args('jaeger-index-cleaner')).toEqual(['14', '{endpoint}']);
  });
});

describe('the stores\' ports in the network policies', () => {
  /** The TCP ports a component's NetworkPolicy lets it reach anywhere (the stores are outside the stack). */
  const egressAnywhere = (stack: ReturnType<typeof renderStack>, name: string): number[] => {
    const policy = allObjects(stack.kubernetes).find((o) => o.kind === 'NetworkPolicy' && o.metadata?.name === name) as any;
    const rules = (policy.spec.egress as { to: { ipBlock?: unknown }[]; ports: { port: number }[] }[]).filter((r) => r.to.some((peer) => peer.ipBlock));
    return rules.flatMap((r) => r.ports.map((p) => p.port));
  };
  const prodWith = (distributed: Record<string, unknown>) => renderStack(defineStack({ distributed }, { environment: 'prod' }));

  it('are DigitalOcean\'s when the URLs come from the Secrets: 25060 for OpenSearch, 443 for the bucket', () => {
    const stack = renderedPreset('prod');
    expect(egressAnywhere(stack, 'jaeger')).toEqual([25060]);
    expect(egressAnywhere(stack, 'jaeger-index-cleaner')).toEqual([25060]);
    expect(egressAnywhere(stack, 'loki-write')).toEqual([443]);
  });

  it('follow port for stores of one\'s own whose URLs come from the Secrets', () => {
    const stack = prodWith({ traces: { opensearch: { port: 9200 } }, logs: { objectStorage: { port: 9000 } } });
    expect(egressAnywhere(stack, 'jaeger')).toEqual([9200]);
    expect(egressAnywhere(stack, 'jaeger-index-cleaner')).toEqual([9200]);
    for (const target of ['loki-write', 'loki-read', 'loki-backend']) expect(egressAnywhere(stack, target)).toEqual([9000]);
  });

  it('follow the endpoints\' own ports when the spec sets the URLs, port or not', () => {
    const opensearch = { endpoint: 'https://search.internal:9200' };
    const objectStorage = { endpoint: 'http://minio.storage:9000', bucket: 'logs' };
    for (const stack of [prodWith({ traces: { opensearch }, logs: { objectStorage } }), prodWith({ traces: { opensearch: { ...opensearch, port: 9200 } }, logs: { objectStorage: { ...objectStorage, port: 9000 } } })]) {
      expect(egressAnywhere(stack, 'jaeger')).toEqual([9200]);
      expect(egressAnywhere(stack, 'loki-write')).toEqual([9000]);
    }
  });

  it('refuse a port that is not one, or that differs from the endpoint\'s, naming the path', () => {
    expect(specProblems({ scale: 'distributed', distributed: { traces: { opensearch: { endpoint: 'https://search.internal:9200', port: 25060 } }, logs: { objectStorage: { endpoint: 'https://s3.example.com', port: 9000 } } } })).toEqual([
      'distributed.traces.opensearch.port: the endpoint https://search.internal:9200 is on port 9200; leave port unset or make them match, got 25060',
      'distributed.logs.objectStorage.port: the endpoint https://s3.example.com is on port 443; leave port unset or make them match, got 9000',
    ]);
    expect(specProblems({ distributed: { traces: { opensearch: { port: 70000 } } } })).toEqual(['distributed.traces.opensearch.port: expected a port from 1 to 65535, got 70000']);
    // A URL that does not parse is the endpoint's problem alone.
    const unparsable = specProblems({ scale: 'distributed', distributed: { logs: { objectStorage: { endpoint: '!http://s3', port: 9000 } } } });
    expect(unparsable).toHaveLength(1);
    expect(unparsable[0]).toMatch(/^distributed\.logs\.objectStorage\.endpoint: expected an http\(s\) URL/);
    expect(specProblems({ distributed: { logs: { objectStorage: { port: '9000' } } } })).toEqual(['distributed.logs.objectStorage.port: expected a TCP port number, got "9000"']);
  });
});

describe('traces: a private CA for OpenSearch (privateCa)', () => {
  const privateCa = renderStack(defineStack({ distributed: { traces: { opensearch: { privateCa: true } } } }, { environment: 'prod' }));
  const podOf = (kind: string, name: string, stack = privateCa) => {
    const object = allObjects(stack.kubernetes).find((o) => o.kind === kind && o.metadata?.name === name) as any;
    return kind === 'CronJob' ? object.spec.jobTemplate.spec.template.spec : object.spec.template.spec;
  };

  it('mounts only the Secret\'s ca.crt for Jaeger and its index cleaner, and adds it to Go\'s system pool', () => {
    for (const [kind, name] of [['Deployment', 'jaeger'], ['CronJob', 'jaeger-index-cleaner']] as const) {
      const pod = podOf(kind, name);
      const container = pod.containers[0];
      expect(container.env, name).toContainEqual({ name: 'SSL_CERT_DIR', value: OPENSEARCH_CA_DIR });
      const mount = container.volumeMounts.find((m: { mountPath: string }) => m.mountPath === OPENSEARCH_CA_DIR);
      expect(mount, name).toMatchObject({ readOnly: true });
      expect(pod.volumes.find((v: { name: string }) => v.name === mount.name).secret).toEqual({ secretName: 'jaeger-opensearch', items: [{ key: 'ca.crt', path: 'ca.crt' }] });
    }
  });

  it('is off by default: no CA mount, no SSL_CERT_DIR, no ca.crt asked for', () => {
    const pod = podOf('Deployment', 'jaeger', prod);
    expect(pod.containers[0].env.map((e: { name: string }) => e.name)).not.toContain('SSL_CERT_DIR');
    expect(JSON.stringify(pod.volumes ?? [])).not.toContain('ca.crt');
    expect(prod.compose.files.get('.env.example')).not.toContain('JAEGER_OPENSEARCH_CA_CRT');
  });

  it('in compose, makes the file from the same .env variable as the other keys, in a bundle the schema accepts', () => {
    const document = yaml.load(privateCa.compose.files.get('compose.yaml')!) as any;
    expect(document.secrets['JAEGER_OPENSEARCH_CA_CRT']).toEqual({ environment: 'JAEGER_OPENSEARCH_CA_CRT' });
    expect(document.services['jaeger-1'].secrets).toContainEqual({ source: 'JAEGER_OPENSEARCH_CA_CRT', target: `${OPENSEARCH_CA_DIR}/ca.crt` });
    expect(document.services['jaeger-1'].environment.SSL_CERT_DIR).toBe(OPENSEARCH_CA_DIR);
    expect(privateCa.compose.files.get('.env.example')).toContain('\nJAEGER_OPENSEARCH_CA_CRT=\n');
    expect(composeSchemaProblems(document)).toEqual([]);
  });

  it('refuses a value that is not a boolean, naming the path', () => {
    expect(specProblems({ distributed: { traces: { opensearch: { privateCa: 'yes' } } } })).toEqual(['distributed.traces.opensearch.privateCa: expected true or false, got "yes"']);
  });
});

describe('compose runs every replica', () => {
  it('as its own service, each answering on the component, peers and replica names', () => {
    const services = (yaml.load(prod.compose.files.get('compose.yaml')!) as any).services;
    expect(replicaServices(named('loki-write')).map((r) => r.service)).toEqual(['loki-write', 'loki-write-1', 'loki-write-2']);
    expect(services['loki-write-1'].networks.default.aliases).toEqual(['loki-write', 'loki-write-headless', 'loki-write-1.loki-write-headless']);
    expect(services['loki-write'].networks.default.aliases).toEqual(['loki-write-headless', 'loki-write-0.loki-write-headless']);
    expect(services['loki-write-1'].volumes).toContainEqual({ type: 'volume', source: 'loki-write-1-data', target: '/loki' });
    expect(services['loki-write-1'].ports).toBeUndefined();
    // Loki's query API where the single binary publishes it: on the read target's first replica.
    expect(services['loki-read'].ports).toEqual(['127.0.0.1:3100:3100']);
    expect(services['loki-read-1'].ports).toBeUndefined();
    expect(Object.keys(services['vminsert'].depends_on)).toEqual(['vmstorage', 'vmstorage-1', 'vmstorage-2']);
  });

  it('asks for the stores\' credentials in .env, which synth never generates', () => {
    const services = (yaml.load(prod.compose.files.get('compose.yaml')!) as any).services;
    expect(services['loki-write'].environment.LOKI_S3_SECRET_ACCESS_KEY).toBe(
      '${LOKI_OBJECT_STORAGE_SECRET_ACCESS_KEY:?LOKI_OBJECT_STORAGE_SECRET_ACCESS_KEY is not set: set it in .env (the loki-object-storage credentials, docs/DISTRIBUTED.md)}',
    );
    expect(prod.compose.variables).not.toContain('LOKI_OBJECT_STORAGE_SECRET_ACCESS_KEY');
    expect(prod.compose.files.get('.env.example')).toContain('\nLOKI_OBJECT_STORAGE_SECRET_ACCESS_KEY=\n');
    expect(prod.compose.files.get('.env.example')).toContain('\nJAEGER_OPENSEARCH_PASSWORD=\n');
  });

  it('names the variables of a Secret whose name starts with a digit so that compose can read them', () => {
    const digits = renderStack(defineStack({ distributed: { logs: { objectStorage: { secret: '0loki-s3' } }, traces: { opensearch: { secret: '1search' } } } }, { environment: 'prod' }));
    const compose = digits.compose.files.get('compose.yaml')!;
    expect((yaml.load(compose) as any).services['loki-write'].environment.LOKI_S3_ACCESS_KEY_ID).toMatch(/^\$\{_0LOKI_S3_ACCESS_KEY_ID:\?/);
    // Compose's variable names start with a letter or "_": none may start with a digit.
    expect(compose.match(/\$\{[0-9][A-Z0-9_]*/g)).toBeNull();
    expect(digits.compose.files.get('.env.example')).toContain('\n_1SEARCH_PASSWORD=\n');
    // On Kubernetes the same names, read from the Secret itself.
    const jaeger = allObjects(digits.kubernetes).find((o) => o.kind === 'Deployment' && o.metadata?.name === 'jaeger') as any;
    const env = jaeger.spec.template.spec.containers[0].env as { name: string; valueFrom?: { secretKeyRef: { name: string; key: string } } }[];
    expect(env.filter((e) => e.valueFrom?.secretKeyRef.name === '1search').map((e) => e.name).sort()).toEqual(['OPENSEARCH_PASSWORD', 'OPENSEARCH_URL', 'OPENSEARCH_USERNAME']);
  });
});
