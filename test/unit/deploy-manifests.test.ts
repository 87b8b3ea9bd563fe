import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Job } from 'kubernetes-models/batch/v1';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, Secret, Service } from 'kubernetes-models/v1';
import { readConfig, type Program } from '../../kernel/config.js';
import { STOP_MARGIN_MS } from '../../kernel/lifecycle.js';
import { SUBGRAPH_NAMES } from '../../kernel/subgraph-names.js';
import {
  configurationVariables,
  containerEnvironment,
  containersOf,
  kubernetesDir,
  manifests,
  readYaml,
  root,
  yamlFiles,
  type Container,
  type Manifest,
} from '../support/deploy.js';

/**
 * deploy/kubernetes, checked as far as a machine without a cluster can: every object against the
 * Kubernetes API schemas (kubernetes-models), then the rules a reviewer would check by hand — probes,
 * resources, non-root, a grace period that covers the drain, configuration the launchers accept, a
 * Deployment per subgraph, secrets only where they are needed. Nothing here is applied to a cluster.
 */

/** The API schema of each kind deploy/kubernetes uses; another kind must be added here to be checked. */
const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  'apps/v1/Deployment': Deployment,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'batch/v1/Job': Job,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/Service': Service,
};

const all = manifests();
const SECRET_TEMPLATE = 'secret.example.yaml';
/** What `kubectl apply -k` creates: everything but the Secret template. */
const applied = all.filter((m) => m.file !== SECRET_TEMPLATE);
const ofKind = (kind: string) => applied.filter((m) => m.kind === kind);
const named = (kind: string, name: string) => ofKind(kind).find((m) => m.metadata.name === name);
const workloads = [...ofKind('Deployment'), ...ofKind('Job')];
const deployments = ofKind('Deployment');
const template = all.filter((m) => m.file === SECRET_TEMPLATE);

/** Stand-ins for the Secret's values, of the shape each variable takes. */
const SECRET_VALUES: Record<string, string> = {
  GATEWAY_PRIVATE_KEY: '{"kty":"OKP","crv":"Ed25519"}',
  GATEWAY_PUBLIC_KEY: '{"kty":"OKP","crv":"Ed25519"}',
  CURSOR_SECRET: 'c2VjcmV0',
  DATABASE_URL: 'postgres://folkreg@postgres:5432/folkreg',
  REDIS_URL: 'redis://redis:6379',
};

/** The program each entry-point part reads its configuration as (deploy/entrypoint.sh). */
const PROGRAMS: Record<string, Program> = { gateway: 'gateway', subgraph: 'subgraph', migrate: 'tool' };

const podSpec = (m: Manifest) => m.spec.template.spec;
const environmentOf = (container: Container) => containerEnvironment(applied, container, SECRET_VALUES);

/** The Secret keys a container reads, as `secret/key`. */
const secretRefs = (container: Container) =>
  (container.env ?? []).filter((e) => e.valueFrom?.secretKeyRef).map((e) => `${e.valueFrom.secretKeyRef.name}/${e.valueFrom.secretKeyRef.key}`);
const secretVolumes = (m: Manifest) => (podSpec(m).volumes ?? []).filter((v: any) => v.secret).map((v: any) => v.secret.secretName as string);
const selects = (selector: Record<string, string>, labels: Record<string, string>) => Object.entries(selector).every(([k, v]) => labels[k] === v);

