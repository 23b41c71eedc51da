import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';

/**
 * Moves every port the compose bundle publishes (`127.0.0.1:<host>:<container>`) to `<host> + offset`, so that a
 * second stack (the screenshots' at +10000, the distributed e2e's at +20000) runs beside a local stack or an
 * end-to-end run on the usual ports. Returns the new host port of each old one.
 */
export function shiftPublishedPorts(composeDir: string, offset: number): Map<number, number> {
  const file = join(composeDir, 'compose.yaml');
  const doc = yaml.load(readFileSync(file, 'utf8')) as { services: Record<string, { ports?: string[] }> };
  const moved = new Map<number, number>();
  for (const service of Object.values(doc.services)) {
    service.ports = service.ports?.map((port) => {
      const match = /^(127\.0\.0\.1):(\d+):(\d+)$/.exec(port);
      if (!match) throw new Error(`unexpected published port ${port} in ${file}`);
      const host = Number(match[2]);
      moved.set(host, host + offset);
      return `${match[1]}:${host + offset}:${match[3]}`;
    });
  }
  writeFileSync(file, yaml.dump(doc, { lineWidth: -1 }));
  return moved;
}
