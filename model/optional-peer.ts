import { createRequire } from 'node:module';

/** An optional peer dependency that a feature needs is not installed. */
export class MissingPeerError extends Error {}

/**
 * Loads an optional peer dependency (CommonJS) for the feature that needs it, or throws a `MissingPeerError` saying
 * what to install. Validation-only packages are optional peers: a consumer that only synthesizes never installs them.
 */
export function requirePeer<T>(from: string, specifier: string, peer: { name: string; version: string; neededFor: string }): T {
  const require = createRequire(from);
  try {
    require.resolve(`${peer.name}/package.json`);
  } catch {
    throw new MissingPeerError(`${peer.neededFor} needs the optional peer dependency ${peer.name}: npm install --save-dev ${peer.name}@${peer.version}`);
  }
  return require(specifier) as T;
}
