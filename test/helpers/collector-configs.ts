import yaml from 'js-yaml';
import type { CollectorConfig } from '../../collector/config.js';
import { mergeConfigs } from '../../collector/overlay.js';
import type { Component } from '../../model/component.js';
import { renderedPreset, presets } from './render.js';

/** A collector config as a process receives it: its files in `--config` order and what they merge to. */
export interface ResolvedCollectorConfig {
  /** `<preset> <component> (<runtime>)`. */
  readonly name: string;
  readonly files: readonly { name: string; content: string }[];
  readonly merged: CollectorConfig;
  /** The process environment: literal values as rendered, a placeholder for each secret. */
  readonly env: Readonly<Record<string, string>>;
}

const isCollector = (c: Component) => c.image.key === 'collector';

function resolve(name: string, component: Component, runtime: 'kubernetes' | 'compose'): ResolvedCollectorConfig {
  const files = [...component.configFiles, ...(runtime === 'kubernetes' ? component.kubernetes?.configFiles ?? [] : [])];
  const merged = files.map((f) => yaml.load(f.content)).reduce((acc, next) => mergeConfigs(acc, next)) as CollectorConfig;
  const env = Object.fromEntries(Object.entries(component.env ?? {}).map(([key, value]) => [key, typeof value === 'string' ? value : `placeholder-for-${key}`]));
  return { name: `${name} ${component.name} (${runtime})`, files: files.map((f) => ({ name: f.name, content: f.content })), merged, env };
}

/** Every collector config that any preset renders, for each runtime it runs on. */
export function allCollectorConfigs(): ResolvedCollectorConfig[] {
  return presets.flatMap((preset) =>
    renderedPreset(preset)
      .components.filter(isCollector)
      .flatMap((component) => [
        resolve(preset, component, 'kubernetes'),
        ...(component.runtimes && !component.runtimes.includes('compose') ? [] : [resolve(preset, component, 'compose')]),
      ]),
  );
}
