/**
 * Issue 21: deploy/haproxy/haproxy.cfg rendered for where it runs: a test's or benchmark's cores on
 * loopback ports (`renderHaproxyConfig`), or Kubernetes (`renderKubernetesConfig`, the router's
 * ConfigMap in deploy/k8s/router.yaml, which the manifest test keeps equal to it).
 */

/** The file's `bind :8080` on `port`, every backend's `server` lines for `cores`, checks on `checkPath`. */
export function renderHaproxyConfig(
  template: string,
  port: number,
  cores: readonly string[],
  checkPath: string,
): string {
  const servers = cores.map((url, i) => `    server core${i} ${new URL(url).host} check`).join('\n');
  let out = template.replace(/^ {4}bind :8080$/m, `    bind 127.0.0.1:${port}`);
  // every run of `server` lines (one per backend) becomes the test's cores
  out = out.replace(/(?:^ {4}server .*\n)+/gm, `${servers}\n`);
  out = out.replace(/GET \/readyz/g, `GET ${checkPath}`);
  return out;
}

/** The namespace and DNS name of the cores' headless Service (deploy/k8s/core.yaml). */
export const K8S_CORES_DNS = 'redpkt-core.redpkt.svc.cluster.local:8080';

/**
 * deploy/haproxy/haproxy.cfg as the router's ConfigMap holds it (deploy/k8s/router.yaml): the
 * cores found through the headless Service's DNS (up to 16, re-resolved as pods come and go)
 * instead of fixed `server` lines, and a monitor URI for the router pod's own probes that fails
 * while no core is up.
 */
export function renderKubernetesConfig(template: string): string {
  const servers = `    server-template core 16 ${K8S_CORES_DNS} check resolvers k8s init-addr none`;
  return (
    template
      .replace(/(?:^ {4}server .*\n)+/gm, `${servers}\n`)
      .replace(
        /^(frontend redpkt\n {4}bind :8080\n)/m,
        "$1    # the router pod's probes: 200 while some core is up\n    monitor-uri /haproxy/ready\n    monitor fail if { nbsrv(packets) eq 0 }\n",
      ) + '\nresolvers k8s\n    parse-resolv-conf\n    hold valid 5s\n    hold obsolete 5s\n'
  );
}
