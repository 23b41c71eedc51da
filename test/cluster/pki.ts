/**
 * The cluster's certificates and kubeconfigs, kubeadm's layout made with openssl: one CA, a serving certificate
 * each for the API server, etcd and the kubelet, a client certificate per component (its user and groups are
 * what RBAC sees), and the service-account signing key. Made once per cluster directory.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import yaml from 'js-yaml';
import { paths, type ClusterLayout } from './layout.js';

interface Certificate {
  readonly name: string;
  readonly commonName: string;
  readonly organization?: string;
  readonly subjectAltNames?: readonly string[];
  readonly usage: 'client' | 'server' | 'both';
}

/** Components that talk to the API server, each with a kubeconfig of its own. */
export const kubeconfigUsers = ['admin', 'controller-manager', 'scheduler', 'kubelet', 'kube-proxy', 'kube-router'] as const;
export type KubeconfigUser = (typeof kubeconfigUsers)[number];

function certificates(l: ClusterLayout): Certificate[] {
  const apiNames = ['kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local', 'localhost', l.nodeName];
  return [
    {
      name: 'apiserver',
      commonName: 'kube-apiserver',
      subjectAltNames: [...apiNames.map((n) => `DNS:${n}`), 'IP:127.0.0.1', `IP:${l.apiServerServiceIp}`, `IP:${l.nodeIp}`],
      usage: 'server',
    },
    { name: 'etcd-server', commonName: 'etcd', subjectAltNames: ['DNS:localhost', 'IP:127.0.0.1'], usage: 'both' },
    { name: 'apiserver-etcd-client', commonName: 'kube-apiserver-etcd-client', usage: 'client' },
    { name: 'apiserver-kubelet-client', commonName: 'kube-apiserver-kubelet-client', organization: 'system:masters', usage: 'client' },
    { name: 'admin', commonName: 'kubernetes-admin', organization: 'system:masters', usage: 'client' },
    { name: 'controller-manager', commonName: 'system:kube-controller-manager', usage: 'client' },
    { name: 'scheduler', commonName: 'system:kube-scheduler', usage: 'client' },
    { name: 'kubelet', commonName: `system:node:${l.nodeName}`, organization: 'system:nodes', usage: 'client' },
    { name: 'kube-proxy', commonName: 'system:kube-proxy', usage: 'client' },
    { name: 'kube-router', commonName: 'kube-router', usage: 'client' },
    {
      name: 'kubelet-serving',
      commonName: l.nodeName,
      subjectAltNames: [`DNS:${l.nodeName}`, 'DNS:localhost', 'IP:127.0.0.1', `IP:${l.nodeIp}`],
      usage: 'server',
    },
  ];
}

const openssl = (cwd: string, args: readonly string[]): void => {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
};

function sign(dir: string, cert: Certificate): void {
  const { name } = cert;
  openssl(dir, ['genrsa', '-out', `${name}.key`, '2048']);
  const subject = `${cert.organization ? `/O=${cert.organization}` : ''}/CN=${cert.commonName}`;
  openssl(dir, ['req', '-new', '-key', `${name}.key`, '-subj', subject, '-out', `${name}.csr`]);
  const usage = { client: 'clientAuth', server: 'serverAuth', both: 'serverAuth,clientAuth' }[cert.usage];
  const ext = [
    'basicConstraints=CA:FALSE',
    'keyUsage=critical,digitalSignature,keyEncipherment',
    `extendedKeyUsage=${usage}`,
    ...(cert.subjectAltNames ? [`subjectAltName=${cert.subjectAltNames.join(',')}`] : []),
  ].join('\n');
  fs.writeFileSync(path.join(dir, `${name}.ext`), `${ext}\n`);
  openssl(dir, ['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '30', '-extfile', `${name}.ext`, '-out', `${name}.crt`]);
  fs.rmSync(path.join(dir, `${name}.csr`));
  fs.rmSync(path.join(dir, `${name}.ext`));
}

const base64File = (file: string): string => fs.readFileSync(file).toString('base64');

/** A kubeconfig with the client certificate of `user` embedded, for the API server at `server`. */
export function kubeconfig(l: ClusterLayout, user: KubeconfigUser, server = `https://127.0.0.1:${l.apiServerPort}`): string {
  const pki = paths(l).pki;
  return yaml.dump({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'observatory', cluster: { server, 'certificate-authority-data': base64File(path.join(pki, 'ca.crt')) } }],
    users: [
      {
        name: user,
        user: {
          'client-certificate-data': base64File(path.join(pki, `${user}.crt`)),
          'client-key-data': base64File(path.join(pki, `${user}.key`)),
        },
      },
    ],
    contexts: [{ name: 'observatory', context: { cluster: 'observatory', user } }],
    'current-context': 'observatory',
  }, { lineWidth: -1 });
}

/** Writes the PKI and the kubeconfigs unless they exist; returns whether it made them. */
export function ensurePki(l: ClusterLayout): boolean {
  const dir = paths(l).pki;
  if (fs.existsSync(path.join(dir, 'ca.crt')) && fs.existsSync(paths(l).adminKubeconfig)) return false;
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  openssl(dir, ['genrsa', '-out', 'ca.key', '2048']);
  openssl(dir, ['req', '-x509', '-new', '-nodes', '-key', 'ca.key', '-subj', '/CN=observatory-test-cluster-ca', '-days', '30', '-out', 'ca.crt']);
  for (const cert of certificates(l)) sign(dir, cert);
  openssl(dir, ['genrsa', '-out', 'sa.key', '2048']);
  openssl(dir, ['rsa', '-in', 'sa.key', '-pubout', '-out', 'sa.pub']);
  for (const user of kubeconfigUsers) fs.writeFileSync(path.join(dir, `${user}.kubeconfig`), kubeconfig(l, user), { mode: 0o600 });
  return true;
}
