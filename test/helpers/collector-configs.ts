import yaml from 'js-yaml';
import type { CollectorConfig } from '../../collector/config.js';
import { mergeConfigs } from '../../collector/overlay.js';
import type { Component } from '../../model/component.js';
import type { RenderedStack } from '../../cli/render.js';
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

/** Every collector config that any preset (and each of `extra`) renders, for each runtime it runs on. */
export function allCollectorConfigs(extra: readonly { readonly name: string; readonly rendered: RenderedStack }[] = []): ResolvedCollectorConfig[] {
  return [...presets.map((preset) => ({ name: preset as string, rendered: renderedPreset(preset) })), ...extra].flatMap(({ name, rendered }) =>
    rendered.components
      .filter(isCollector)
      .flatMap((component) => [
        resolve(name, component, 'kubernetes'),
        ...(component.runtimes && !component.runtimes.includes('compose') ? [] : [resolve(name, component, 'compose')]),
      ]),
  );
}
