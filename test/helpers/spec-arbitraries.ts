/**
 * fast-check generators of stack spec inputs for the spec fuzz tests (test/unit/spec-fuzz-*.test.ts).
 *
 * Inputs are partial, like the ones users write: every key left out comes from the environment preset, so
 * fields the schema gains later keep their preset value and a valid input stays valid. The mutations
 * walk the preset merged with the input, so new fields get mutated without this file knowing them.
 */
import fc from 'fast-check';
import { imageKeys } from '../../model/catalog.js';
import { deepMerge, isPlainMapping } from '../../model/merge.js';
import { preset } from '../../model/presets.js';
import { SPAN_DURATION_BUCKETS_MS } from '../../model/span-metrics.js';
import { burnFactor, burnRateWindows } from '../../model/burn-rate-windows.js';
import { alertRoutes, environments, type Environment } from '../../model/spec.js';

type Plain = Record<string, unknown>;
export type Key = string | number;

/** A mapping as JSON or YAML make it (what `defineStack` merges key by key). */
export const isPlain = isPlainMapping;

/** One call of the spec entry points: `defineStack(input, { environment })`, or `loadSpecFile` of `input` written as YAML. */
export interface SpecCase {
  /** `valid`: must be accepted; `mutated`: a valid input changed at random paths; `random`: any value at all. */
  readonly origin: 'valid' | 'mutated' | 'random';
  readonly input: unknown;
  /** `options.environment`. */
  readonly environment: Environment | undefined;
  /** Through a YAML file and `loadSpecFile` instead of `defineStack`. */
  readonly viaFile: boolean;
}

// ---------------------------------------------------------------------------------------------------------
// Valid inputs: every field within its legal range, cross-field rules (superRefine in model/spec.ts) kept.

const dnsLabel = fc.stringMatching(/^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/);
/** A DNS name under an alphabetic top-level domain (a URL reads a name ending in digits as an IPv4 address). */
const dnsName = fc
  .tuple(fc.array(fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/), { maxLength: 3 }), fc.stringMatching(/^[a-z]{2,10}$/))
  .map(([labels, tld]) => [...labels, tld].join('.'))
  .filter((name) => name.length <= 253);
