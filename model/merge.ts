type Plain = Record<string, unknown>;

/** A mapping as an object literal, JSON or YAML make it; not an array, Date, Map or other class instance. */
export function isPlainMapping(value: unknown): value is Plain {
  if (typeof value !== 'object' || value === null) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/**
 * Deep-merges `override` onto `base`: objects merge key by key, arrays and scalars replace,
 * `undefined` leaves the base value. Neither argument is modified.
 */
export function deepMerge(base: unknown, override: unknown): unknown {
  if (override === undefined) return base;
  if (!isPlainMapping(base) || !isPlainMapping(override)) return override;
  const merged: Plain = { ...base };
  for (const [key, value] of Object.entries(override)) {
    // Own properties only, set as own properties: a `__proto__` key stays a key (an unknown one, which the
    // schema reports) instead of replacing the prototype and slipping its keys in as inherited ones.
    const inBase = Object.hasOwn(base, key) ? base[key] : undefined;
    Object.defineProperty(merged, key, { value: deepMerge(inBase, value), enumerable: true, writable: true, configurable: true });
  }
  return merged;
}
