/** `kubectl port-forward` to a Service of the test cluster, on a free port of 127.0.0.1. */
import { spawn, type ChildProcess } from 'node:child_process';
import { clusterBinary, paths, type ClusterLayout } from './layout.js';

export interface PortForward {
  /** e.g. http://127.0.0.1:41234 */
  readonly url: string;
  readonly port: number;
  close(): void;
}

export function portForward(l: ClusterLayout, namespace: string, target: string, remotePort: number, timeoutMs = 30_000): Promise<PortForward> {
  const child: ChildProcess = spawn(
    clusterBinary('kubectl'),
    ['--kubeconfig', paths(l).adminKubeconfig, '-n', namespace, 'port-forward', '--address', '127.0.0.1', target, `:${remotePort}`],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`port-forward ${namespace}/${target}:${remotePort}: not forwarding within ${timeoutMs} ms: ${output}`));
    }, timeoutMs);
    const onData = (d: Buffer): void => {
      output += d.toString();
      const m = /Forwarding from 127\.0\.0\.1:(\d+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        const port = Number(m[1]);
        resolve({ url: `http://127.0.0.1:${port}`, port, close: () => child.kill() });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`port-forward ${namespace}/${target}:${remotePort} exited (${code}): ${output}`));
    });
  });
}