/** Free text (an SLO's service name): any characters, quotes and backslashes included. */
const anyText = fc.oneof(fc.string({ minLength: 1, maxLength: 40, unit: 'grapheme' }), fc.stringMatching(/^[a-z"\\ .-]{1,12}$/));
const amount = (unit: string, min: number, max: number) => fc.integer({ min, max }).map((n) => `${n}${unit}`);

/** Millicores written as `250m` or as cores (`1`, `0.5`). */
const cpuText = (millis: number, asCores: boolean) => (asCores ? String(millis / 1000) : `${millis}m`);
const cpuPair = fc
  .record({ limit: fc.integer({ min: 1, max: 64_000 }), share: fc.integer({ min: 1, max: 100 }), limitCores: fc.boolean(), requestCores: fc.boolean() })
  .map(({ limit, share, limitCores, requestCores }) => {
    const request = Math.max(1, Math.floor((limit * share) / 100));
    return { request: cpuText(request, requestCores), limit: cpuText(limit, limitCores) };
  });
const memoryPair = fc
  .record({ unit: fc.constantFrom('Ki', 'Mi', 'Gi', 'Ti'), limit: fc.integer({ min: 1, max: 4096 }), share: fc.integer({ min: 1, max: 100 }) })
  .map(({ unit, limit, share }) => ({ request: `${Math.max(1, Math.floor((limit * share) / 100))}${unit}`, limit: `${limit}${unit}` }));
/** Requests never above limits (Kubernetes and Docker refuse that). */
const resources = fc.record({ cpu: cpuPair, memory: memoryPair }).map(({ cpu, memory }) => ({
  requests: { cpu: cpu.request, memory: memory.request },
  limits: { cpu: cpu.limit, memory: memory.limit },
}));
const storage = fc.oneof(amount('Mi', 1, 1_000_000), amount('Gi', 1, 10_000), amount('Ti', 1, 100), amount('Ki', 1, 1_000_000));
const replicas = fc.integer({ min: 1, max: 50 });

/** Only the given keys may be left out (each is, half the time). */
const partial = <T extends Record<string, fc.Arbitrary<unknown>>>(model: T) => fc.record(model, { requiredKeys: [] });

const components = partial({
  // One collector replica: the count every version of the collector's replica rules accepts (they are changing).
  collector: partial({
    enabled: fc.boolean(),
    replicas: fc.constant(1),
    resources,
    kubernetes: partial({ enabled: fc.boolean(), agent: partial({ resources }) }),
  }),
  victoriametrics: partial({ enabled: fc.boolean(), resources, storage }),
  vmalert: partial({ enabled: fc.boolean(), resources, evaluationInterval: fc.oneof(amount('s', 1, 3600), amount('m', 1, 60), amount('ms', 100, 600_000)) }),
  jaeger: partial({ enabled: fc.boolean(), resources, storage }),
  loki: partial({ enabled: fc.boolean(), resources, storage }),
  grafana: partial({ enabled: fc.boolean(), resources, storage }),
  alertmanager: partial({ enabled: fc.boolean(), resources, storage }),
  glitchtip: partial({
    enabled: fc.boolean(),
    web: partial({ replicas, resources }),
    worker: partial({ replicas, resources }),
    postgres: partial({ resources, storage }),
    valkey: partial({ resources, storage }),
    openRegistration: fc.boolean(),
  }),
  umami: partial({ enabled: fc.boolean(), replicas, resources, postgres: partial({ resources, storage }) }),
});

const days = (min: number, max: number) => fc.oneof(amount('d', min, max), fc.integer({ min, max }).map((d) => `${d * 24}h`));
const retention = partial({
  metrics: fc.oneof(days(1, 3650), amount('w', 1, 520), amount('y', 1, 10), amount('h', 24, 87_600)),
  logs: fc.oneof(days(1, 3650), amount('w', 1, 520), amount('y', 1, 10)),
  traces: fc.oneof(amount('h', 1, 87_600), days(1, 3650), amount('m', 60, 100_000), amount('s', 3600, 1_000_000)),
  errors: fc.oneof(days(1, 3650), amount('w', 1, 520), amount('y', 1, 10), amount('h', 1, 87_600)),
});

const sampling = partial({
  decisionWait: fc.oneof(amount('s', 0, 120), amount('ms', 1, 120_000), amount('m', 1, 2)),
  keepErrors: fc.boolean(),
  latencyThreshold: fc.oneof(amount('ms', 1, 600_000), amount('s', 1, 3600), amount('m', 1, 60)),
  percentage: fc.double({ min: 0, max: 100, noNaN: true }),
});

// Object names (an IngressClass, a cert-manager ClusterIssuer, a StorageClass) as Kubernetes accepts them.
const ingress = partial({ enabled: fc.boolean(), className: dnsLabel, domain: dnsName, tls: fc.boolean(), clusterIssuer: dnsLabel });

const imageName = fc.stringMatching(/^[a-z0-9]+([._-][a-z0-9]+)*(\/[a-z0-9]+([._-][a-z0-9]+)*){0,2}$/);
const imageTag = fc.stringMatching(/^[\w][\w.-]{0,40}$/);
const registry = fc
  .tuple(dnsName, fc.option(fc.integer({ min: 1, max: 65_535 }), { nil: undefined }), fc.array(fc.stringMatching(/^[a-z0-9]+([._-][a-z0-9]+)*$/), { maxLength: 2 }))
  .map(([host, port, path]) => [`${host}${port === undefined ? '' : `:${port}`}`, ...path].join('/'));
const imageRef = fc
  .tuple(fc.option(registry, { nil: undefined }), imageName, fc.option(imageTag, { nil: undefined }), fc.option(fc.stringMatching(/^[0-9a-f]{64}$/), { nil: undefined }))
  .map(([host, name, tag, digest]) => `${host ? `${host}/` : ''}${name}${tag ? `:${tag}` : ''}${digest ? `@sha256:${digest}` : ''}`);
const images = partial({
  registry,
  overrides: fc.record(Object.fromEntries(imageKeys.map((key) => [key, imageRef])), { requiredKeys: [] }),
  pullPolicy: fc.constantFrom('IfNotPresent', 'Always', 'Never'),
});

const url = fc
  .tuple(fc.constantFrom('http', 'https'), dnsName, fc.option(fc.integer({ min: 1, max: 65_535 }), { nil: undefined }), fc.array(fc.stringMatching(/^[a-zA-Z0-9._~-]+$/), { maxLength: 3 }))
  .map(([scheme, host, port, path]) => `${scheme}://${host}${port === undefined ? '' : `:${port}`}/${path.join('/')}`);
const email = fc
  .tuple(fc.stringMatching(/^[a-z0-9]([a-z0-9_+.-]{0,20}[a-z0-9])?$/), dnsName, fc.stringMatching(/^[a-z]{2,6}$/))
  .map(([local, host, tld]) => `${local}@${host}.${tld}`)
  .filter((address) => !address.includes('..'));
const routes = fc.option(fc.array(fc.constantFrom(...alertRoutes), { minLength: 1, maxLength: 4 }), { nil: undefined });
const withRoutes = (receiver: Plain, chosen: readonly string[] | undefined) => (chosen ? { ...receiver, routes: chosen } : receiver);
const receiver = fc.oneof(
  fc.tuple(url, fc.option(fc.boolean(), { nil: undefined }), routes).map(([u, sendResolved, r]) =>
    withRoutes({ type: 'webhook', url: u, ...(sendResolved === undefined ? {} : { sendResolved }) }, r),
  ),
  fc.tuple(fc.stringMatching(/^#?[a-z0-9][-_a-z0-9]{0,30}$/), routes).map(([channel, r]) => withRoutes({ type: 'slack', channel }, r)),
  fc
    .tuple(fc.array(email, { minLength: 1, maxLength: 3 }), email, dnsName, fc.integer({ min: 1, max: 65_535 }), routes)
    .map(([to, from, host, port, r]) => withRoutes({ type: 'email', to, from, smarthost: `${host}:${port}` }, r)),
  routes.map((r) => withRoutes({ type: 'pagerduty' }, r)),
);
const uniqueNamed = (items: fc.Arbitrary<Plain>, maxLength: number, reserved: readonly string[]) =>
  fc
    .uniqueArray(dnsLabel.filter((name) => !reserved.includes(name)), { maxLength })
    .chain((names) => fc.tuple(...names.map((name) => items.map((item) => ({ name, ...item })))));
// `heartbeat` is reserved while alerting.heartbeat is on.
const receivers = uniqueNamed(receiver, 5, ['default', 'heartbeat']);

const sli = fc.oneof(fc.constant({ kind: 'availability' }), fc.constantFrom(...SPAN_DURATION_BUCKETS_MS).map((thresholdMs) => ({ kind: 'latency', thresholdMs })));
/** The largest burn factor of a window: an objective whose budget times it reaches 100 % could never page. */
const fastestFactor = (window: string) => Math.max(...burnRateWindows.map((w) => burnFactor(w, window)));
const slo = fc
  .record({
    service: anyText,
    // A share of the largest error budget the window can page on.
    budgetShare: fc.double({ min: 0.0001, max: 0.999, noNaN: true }),
    window: fc.option(fc.oneof(amount('d', 3, 400), amount('w', 1, 52), amount('h', 72, 9600)), { nil: undefined }),
    sli,
  })
  .map(({ window, budgetShare, ...rest }) => {
    const objective = Number((100 - (100 * budgetShare) / fastestFactor(window ?? '30d')).toFixed(6));
    return window === undefined ? { ...rest, objective } : { ...rest, objective, window };
  });
const slos = uniqueNamed(slo, 4, []);

const alerting = partial({ receivers, runbookBaseUrl: url, minBadEvents: fc.integer({ min: 1, max: 20 }), heartbeat: fc.boolean() });

const count = fc.integer({ min: 1, max: 5 });
const distributed = partial({
  collector: partial({ samplers: count }),
  traces: partial({ replicas: count, opensearch: partial({ endpoint: url, shards: count, replicas: fc.integer({ min: 0, max: 3 }), privateCa: fc.boolean() }) }),
  logs: partial({ write: count, read: count, backend: count, replicationFactor: count, objectStorage: partial({ endpoint: url, bucket: fc.stringMatching(/^[a-z0-9][-a-z0-9]{1,20}[a-z0-9]$/) }) }),
  metrics: partial({ vminsert: count, vmselect: count, vmstorage: count, replicationFactor: count }),
  grafana: partial({ replicas: count }),
  alertmanager: partial({ replicas: count }),
  vmalert: partial({ replicas: count }),
});

const validFields = partial({
  scale: fc.constantFrom('single', 'distributed'),
  distributed,
  name: dnsLabel,
  namespace: dnsLabel,
  components,
  images,
  retention,
  sampling,
  ingress,
  storageClass: dnsName,
  compose: partial({ bindAddress: fc.ipV4() }),
  alerting,
  slos,
});

const enabledIn = (input: Plain, base: Plain, component: string): boolean => {
  const merged = deepMerge(base, input) as { components: Record<string, { enabled?: boolean }> };
  return merged.components[component]?.enabled === true;
};

const setEnabled = (input: Plain, component: string, enabled: boolean) => {
  const all = (input['components'] ??= {}) as Plain;
  all[component] = { ...((all[component] as Plain | undefined) ?? {}), enabled };
};

/** Repairs what the cross-field rules forbid: vmalert without VictoriaMetrics, a collector without backends, ingress without domain, more copies than replicas. */
function keepCrossFieldRules(input: Plain, environment: Environment, domain: string): Plain {
  const base = preset(environment) as unknown as Plain;
  const sizing = deepMerge(base['distributed'], input['distributed']) as Record<string, Record<string, number>>;
  for (const [store, replicas] of [['logs', 'write'], ['metrics', 'vmstorage']] as const) {
    const { replicationFactor } = sizing[store]!;
    if (replicationFactor! > sizing[store]![replicas]!) {
      const given = ((input['distributed'] ??= {}) as Plain);
      given[store] = { ...((given[store] as Plain | undefined) ?? {}), replicationFactor: sizing[store]![replicas]! };
    }
  }
  if (enabledIn(input, base, 'vmalert') && !enabledIn(input, base, 'victoriametrics')) setEnabled(input, 'vmalert', false);
  if (enabledIn(input, base, 'collector') && !['jaeger', 'victoriametrics', 'loki'].some((c) => enabledIn(input, base, c))) setEnabled(input, 'jaeger', true);
  const ingressSettings = deepMerge(base['ingress'], input['ingress']) as { enabled: boolean; domain?: string };
  if (ingressSettings.enabled && !ingressSettings.domain) input['ingress'] = { ...(input['ingress'] as Plain), domain };
  return input;
}

/** Where the environment comes from: the input, `options.environment`, both (agreeing), or neither (local). */
const environmentSource = fc.constantFrom('input', 'options', 'both', 'neither');

/** A valid partial spec input and the options to pass with it; `defineStack` must accept it. */
export const validSpecCase: fc.Arbitrary<SpecCase> = fc
  .tuple(fc.constantFrom(...environments), environmentSource, validFields, dnsName, fc.boolean())
  .map(([environment, source, fields, domain, viaFile]) => {
    const effective = source === 'neither' ? 'local' : environment;
    const input = keepCrossFieldRules(structuredClone(fields) as Plain, effective, domain);
    if (source === 'input' || source === 'both') input['environment'] = environment;
    return { origin: 'valid' as const, input, environment: source === 'options' || source === 'both' ? environment : undefined, viaFile };
  });

// ---------------------------------------------------------------------------------------------------------
// Invalid (or unknown) inputs: a valid input mutated at random paths, and any value at all.

const prototypeKeys = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__'] as const;
const hugeString = 'x'.repeat(100_000);
const hugeDigits = '9'.repeat(40);

const oddScalar = fc.oneof(
  fc.constantFrom<unknown>(
    null, undefined, true, false, 0, -0, -1, 0.5, 1.5, -1e-9, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY,
    Number.MAX_VALUE, Number.MAX_SAFE_INTEGER + 2, 1e21, Number.MIN_VALUE,
    '', ' ', '\n', '\t', '\u0000', '0', '-1', '1e3', 'true', 'null', '~', '7x', '$HOME', '${X}', '$$', 'a b', 'LOCAL', 'Prod',
    hugeString, `${hugeDigits}d`, `${hugeDigits}Mi`, `${hugeDigits}m`, `${hugeDigits}`, '0d', '0s', '0Mi', '0m', '0', '0.0',
    '1.5Gi', '-5Gi', '1e3m', '1Pi', '500M', '7 d', 'd7', '\u{1F600}', 'é', 'Ǆ', '\u202e', 'http://', 'https://[::1', 'a@b', '#', 'default',
  ),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.integer(),
  fc.double(),
  fc.bigInt(),
  fc.date(),
);
const oddValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: oddScalar },
  fc.constant([]),
  fc.array(oddScalar, { maxLength: 3 }),
  fc.constant({}),
  fc.dictionary(fc.oneof(fc.string(), fc.constantFrom(...prototypeKeys)), oddScalar, { maxKeys: 3 }),
  fc.anything({ maxDepth: 2, withBigInt: true, withBoxedValues: true, withDate: true, withMap: true, withSet: true, withNullPrototype: true, withSparseArray: true, withTypedArray: true }),
);

/** A change that keeps the value's kind but leaves its legal range: longer, bigger, negative, empty, duplicated. */
type Perturbation = (value: unknown, text: string, number: number) => unknown;
const perturbations: Perturbation[] = [
  (v, text) => (typeof v === 'string' ? v + text : v),
  (v, text) => (typeof v === 'string' ? text + v : v),
  (v) => (typeof v === 'string' ? v.toUpperCase() : v),
  (v) => (typeof v === 'string' ? v.repeat(300) : v),
  (v) => (typeof v === 'string' ? v.replace(/\d+/, hugeDigits) : v),
  (v) => (typeof v === 'string' ? v.replace(/\d+/, '0') : v),
  (v) => (typeof v === 'string' ? ` ${v}` : v),
  (v) => (typeof v === 'string' ? `${v}$` : v),
  (v) => (typeof v === 'number' ? -v : typeof v === 'string' ? '' : v),
  (v, _, n) => (typeof v === 'number' ? v * n : v),
  (v, _, n) => (typeof v === 'number' ? v + n : v),
  (v) => (typeof v === 'number' ? v + 0.5 : v),
  (v) => (typeof v === 'boolean' ? String(v) : typeof v === 'number' ? String(v) : v),
  (v) => (Array.isArray(v) ? [...v, ...v] : v),
  (v) => (Array.isArray(v) ? [] : v),
  (v, text) => (Array.isArray(v) ? [...v, text] : v),
  (v) => (isPlain(v) ? {} : v),
];

type Mutation =
  | { kind: 'replace'; at: number; value: unknown }
  | { kind: 'perturb'; at: number; how: number; text: string; number: number }
  | { kind: 'delete'; at: number }
  | { kind: 'addKey'; at: number; key: string; value: unknown }
  | { kind: 'prototype'; at: number; value: unknown };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), value: oddValue }) },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('perturb' as const),
      at: fc.nat(),
      how: fc.nat({ max: perturbations.length - 1 }),
      text: fc.oneof(fc.string({ maxLength: 5 }), fc.constantFrom('$', '0', 'x', ' ', '.', '-', ':', '/', '@')),
      number: fc.oneof(fc.integer({ min: -1000, max: 1000 }), fc.constantFrom(1e6, 1e21, -1, 0)),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('addKey' as const),
      at: fc.nat(),
      key: fc.oneof(fc.constantFrom(...prototypeKeys, '', ' ', 'a.b', '[0]', '0', hugeString), fc.string({ maxLength: 12 })),
      value: oddValue,
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('prototype' as const), at: fc.nat(), value: fc.dictionary(fc.constantFrom('enabled', 'name', 'replicas', 'extra'), oddScalar) }) },
);

