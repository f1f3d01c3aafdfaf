/**
 * The shipped HAProxy file (deploy/haproxy-meet-launcher.cfg) as a test runs it: only addresses,
 * ports, the certificate, the log target and the error page's path changed. One place, so a test
 * never runs a config the repository does not ship; a change to the shipped lines the substitution
 * relies on fails here loudly rather than leaving a test on a half-substituted file.
 */
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');
export const SHIPPED_HAPROXY = path.join(ROOT, 'deploy/haproxy-meet-launcher.cfg');
export const SHIPPED_503 = path.join(ROOT, 'deploy/haproxy-meet-launcher-503.http');

export interface HaproxyTestSetup {
  httpPort: number;
  httpsPort: number;
  /** Certificate and key in one PEM file, as HAProxy's `crt` takes them. */
  pem: string;
  /** The pool's nodes on loopback. */
  nodes: { name: string; port: number }[];
  /** Where the access log goes: as shipped (stdout, info), or stderr at warning to keep a run quiet. */
  log?: 'as-shipped' | 'quiet';
}

export function haproxyConfigForTest(setup: HaproxyTestSetup): string {
  const shipped = fs.readFileSync(SHIPPED_HAPROXY, 'utf8');
  const servers = setup.nodes.map((n) => `    server ${n.name} 127.0.0.1:${n.port} cookie ${n.name}`).join('\n');
  const substitutions: [string | RegExp, string][] = [
    ['bind :80', `bind 127.0.0.1:${setup.httpPort}`],
    ['bind :443 ssl crt /etc/ssl/meet-launcher/meet.pem', `bind 127.0.0.1:${setup.httpsPort} ssl crt ${setup.pem}`],
    [/^ {4}server node-a .*\n {4}server node-b .*$/m, servers],
    ['errorfile 503 /etc/haproxy/errors/meet-launcher-503.http', `errorfile 503 ${SHIPPED_503}`],
  ];
  if (setup.log === 'quiet')
    substitutions.push(['log stdout format raw local0 info', 'log stderr format raw local0 warning']);
  let config = shipped;
  for (const [from, to] of substitutions) {
    const next = config.replace(from, to);
    if (next === config)
      throw new Error(`${SHIPPED_HAPROXY} changed: the tests cannot find "${String(from)}" to substitute`);
    config = next;
  }
  return config;
}
