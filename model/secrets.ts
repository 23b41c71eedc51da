import { randomInt } from 'node:crypto';
import type { Component, SecretSpec } from './component.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A random value safe in URLs, shells and YAML without quoting. */
export function randomSecretValue(length: number): string {
  let value = '';
  for (let i = 0; i < length; i++) value += ALPHABET[randomInt(ALPHABET.length)];
  return value;
}

/** Every secret the components own, merged by name (web and worker share theirs). */
export function secretsOf(components: readonly Component[]): SecretSpec[] {
  const byName = new Map<string, Record<string, { length: number }>>();
  for (const secret of components.flatMap((c) => c.secrets ?? [])) {
    byName.set(secret.name, { ...(byName.get(secret.name) ?? {}), ...secret.keys });
  }
  // Code-unit order: for Secret names (lowercase DNS names) it is the locale's order, without loading ICU's
  // collation data on the first localeCompare (5 to 8 ms of a cold synth).
  return [...byName].map(([name, keys]) => ({ name, keys })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Generated values: secret name → key → value. */
export type SecretValues = Record<string, Record<string, string>>;

export function generateSecretValues(secrets: readonly SecretSpec[]): SecretValues {
  return Object.fromEntries(
    secrets.map((s) => [s.name, Object.fromEntries(Object.entries(s.keys).map(([key, { length }]) => [key, randomSecretValue(length)]))]),
  );
}