/** Every node of a value: `[]` for the value itself, then each key / index below it. */
export function nodePaths(value: unknown, prefix: Key[] = [], out: Key[][] = []): Key[][] {
  out.push(prefix);
  if (Array.isArray(value)) value.forEach((item, index) => nodePaths(item, [...prefix, index], out));
  else if (isPlain(value)) for (const [key, item] of Object.entries(value)) nodePaths(item, [...prefix, key], out);
  return out;
}

const read = (root: unknown, path: readonly Key[]): unknown =>
  path.reduce<unknown>((node, key) => (isPlain(node) || Array.isArray(node) ? (node as Record<Key, unknown>)[key] : undefined), root);

/** Sets an own property, even `__proto__` (plain assignment would change the prototype instead). */
const define = (node: Record<Key, unknown>, key: Key, value: unknown) =>
  Object.defineProperty(node, key, { value, enumerable: true, writable: true, configurable: true });

/** A shallow copy that keeps the prototype and every own key (`__proto__` included) and an array's holes. */
const copyOf = (node: object): Record<Key, unknown> =>
  Array.isArray(node) ? (node.slice() as unknown as Record<Key, unknown>) : Object.defineProperties(Object.create(Object.getPrototypeOf(node) as object | null), Object.getOwnPropertyDescriptors(node));

