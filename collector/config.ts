/**
 * A typed OpenTelemetry Collector configuration. Component IDs are `type` or `type/name`;
 * pipelines may only reference components that are declared, which `build()` checks.
 */
export type ComponentId = `${string}` & {};
export type Settings = Record<string, unknown>;
export type Signal = 'traces' | 'metrics' | 'logs';

export interface PipelineSpec {
  readonly receivers: readonly ComponentId[];
  readonly processors?: readonly ComponentId[];
  readonly exporters: readonly ComponentId[];
}

export interface CollectorConfig {
  readonly extensions: Record<ComponentId, Settings>;
  readonly receivers: Record<ComponentId, Settings>;
  readonly processors: Record<ComponentId, Settings>;
  readonly connectors: Record<ComponentId, Settings>;
  readonly exporters: Record<ComponentId, Settings>;
  readonly service: {
    readonly extensions: readonly ComponentId[];
    readonly pipelines: Record<`${Signal}` | `${Signal}/${string}`, PipelineSpec>;
    readonly telemetry?: Settings;
  };
}

export type ComponentKind = 'extensions' | 'receivers' | 'processors' | 'connectors' | 'exporters';
type Kind = ComponentKind;

export class CollectorConfigError extends Error {
  override readonly name = 'CollectorConfigError';
}

/** `otlp_grpc/jaeger` → `otlp_grpc`. */
export const typeOf = (id: ComponentId): string => id.split('/')[0]!;

export class CollectorConfigBuilder {
  private readonly sections: Record<Kind, Record<ComponentId, Settings>> = {
    extensions: {}, receivers: {}, processors: {}, connectors: {}, exporters: {},
  };
  private readonly pipelines: Record<string, PipelineSpec> = {};
  private readonly serviceExtensions: ComponentId[] = [];
  private telemetry: Settings | undefined;

  private add(kind: Kind, id: ComponentId, settings: Settings): this {
    if (!/^[a-z][a-z0-9_]*(\/[-a-zA-Z0-9_.]+)?$/.test(id)) throw new CollectorConfigError(`${kind}: invalid component id "${id}"`);
    if (id in this.sections[kind]) throw new CollectorConfigError(`${kind}: "${id}" is declared twice`);
    this.sections[kind][id] = settings;
    return this;
  }

  receiver(id: ComponentId, settings: Settings = {}): this { return this.add('receivers', id, settings); }
  processor(id: ComponentId, settings: Settings = {}): this { return this.add('processors', id, settings); }
  exporter(id: ComponentId, settings: Settings = {}): this { return this.add('exporters', id, settings); }
  connector(id: ComponentId, settings: Settings = {}): this { return this.add('connectors', id, settings); }

  /** Declares an extension and enables it in `service.extensions`. */
  extension(id: ComponentId, settings: Settings = {}): this {
    this.add('extensions', id, settings);
    this.serviceExtensions.push(id);
    return this;
  }

  pipeline(name: `${Signal}` | `${Signal}/${string}`, spec: PipelineSpec): this {
    if (name in this.pipelines) throw new CollectorConfigError(`service.pipelines: "${name}" is declared twice`);
    this.pipelines[name] = spec;
    return this;
  }

  withTelemetry(settings: Settings): this {
    this.telemetry = settings;
    return this;
  }

  has(kind: Kind, id: ComponentId): boolean {
    return id in this.sections[kind];
  }

  build(): CollectorConfig {
    const problems: string[] = [];
    const { receivers, processors, exporters, connectors } = this.sections;
    const usedConnectorsAs = { exporter: new Set<string>(), receiver: new Set<string>() };
    for (const [name, pipeline] of Object.entries(this.pipelines)) {
      for (const id of pipeline.receivers) {
        if (id in connectors) usedConnectorsAs.receiver.add(id);
        else if (!(id in receivers)) problems.push(`service.pipelines.${name}.receivers: "${id}" is not a declared receiver or connector`);
      }
      for (const id of pipeline.processors ?? []) {
        if (!(id in processors)) problems.push(`service.pipelines.${name}.processors: "${id}" is not a declared processor`);
      }
      for (const id of pipeline.exporters) {
        if (id in connectors) usedConnectorsAs.exporter.add(id);
        else if (!(id in exporters)) problems.push(`service.pipelines.${name}.exporters: "${id}" is not a declared exporter or connector`);
      }
      if (pipeline.receivers.length === 0) problems.push(`service.pipelines.${name}: needs at least one receiver`);
      if (pipeline.exporters.length === 0) problems.push(`service.pipelines.${name}: needs at least one exporter`);
    }
    for (const id of Object.keys(connectors)) {
      if (!usedConnectorsAs.exporter.has(id) || !usedConnectorsAs.receiver.has(id)) {
        problems.push(`connectors.${id}: a connector must be an exporter of one pipeline and a receiver of another`);
      }
    }
    if (problems.length) throw new CollectorConfigError(`invalid collector config:\n  - ${problems.join('\n  - ')}`);
    const pick = (kind: Kind) => structuredClone(this.sections[kind]);
    return {
      extensions: pick('extensions'),
      receivers: pick('receivers'),
      processors: pick('processors'),
      connectors: pick('connectors'),
      exporters: pick('exporters'),
      service: {
        extensions: [...this.serviceExtensions],
        pipelines: structuredClone(this.pipelines) as CollectorConfig['service']['pipelines'],
        ...(this.telemetry ? { telemetry: structuredClone(this.telemetry) } : {}),
      },
    };
  }
}

/** Every component type a config uses, by kind (for checking against a distribution manifest). */
export function componentTypes(config: CollectorConfig): Record<Kind, string[]> {
  const types = (section: Record<string, unknown>) => [...new Set(Object.keys(section).map(typeOf))].sort();
  return {
    extensions: types(config.extensions),
    receivers: types(config.receivers),
    processors: types(config.processors),
    connectors: types(config.connectors),
    exporters: types(config.exporters),
  };
}
