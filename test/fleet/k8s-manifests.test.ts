/**
 * Issue 21 part 4: every deploy/k8s/*.yaml, every document in it, validated offline against the
 * Kubernetes API's own OpenAPI schemas (kubernetes-models: ajv validators generated from the
 * Kubernetes 1.27 OpenAPI spec, one per apiVersion/kind; a kind it has no schema for fails). Then
 * what the schemas cannot know: probes on the endpoints serve has, a grace period that covers
 * preStop and serve's drain, scrape annotations, a PodDisruptionBudget per Deployment, and the
 * router's HAProxy config being deploy/haproxy/haproxy.cfg rendered for Kubernetes (and valid to
 * the real `haproxy -c`).
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { SHUTDOWN_DEADLINE_MS } from '../../src/fleet/supervisor.js';
import { HAPROXY_CFG, haproxyAvailable, renderKubernetesConfig } from './haproxy.js';

const K8S_DIR = join(import.meta.dirname, '../../deploy/k8s');

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- manifests are arbitrary YAML
type Manifest = any;

const files = (await readdir(K8S_DIR)).filter((f) => f.endsWith('.yaml')).sort();
const docs: { file: string; doc: Manifest }[] = [];
for (const file of files) {
  for (const d of parseAllDocuments(await readFile(join(K8S_DIR, file), 'utf8'))) {
    if (d.errors.length > 0) throw new Error(`${file}: ${d.errors.map((e) => e.message).join('; ')}`);
    const doc: unknown = d.toJS();
    if (doc !== null) docs.push({ file, doc });
  }
}

/** kubernetes-models' module for an apiVersion and kind: `apps/v1` Deployment → apps/v1/Deployment. */
async function modelOf(
  apiVersion: string,
  kind: string,
): Promise<new (data: unknown) => { validate(): void }> {
  const mod = (await import(`kubernetes-models/${apiVersion}/${kind}`).catch(() => undefined)) as
    Record<string, new (data: unknown) => { validate(): void }> | undefined;
  const model = mod?.[kind];
  if (!model) throw new Error(`no schema for ${apiVersion} ${kind}`);
  return model;
}

const byKind = (kind: string) => docs.filter((d) => d.doc.kind === kind).map((d) => d.doc);

describe('deploy/k8s manifests', () => {
  it('has the cores, the router, the worker and their config', () => {
    expect(files).toEqual(expect.arrayContaining(['config.yaml', 'core.yaml', 'router.yaml', 'worker.yaml']));
  });

  it.each(docs.map((d) => [`${d.file}: ${d.doc.kind} ${d.doc.metadata?.name}`, d] as const))(
    'validates %s against the Kubernetes schema',
    async (_name, { doc }) => {
      const Model = await modelOf(doc.apiVersion, doc.kind);
      expect(() => new Model(doc).validate()).not.toThrow();
    },
  );

  it('catches a broken manifest (the validator is not a no-op)', async () => {
    const Deployment = await modelOf('apps/v1', 'Deployment');
    const broken = structuredClone(byKind('Deployment')[0]);
    broken.spec.template.spec.containers[0].ports[0].containerPort = 'http';
    delete broken.spec.selector;
    expect(() => new Deployment(broken).validate()).toThrow(/selector|containerPort/);
  });

  it('probes readiness on /readyz and liveness on /healthz, with a grace period covering preStop and the drain', () => {
    const serving = byKind('Deployment').filter((d) => d.metadata.name !== 'redpkt-router');
    expect(serving.length).toBeGreaterThanOrEqual(2);
    for (const d of serving) {
      const spec = d.spec.template.spec;
      const c = spec.containers[0];
      expect(c.readinessProbe.httpGet.path).toBe('/readyz');
      expect(c.livenessProbe.httpGet.path).toBe('/healthz');
      const preStop = Number(c.lifecycle.preStop.exec.command.at(-1));
      expect(spec.terminationGracePeriodSeconds).toBeGreaterThan(preStop + SHUTDOWN_DEADLINE_MS / 1000);
      expect(c.resources.requests.cpu).toBeDefined();
      expect(c.resources.requests.memory).toBeDefined();
      expect(d.spec.template.metadata.annotations).toMatchObject({
        'prometheus.io/scrape': 'true',
        'prometheus.io/path': '/metrics',
      });
      expect(c.envFrom.map((e: Manifest) => e.secretRef?.name ?? e.configMapRef?.name)).toEqual([
        'redpkt-secrets',
        'redpkt-config',
      ]);
    }
  });

  it('has a PodDisruptionBudget selecting each Deployment', () => {
    const pdbs = byKind('PodDisruptionBudget');
    for (const d of byKind('Deployment')) {
      expect(
        pdbs.some(
          (p) => JSON.stringify(p.spec.selector.matchLabels) === JSON.stringify(d.spec.selector.matchLabels),
        ),
        d.metadata.name,
      ).toBe(true);
    }
  });

  it('gives the router exactly deploy/haproxy/haproxy.cfg rendered for Kubernetes, and haproxy accepts it', async () => {
    const cm = byKind('ConfigMap').find((c) => c.metadata.name === 'redpkt-haproxy');
    const expected = renderKubernetesConfig(await readFile(HAPROXY_CFG, 'utf8'));
    expect(cm.data['haproxy.cfg']).toBe(expected);
    if (!haproxyAvailable()) return;
    const dir = await mkdtemp(join(tmpdir(), 'redpkt-k8s-haproxy-'));
    try {
      const file = join(dir, 'haproxy.cfg');
      await writeFile(file, expected);
      const check = spawnSync('haproxy', ['-c', '-f', file], { encoding: 'utf8' });
      expect(check.status, check.stderr).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