/**
 * Applies a mutation to `input` at a node of the merged spec (preset + input). Copies the branch down to
 * the node instead of changing it in place (generated values, `fc.constant({})` among them, are shared),
 * taking it from the merged spec where the input leaves it out. Returns the new input.
 */
function mutate(input: unknown, merged: unknown, m: Mutation): unknown {
  const paths = nodePaths(merged);
  const path = paths[m.at % paths.length]!;
  const current = read(merged, path);
  const replacement = (): unknown => {
    switch (m.kind) {
      case 'replace':
        return m.value;
      case 'perturb':
        return perturbations[m.how]!(structuredClone(current), m.text, m.number);
      case 'addKey':
      case 'prototype': {
        const node = isPlain(current) ? copyOf(current) : {};
        if (m.kind === 'addKey') define(node, m.key, m.value);
        else Object.setPrototypeOf(node, m.value as object);
        return node;
      }
      case 'delete':
        return undefined;
    }
  };
  if (path.length === 0) return replacement();
  const root = isPlain(input) || Array.isArray(input) ? copyOf(input) : {};
  let node = root;
  for (const [depth, key] of path.slice(0, -1).entries()) {
    const next = node[key];
    const child = isPlain(next) || Array.isArray(next) ? copyOf(next) : (structuredClone(read(merged, path.slice(0, depth + 1))) as Record<Key, unknown>);
    define(node, key, child);
    node = child;
  }
  const last = path[path.length - 1]!;
  if (m.kind === 'delete' && Array.isArray(node)) node.splice(Number(last), 1);
  else if (m.kind === 'delete') delete node[last];
  else define(node, last, replacement());
  return root;
}