describe('deploy/kubernetes against the Kubernetes API schemas', () => {
  it.each(all.map((m) => [`${m.file}: ${m.kind} ${m.metadata?.name}`, m] as const))('%s', (_, m) => {
    const Model = MODELS[`${m.apiVersion}/${m.kind}`];
    expect(Model, `a model for ${m.apiVersion} ${m.kind}`).toBeDefined();
    const { file: _file, ...object } = m;
    expect(() => new Model!(object as never).validate()).not.toThrow();
  });

  it('has names unique per kind, and every object labelled part-of folkreg', () => {
    const keys = applied.map((m) => `${m.kind}/${m.metadata.name}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const m of all) expect(m.metadata.labels?.['app.kubernetes.io/part-of'], `${m.kind} ${m.metadata.name}`).toBe('folkreg');
  });
});

describe('kustomizations', () => {
  const main = readYaml('kustomization.yaml')[0] as any;
  const migrate = readYaml('migrate/kustomization.yaml')[0] as any;

  it('list every manifest file of their folder but the Secret template, which must never be applied', () => {
    const own = (prefix: string) =>
      yamlFiles()
        .filter((f) => (prefix ? f.startsWith(prefix) : !f.includes('/')))
        .map((f) => f.slice(prefix.length))
        .filter((f) => f !== 'kustomization.yaml' && f !== SECRET_TEMPLATE);
    expect([...main.resources].sort()).toEqual(own('').sort());
    expect([...migrate.resources].sort()).toEqual(own('migrate/').sort());
  });

  it('give the migration and the pods the same image, the one every container names', () => {
    expect(migrate.images).toEqual(main.images);
    const names = new Set(main.images.map((i: { name: string }) => i.name));
    for (const w of workloads) for (const c of containersOf(w)) expect(names.has(c.image), `${w.metadata.name}/${c.name}`).toBe(true);
    expect(main.namespace).toBe(migrate.namespace);
  });
});

describe('containers', () => {
  const each = workloads.flatMap((w) => containersOf(w).map((c) => [`${w.kind} ${w.metadata.name}/${c.name}`, w, c] as const));

  it.each(each)('%s: runs as non-root on a read-only root filesystem, without privileges', (_, w, c) => {
    const pod = podSpec(w).securityContext ?? {};
    expect(c.securityContext?.runAsNonRoot ?? pod.runAsNonRoot).toBe(true);
    expect(c.securityContext?.runAsUser ?? pod.runAsUser).toBeGreaterThan(0);
    expect(c.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    expect(podSpec(w).automountServiceAccountToken).toBe(false);
    // tsx writes its compile cache to /tmp: the one writable place.
    const tmp = c.volumeMounts?.find((v: any) => v.mountPath === '/tmp');
    expect(podSpec(w).volumes.find((v: any) => v.name === tmp?.name)?.emptyDir).toBeDefined();
  });

  it.each(each)('%s: requests and limits CPU and memory', (_, _w, c) => {
    for (const bound of ['requests', 'limits']) expect(Object.keys(c.resources?.[bound] ?? {}).sort(), bound).toEqual(['cpu', 'memory']);
  });

  it.each(each)('%s: is configured with variables kernel/config.ts reads, and the launcher accepts them', (_, _w, c) => {
    const known = configurationVariables();
    const env = environmentOf(c);
    expect(Object.keys(env).filter((name) => !known.has(name))).toEqual([]);
    const program = PROGRAMS[c.args[0]!];
    expect(program, `the part ${c.args[0]}`).toBeDefined();
    expect(() => readConfig(env, program!)).not.toThrow();
  });

  it.each(each)('%s: reads files only from volumes mounted into it', (_, w, c) => {
    const env = environmentOf(c);
    for (const [name, path] of Object.entries(env).filter(([name]) => name.endsWith('_FILE'))) {
      const mount = c.volumeMounts?.find((v: any) => path.startsWith(`${v.mountPath}/`));
      expect(mount, `${name}=${path}`).toBeDefined();
      const volume = podSpec(w).volumes.find((v: any) => v.name === mount.name);
      const items: { path: string }[] | undefined = volume?.secret?.items;
      if (items) expect(items.map((i) => i.path)).toContain(path.slice(mount.mountPath.length + 1));
    }
  });
});

describe('Deployments', () => {
  const drainMs = (c: Container) => readConfig(environmentOf(c), PROGRAMS[c.args[0]!]!).http.drainMs;

  it.each(deployments.map((d) => [d.metadata.name, d] as const))('%s: probes /readyz and /healthz on its own port, in its own scheme', (_, d) => {
    for (const c of containersOf(d)) {
      const env = readConfig(environmentOf(c), PROGRAMS[c.args[0]!]!);
      const port = c.ports.find((p: any) => p.containerPort === env.server.port);
      expect(port, 'a container port at PORT').toBeDefined();
      const scheme = env.subgraph.tlsCertFile ? 'HTTPS' : 'HTTP';
      for (const [probe, path] of [
        ['readinessProbe', '/readyz'],
        ['livenessProbe', '/healthz'],
        ['startupProbe', '/healthz'],
      ] as const) {
        expect(c[probe]?.httpGet, probe).toMatchObject({ path, port: port.name });
        expect(c[probe].httpGet.scheme ?? 'HTTP', probe).toBe(scheme);
      }
    }
  });

  it.each(deployments.map((d) => [d.metadata.name, d] as const))('%s: its grace period covers the preStop sleep, the drain and the stop margin', (_, d) => {
    for (const c of containersOf(d)) {
      const [sleep, seconds] = c.lifecycle?.preStop?.exec?.command ?? [];
      expect(sleep).toBe('sleep');
      // The kubelet counts the grace period from the start of preStop; the launcher gives up at drain + margin.
      const neededMs = Number(seconds) * 1_000 + drainMs(c) + STOP_MARGIN_MS;
      expect(neededMs).toBeLessThanOrEqual(podSpec(d).terminationGracePeriodSeconds * 1_000);
    }
  });

  it.each(deployments.map((d) => [d.metadata.name, d] as const))(
    '%s: rolls without losing capacity, spreads, and has a Service and a disruption budget',
    (_, d) => {
      const labels = d.spec.template.metadata.labels;
      expect(selects(d.spec.selector.matchLabels, labels)).toBe(true);
      expect(d.spec.strategy.rollingUpdate).toMatchObject({ maxUnavailable: 0 });
      const spread = podSpec(d).topologySpreadConstraints ?? [];
      expect(spread.map((t: any) => t.topologyKey)).toContain('kubernetes.io/hostname');
      for (const t of spread) expect(selects(t.labelSelector.matchLabels, labels)).toBe(true);
      expect(ofKind('Service').filter((s) => selects(s.spec.selector, labels))).toHaveLength(1);
      expect(ofKind('PodDisruptionBudget').filter((p) => selects(p.spec.selector.matchLabels, labels))).toHaveLength(1);
    },
  );

  it('exist for every subgraph, each one running its subgraph behind a Service of its name, and differ only in that name', () => {
    const person = readFileSync(join(kubernetesDir, 'subgraph-person.yaml'), 'utf8');
    for (const name of SUBGRAPH_NAMES) {
      const d = named('Deployment', `folkreg-${name}`);
      expect(d, name).toBeDefined();
      expect(containersOf(d!).map((c) => c.args)).toEqual([['subgraph', name]]);
      expect(selects(named('Service', name)!.spec.selector, d!.spec.template.metadata.labels)).toBe(true);
      expect(readFileSync(join(kubernetesDir, `subgraph-${name}.yaml`), 'utf8')).toBe(person.replaceAll('person', name));
      expect(environmentOf(containersOf(d!)[0]!).MIGRATE_ON_START).toBe('false'); // the Job migrates
    }
    expect(deployments).toHaveLength(SUBGRAPH_NAMES.length + 1);
  });

  it("point the gateway at each subgraph's Service and port", () => {
    const gateway = containersOf(named('Deployment', 'folkreg-gateway')!)[0]!;
    const urls = readConfig(environmentOf(gateway), 'gateway').gateway.subgraphUrls;
    for (const name of SUBGRAPH_NAMES) {
      const url = new URL(urls[name]);
      const service = named('Service', url.hostname);
      expect(service, url.hostname).toBeDefined();
      expect(service!.spec.ports.map((p: any) => p.port)).toContain(Number(url.port));
    }
  });

  it('let the autoscaler own the gateway replica count, and stay within Postgres connections at their largest', () => {
    const hpa = named('HorizontalPodAutoscaler', 'folkreg-gateway')!;
    const gateway = named('Deployment', hpa.spec.scaleTargetRef.name)!;
    expect(gateway.spec.replicas, 'a re-apply would reset the autoscaler').toBeUndefined();
    expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(2);
    // Every pod at its pool's size, each Deployment at its largest plus its rolling-update surge; the gateway's
    // audit pool is fixed in launch/gateway.ts; the migrator holds two connections besides its pool.
    const gatewayPool = Number(/maxConnections: (\d+)/.exec(readFileSync(join(root, 'launch/gateway.ts'), 'utf8'))![1]);
    const largest = (d: Manifest) => (d === gateway ? hpa.spec.maxReplicas : d.spec.replicas) + d.spec.strategy.rollingUpdate.maxSurge;
    const pool = (d: Manifest) => (d === gateway ? gatewayPool : readConfig(environmentOf(containersOf(d)[0]!), 'subgraph').database.poolSize);
    const job = containersOf(named('Job', 'folkreg-migrate')!)[0]!;
    const connections = deployments.reduce((sum, d) => sum + largest(d) * pool(d), 0) + readConfig(environmentOf(job), 'tool').database.poolSize + 2;
    expect(connections).toBeLessThanOrEqual(100 - 3); // Postgres' max_connections less superuser_reserved_connections
  });
});

describe('secrets', () => {
  const keys = new Map(template.map((s) => [s.metadata.name, Object.keys(s.stringData ?? {})]));

  it('are never real values in the template', () => {
    expect(template.length).toBeGreaterThan(0);
    for (const s of template) {
      expect(s.data).toBeUndefined();
      for (const [key, value] of Object.entries(s.stringData as Record<string, string>)) expect(value, `${s.metadata.name}/${key}`).toMatch(/^REPLACE-/);
    }
  });

  it('are all in the template, each key a container reads and each Secret a pod mounts', () => {
    for (const w of workloads) {
      for (const c of containersOf(w)) for (const ref of secretRefs(c)) expect(keys.get(ref.split('/')[0]!), ref).toContain(ref.split('/')[1]);
      for (const secret of secretVolumes(w)) expect(keys.has(secret), secret).toBe(true);
    }
  });

  it('reach only the parts that need them: the signing key the gateway, the cursor secret the subgraphs', () => {
    for (const w of workloads)
      for (const c of containersOf(w)) {
        const refs = secretRefs(c).map((r) => r.split('/')[1]);
        if (c.args[0] !== 'gateway') expect(refs, w.metadata.name).not.toContain('GATEWAY_PRIVATE_KEY');
        if (c.args[0] !== 'subgraph') expect(refs, w.metadata.name).not.toContain('CURSOR_SECRET');
      }
    const gatewayTls = podSpec(named('Deployment', 'folkreg-gateway')!).volumes.find((v: any) => v.secret?.secretName === 'folkreg-subgraph-tls');
    expect(gatewayTls.secret.items.map((i: any) => i.key)).toEqual(['ca.crt']); // the CA, not the subgraphs' key
  });
});