/** A valid input changed at one to three random paths; may or may not stay valid. */
export const mutatedSpecCase: fc.Arbitrary<SpecCase> = fc
  .tuple(validSpecCase, fc.array(mutation, { minLength: 1, maxLength: 3 }), fc.option(fc.constantFrom(...environments), { nil: undefined }), fc.boolean())
  .map(([valid, mutations, otherEnvironment, keepOptions]) => {
    let input: unknown = structuredClone(valid.input);
    for (const m of mutations) {
      const environment = isPlain(input) && typeof input['environment'] === 'string' && (environments as readonly string[]).includes(input['environment'])
        ? (input['environment'] as Environment)
        : 'local';
      input = mutate(input, deepMerge(preset(environment), input), m);
    }
    return { origin: 'mutated' as const, input, environment: keepOptions ? valid.environment : otherEnvironment, viaFile: valid.viaFile };
  });

const specKeys = [...new Set(nodePaths(preset('local')).flatMap((path) => path.filter((key): key is string => typeof key === 'string')))];

/** Lines of YAML, well-formed or not: anchors, aliases, merge keys, tags, `__proto__`, unclosed flows. */
const yamlText = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        'components:', '  loki:', '    enabled: yes', '    storage: 5Gi', '  - x', '- ', 'name: &x foo', 'namespace: *x', '*y', '"unterminated',
        ': :', '? complex', '!!binary aGk=', '!!js/function x', '---', '...', '%YAML 1.1', 'retention: {logs: 7d', '\t', '__proto__: {name: x}',
        'name: 0x1F', 'sampling: {percentage: .inf}', 'sampling: {percentage: 1e-7}', '<<: {name: merged}', 'slos: [{name: a, service: b}]', '# comment',
      ),
      fc.string({ maxLength: 20 }),
    ),
    { maxLength: 8 },
  )
  .map((lines) => lines.join('\n'));

/**
 * Any value at all: JSON, objects with the spec's own keys, and JavaScript values no YAML file can hold.
 * Through a file, a string is the file's text (YAML text of any shape), not a scalar.
 */
export const randomSpecCase: fc.Arbitrary<SpecCase> = fc
  .tuple(
    fc.oneof(
      yamlText,
      fc.jsonValue(),
      fc.object({ key: fc.oneof(fc.constantFrom(...specKeys, ...prototypeKeys), fc.string()), values: [oddScalar], maxDepth: 4, maxKeys: 5 }),
      fc.anything({ withBigInt: true, withBoxedValues: true, withDate: true, withMap: true, withSet: true, withNullPrototype: true, withSparseArray: true, withTypedArray: true, withObjectString: true }),
      oddScalar,
    ),
    fc.option(fc.constantFrom(...environments), { nil: undefined }),
    fc.boolean(),
  )
  .map(([input, environment, viaFile]) => ({ origin: 'random' as const, input, environment, viaFile }));

/** The mix the fuzz tests run: about half valid inputs, the rest mutated or random. */
export const specCase: fc.Arbitrary<SpecCase> = fc.oneof(
  { weight: 9, arbitrary: validSpecCase },
  { weight: 8, arbitrary: mutatedSpecCase },
  { weight: 3, arbitrary: randomSpecCase },
);
