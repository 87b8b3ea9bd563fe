import { INGEST_MAX_BYTES } from './ingest-route.js';
import { LOG_LEVELS, setLogLevel, type LogLevel } from './log.js';
import { SUBGRAPH_NAMES, type SubgraphName } from './subgraph-names.js';

/**
 * folkreg's whole configuration (README "Configuration"), read from the environment once, at start, by
 * the launcher (`loadConfig`). Every problem is reported at once, and the process stops before anything
 * starts. Files a variable names (policy, limits, keys, certificates) are read by the part they belong to;
 * here they are paths. An unset or empty variable takes its default.
 */
export interface Config {
  /** LOG_LEVEL: the least severe log lines written (`silent`: none). @default 'info' */
  logLevel: LogLevel;
  /** NODE_ENV is `production`: no schema introspection, no "Did you mean" suggestions. @default false */
  production: boolean;
  /** Where the process listens. */
  server: ServerConfig;
  /** The database and its time bounds. */
  database: DatabaseConfig;
  /** The first-start population of `npm start`. */
  seed: SeedConfig;
  /** Bounds on slow and idle connections, and the shutdown drain, of every server. */
  http: HttpConfig;
  /** What only the gateway reads. */
  gateway: GatewayConfig;
  /** How the gateway verifies callers' tokens (the gateway alone; `npm start` uses its development key). */
  auth: AuthConfig;
  /** What only a subgraph run alone reads. */
  subgraph: SubgraphConfig;
  /** OpenTelemetry traces (README "Tracing"). */
  tracing: TracingConfig;
  /** `POST /ingest/cpr` and `/ingest/ndjson` (the gateway and the person subgraph). */
  ingest: IngestConfig;
}

/** INGEST_MAX_BYTES. */
export interface IngestConfig {
  /**
   * INGEST_MAX_BYTES: the largest file `POST /ingest/cpr` and `/ingest/ndjson` take (the gateway answers
   * 413 above it; the person subgraph takes the same plus the forwarded options line). The body is held in
   * memory at the gateway and at the person subgraph, hence at most 1 GiB; larger files go through
   * `npm run ingest`, which reads them at offsets. @default 134_217_728 // 128 MiB (a 100,000-person extract is 103 MB)
   */
  maxBytes: number;
}

/** OTEL_EXPORTER_OTLP_ENDPOINT and OTEL_SERVICE_NAME. */
export interface TracingConfig {
  /** OTEL_EXPORTER_OTLP_ENDPOINT: OTLP/HTTP base URL spans are sent to (`<endpoint>/v1/traces`). @default undefined // tracing off */
  endpoint?: string;
  /** OTEL_SERVICE_NAME: `service.name` of this process's spans. @default undefined // folkreg-gateway, folkreg-<subgraph>, folkreg (`npm start`) */
  serviceName?: string;
}

/** PORT and HOST. */
export interface ServerConfig {
  /** HOST. @default '127.0.0.1' // `npm start` and a subgraph alone; '0.0.0.0' for the gateway alone */
  host: string;
  /** PORT; 0 picks a free one. @default 4000 // 4001 for a subgraph alone */
  port: number;
  /**
   * METRICS_PORT: `/metrics` on a listener of its own (same HOST) instead of on PORT, so that a public
   * service port does not expose it; with `npm start`, the gateway's only. @default undefined // on PORT
   */
  metricsPort?: number;
}

/** DATABASE_* and DATA_DIR. */
export interface DatabaseConfig {
  /** DATABASE_URL: the Postgres server; unset, `npm start` uses the embedded database. */
  url?: string;
  /** DATA_DIR: folder of the embedded database and development secrets. @default './.data' */
  dataDir: string;
  /** DATABASE_POOL_SIZE: connections per process. @default 10 */
  poolSize: number;
  /** DATABASE_CONNECT_TIMEOUT_MS. @default 5_000 // 5 seconds */
  connectTimeoutMs: number;
  /** DATABASE_STATEMENT_TIMEOUT_MS (0 = off). @default 5_000 // 5 seconds */
  statementTimeoutMs: number;
  /** DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS. @default 10_000 // 10 seconds */
  idleInTransactionTimeoutMs: number;
  /** MIGRATE_ON_START (`true` or `false`): a subgraph alone applies migrations at start. @default true */
  migrateOnStart: boolean;
}

/** SEED_PERSONS and SEED. */
export interface SeedConfig {
  /** SEED_PERSONS: persons seeded on first start (0 = none). @default 5_000 */
  persons: number;
  /** SEED: the seed of the synthetic population. @default 1 */
  seed: number;
}

/** HTTP_*_TIMEOUT_MS and SHUTDOWN_DRAIN_MS. */
export interface HttpConfig {
  /** HTTP_HEADERS_TIMEOUT_MS. @default 10_000 // 10 seconds */
  headersTimeoutMs: number;
  /** HTTP_REQUEST_TIMEOUT_MS. @default 30_000 // 30 seconds */
  requestTimeoutMs: number;
  /** HTTP_KEEP_ALIVE_TIMEOUT_MS. @default 65_000 // 65 seconds */
  keepAliveTimeoutMs: number;
  /** SHUTDOWN_DRAIN_MS: time in-flight requests get at SIGTERM/SIGINT. @default 10_000 // 10 seconds */
  drainMs: number;
}

/** The gateway's variables. */
export interface GatewayConfig {
  /** SUBGRAPH_<NAME>_URL of each subgraph (required for the gateway alone). */
  subgraphUrls: Partial<Record<SubgraphName, string>>;
  /** SUPERGRAPH_PATH. @default undefined // schema/supergraph.graphql */
  supergraphPath?: string;
  /** GATEWAY_PRIVATE_KEY: the JWK subgraph tokens are signed with (required for the gateway alone). */
  privateKey?: string;
  /** SUBGRAPH_CA_FILE: PEM CA for https subgraph URLs. @default undefined // Node's trusted roots */
  subgraphCaFile?: string;
  /** PROTECTION_POLICY_FILE. @default undefined // the built-in table */
  protectionPolicyFile?: string;
  /** TRUSTED_DOCUMENTS_FILE: the manifest of registered operations. */
  trustedDocumentsFile?: string;
  /** TRUSTED_DOCUMENTS_ENFORCE: `all`, or the client ids that may send registered documents only. @default [] // none */
  trustedDocumentsEnforce: 'all' | string[];
  /** LIMITS_FILE. @default undefined // README "Limits" */
  limitsFile?: string;
  /** RATE_LIMIT_COST_PER_MINUTE (0 = no budgets); the limits file's `defaults.costPerMinute` wins. @default 300_000 */
  costPerMinute: number;
  /** REDIS_URL: budgets shared by every replica. @default undefined // counted in memory */
  redisUrl?: string;
  /** REDIS_KEY_PREFIX. @default 'folkreg:budget' */
  redisKeyPrefix: string;
  /** IDE (`on` or `off`). @default true */
  ide: boolean;
  /** ADMIN (`on` or `off`): the administration UI at /admin. @default true */
  admin: boolean;
  /**
   * GATEWAY_READINESS: `degraded` (ready while it can reach a subgraph, answering what the others leave
   * out with errors) or `all-subgraphs` (ready only while every subgraph is). README "Readiness". @default 'degraded'
   */
  readiness: 'degraded' | 'all-subgraphs';
  /** ADMIN_OIDC_*: the administration UI's OpenID Connect sign-in (the gateway alone). @default undefined // no OpenID Connect sign-in */
  adminOidc?: AdminOidcConfig;
  /** REQUEST_TIMEOUT_MS. @default 10_000 // 10 seconds */
  requestTimeoutMs: number;
  /** SUBGRAPH_TIMEOUT_MS. @default 8_000 // 8 seconds */
  subgraphTimeoutMs: number;
  /** LOAD_SHEDDING_EVENT_LOOP_DELAY_MS (0 = off). @default 1_000 // 1 second */
  loadSheddingEventLoopDelayMs: number;
  /** WEBHOOK_*: how this gateway delivers webhooks (README "Delivery" → "Webhooks"). */
  webhooks: WebhookConfig;
  /** FILES_RETENTION_DAYS: days notification files and base extracts' output are kept (README "Delivery"). @default 7 */
  filesRetentionDays: number;
}

/**
 * ADMIN_OIDC_* (the gateway alone; gateway/admin/oidc.ts): issuer, client id and redirect URL together or
 * none, and with them the cookie secret.
 */
export interface AdminOidcConfig {
  /** ADMIN_OIDC_ISSUER: the provider's issuer URL (discovery at `/.well-known/openid-configuration`). */
  issuer: string;
  /** ADMIN_OIDC_CLIENT_ID: the UI's client at the provider; also the client id its tokens carry. */
  clientId: string;
  /** ADMIN_OIDC_CLIENT_SECRET: for a confidential client; without it a public client (PKCE only). */
  clientSecret?: string;
  /** ADMIN_OIDC_REDIRECT_URL: the public URL of `/admin/oidc/callback`, as registered at the provider. */
  redirectUrl: string;
  /** ADMIN_OIDC_SCOPE: the scopes asked for. @default 'openid folkreg:read' */
  scope?: string;
  /** ADMIN_OIDC_RESOURCE: the `resource` (RFC 8707) the access token is for, e.g. AUTH_AUDIENCE. */
  resource?: string;
  /**
   * ADMIN_OIDC_COOKIE_SECRET: base64 of at least 32 random bytes, the same in every gateway: seals the
   * sign-in's state, nonce and PKCE verifier, and the token waiting for its page, into the browser's cookies.
   */
  cookieSecret: string;
}

/** WEBHOOK_* (the gateway). */
export interface WebhookConfig {
  /** WEBHOOK_DELIVERY (`on` or `off`): this gateway runs a delivery worker. @default true */
  enabled: boolean;
  /** WEBHOOK_ALLOW_HTTP (`true`/`false`): http:// endpoints; refused with NODE_ENV=production. @default false */
  allowHttp: boolean;
  /** WEBHOOK_ALLOW_PRIVATE_ADDRESSES (`true`/`false`): loopback, private and link-local endpoint addresses. @default false */
  allowPrivateAddresses: boolean;
  /** WEBHOOK_TIMEOUT_MS: longest one POST may take. @default 10_000 // 10 seconds */
  timeoutMs: number;
  /** WEBHOOK_MAX_ATTEMPTS: failed attempts in a row before the webhook pauses. @default 10 */
  maxAttempts: number;
  /** WEBHOOK_RETRY_BASE_MS: first retry delay (doubling, with jitter). @default 1_000 // 1 second */
  retryBaseMs: number;
  /** WEBHOOK_RETRY_MAX_MS: longest retry delay. @default 3_600_000 // 1 hour */
  retryMaxMs: number;
}

/** AUTH_*. */
export interface AuthConfig {
  /** AUTH_JWKS_URL. */
  jwksUrl?: string;
  /** AUTH_JWKS_FILE. */
  jwksFile?: string;
  /** AUTH_ISSUER (required for the gateway alone). */
  issuer?: string;
  /** AUTH_AUDIENCE (required for the gateway alone). */
  audience?: string;
  /** AUTH_ALGORITHMS, comma-separated; asymmetric only. @default ['RS256', 'PS256', 'ES256', 'EdDSA'] */
  algorithms: string[];
  /** AUTH_SCOPE_CLAIM. @default 'scope' */
  scopeClaim: string;
  /** AUTH_ROLE_CLAIM. @default 'role' */
  roleClaim: string;
  /** AUTH_CLIENT_CLAIM. @default undefined // 'client_id', then 'azp' */
  clientClaim?: string;
  /** AUTH_PURPOSE_CLAIM. @default 'purpose' */
  purposeClaim: string;
}

/** A subgraph alone's variables. */
export interface SubgraphConfig {
  /** GATEWAY_PUBLIC_KEY: the JWK gateway tokens are verified with (required). */
  publicKey?: string;
  /** CURSOR_SECRET: base64 secret that signs cursors (required). */
  cursorSecret?: string;
  /** TLS_CERT_FILE: PEM certificate chain; with TLS_KEY_FILE, or neither. */
  tlsCertFile?: string;
  /** TLS_KEY_FILE: PEM key. */
  tlsKeyFile?: string;
  /**
   * SUBGRAPH_COMPILED_EXECUTION: hot queries run compiled by graphql-jit (`subgraphs/shared/executor.ts`);
   * `off` runs every request on graphql-js, the way back should a difference between the two show.
   * @default true
   */
  compiledExecution: boolean;
}

/** Which program reads the configuration: it decides what is required and the HOST/PORT defaults. */
export type Program = 'stack' | 'gateway' | 'subgraph' | 'tool';

/** The configuration of the gateway alone: what it requires is there. */
export type GatewayAloneConfig = Config & {
  gateway: GatewayConfig & { subgraphUrls: Record<SubgraphName, string>; privateKey: string };
  auth: AuthConfig & { issuer: string; audience: string };
};

/** The configuration of a subgraph alone: what it requires is there. */
export type SubgraphAloneConfig = Config & {
  database: DatabaseConfig & { url: string };
  subgraph: SubgraphConfig & { publicKey: string; cursorSecret: string };
};

/** Every problem of one configuration; `message` lists them all. */
export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(readonly problems: readonly string[]) {
    super(`${problems.length} configuration error${problems.length === 1 ? '' : 's'}:\n${problems.map((p) => `- ${p}`).join('\n')}`);
  }
}

/** Accepted signature algorithms: asymmetric only, so a public key can never serve as an HMAC secret. */
export const ASYMMETRIC_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'] as const;

/** `reserve-id` → `SUBGRAPH_RESERVE_ID_URL`. */
export function subgraphUrlVariable(name: SubgraphName): string {
  return `SUBGRAPH_${name.toUpperCase().replace('-', '_')}_URL`;
}

/** Reads variables and collects what is wrong with them, so every problem is told at once. */
class Reader {
  readonly problems: string[] = [];
  constructor(private readonly env: NodeJS.ProcessEnv) {}

  /** The trimmed value, undefined when unset or empty. */
  string(name: string): string | undefined {
    const raw = this.env[name]?.trim();
    return raw ? raw : undefined;
  }

  required(name: string, needed: boolean, why: string): string | undefined {
    const value = this.string(name);
    if (!value && needed) this.problems.push(`${name}: required ${why}`);
    return value;
  }

  /** A whole number in [min, max]. */
  whole(name: string, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
    const raw = this.string(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!/^\d+$/.test(raw) || !Number.isSafeInteger(value)) this.problems.push(`${name}: not a whole number (got '${raw}')`);
    else if (value < min || value > max) this.problems.push(`${name}: must be between ${min} and ${max} (got '${raw}')`);
    else return value;
    return fallback;
  }

  oneOf<T extends string>(name: string, values: readonly T[], fallback: T): T {
    const raw = this.string(name)?.toLowerCase();
    if (raw === undefined) return fallback;
    if ((values as readonly string[]).includes(raw)) return raw as T;
    this.problems.push(`${name}: must be one of ${values.join(', ')} (got '${raw}')`);
    return fallback;
  }

  url(name: string, needed = false, why = ''): string | undefined {
    const value = this.required(name, needed, why);
    if (value === undefined) return undefined;
    if (!URL.canParse(value)) this.problems.push(`${name}: not a URL (got '${value}')`);
    return value;
  }

  /** Base64 of at least `minBytes` random bytes (a key the process derives its own from). */
  secret(name: string, needed: boolean, why: string, minBytes: number): string | undefined {
    const value = this.required(name, needed, why);
    if (value === undefined) return undefined;
    if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(value) || Buffer.from(value, 'base64').length < minBytes)
      this.problems.push(`${name}: base64 of at least ${minBytes} random bytes (e.g. \`openssl rand -base64 ${minBytes}\`)`);
    return value;
  }

  jwk(name: string, needed: boolean, why: string): string | undefined {
    const value = this.required(name, needed, why);
    if (value === undefined) return undefined;
    try {
      const parsed: unknown = JSON.parse(value);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return value;
    } catch {
      // reported below
    }
    this.problems.push(`${name}: not a JSON web key (JSON object; see \`npm run keys\`)`);
    return value;
  }
}

/**
 * The configuration `program` runs with, from `env`; throws a `ConfigError` naming every problem.
 * What `program` requires (the gateway alone its subgraph URLs, key and token issuer; a subgraph alone
 * its database, key and cursor secret) is part of the check.
 */
export function readConfig(env: NodeJS.ProcessEnv, program: 'gateway'): GatewayAloneConfig;
export function readConfig(env: NodeJS.ProcessEnv, program: 'subgraph'): SubgraphAloneConfig;
export function readConfig(env: NodeJS.ProcessEnv, program: Program): Config;
export function readConfig(env: NodeJS.ProcessEnv, program: Program): Config {
  const r = new Reader(env);
  const gatewayAlone = program === 'gateway';
  const subgraphAlone = program === 'subgraph';
  const forGateway = 'for the gateway alone (see README, "Running each part alone")';
  const forSubgraph = 'for a subgraph alone (see README, "Running each part alone")';

  const logLevel = r.oneOf('LOG_LEVEL', LOG_LEVELS, 'info');
  const server: ServerConfig = {
    host: r.string('HOST') ?? (gatewayAlone ? '0.0.0.0' : '127.0.0.1'),
    port: r.whole('PORT', subgraphAlone ? 4001 : 4000, 0, 65_535),
    metricsPort: r.string('METRICS_PORT') === undefined ? undefined : r.whole('METRICS_PORT', 0, 0, 65_535),
  };
  const database: DatabaseConfig = {
    url: r.required('DATABASE_URL', subgraphAlone, forSubgraph),
    dataDir: r.string('DATA_DIR') ?? './.data',
    poolSize: r.whole('DATABASE_POOL_SIZE', 10, 1),
    connectTimeoutMs: r.whole('DATABASE_CONNECT_TIMEOUT_MS', 5_000),
    statementTimeoutMs: r.whole('DATABASE_STATEMENT_TIMEOUT_MS', 5_000),
    idleInTransactionTimeoutMs: r.whole('DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS', 10_000),
    migrateOnStart: r.oneOf('MIGRATE_ON_START', ['true', 'false'], 'true') === 'true',
  };
  const seed: SeedConfig = { persons: r.whole('SEED_PERSONS', 5_000), seed: r.whole('SEED', 1) };
  const http: HttpConfig = {
    headersTimeoutMs: r.whole('HTTP_HEADERS_TIMEOUT_MS', 10_000),
    requestTimeoutMs: r.whole('HTTP_REQUEST_TIMEOUT_MS', 30_000),
    keepAliveTimeoutMs: r.whole('HTTP_KEEP_ALIVE_TIMEOUT_MS', 65_000),
    drainMs: r.whole('SHUTDOWN_DRAIN_MS', 10_000),
  };

  const enforce = r.string('TRUSTED_DOCUMENTS_ENFORCE');
  const gateway: GatewayConfig = {
    subgraphUrls: Object.fromEntries(
      SUBGRAPH_NAMES.flatMap((name) => {
        const url = r.url(subgraphUrlVariable(name), gatewayAlone, forGateway);
        return url ? [[name, url]] : [];
      }),
    ),
    supergraphPath: r.string('SUPERGRAPH_PATH'),
    privateKey: r.jwk('GATEWAY_PRIVATE_KEY', gatewayAlone, forGateway),
    subgraphCaFile: r.string('SUBGRAPH_CA_FILE'),
    protectionPolicyFile: r.string('PROTECTION_POLICY_FILE'),
    trustedDocumentsFile: r.string('TRUSTED_DOCUMENTS_FILE'),
    trustedDocumentsEnforce:
      enforce === 'all'
        ? 'all'
        : (enforce ?? '')
            .split(',')
            .map((c) => c.trim())
            .filter(Boolean),
    limitsFile: r.string('LIMITS_FILE'),
    costPerMinute: r.whole('RATE_LIMIT_COST_PER_MINUTE', 300_000),
    redisUrl: r.url('REDIS_URL'),
    redisKeyPrefix: r.string('REDIS_KEY_PREFIX') ?? 'folkreg:budget',
    ide: r.oneOf('IDE', ['on', 'off'], 'on') === 'on',
    admin: r.oneOf('ADMIN', ['on', 'off'], 'on') === 'on',
    readiness: r.oneOf('GATEWAY_READINESS', ['degraded', 'all-subgraphs'], 'degraded'),
    requestTimeoutMs: r.whole('REQUEST_TIMEOUT_MS', 10_000),
    subgraphTimeoutMs: r.whole('SUBGRAPH_TIMEOUT_MS', 8_000),
    loadSheddingEventLoopDelayMs: r.whole('LOAD_SHEDDING_EVENT_LOOP_DELAY_MS', 1_000),
    webhooks: {
      enabled: r.oneOf('WEBHOOK_DELIVERY', ['on', 'off'], 'on') === 'on',
      allowHttp: r.oneOf('WEBHOOK_ALLOW_HTTP', ['true', 'false'], 'false') === 'true',
      allowPrivateAddresses: r.oneOf('WEBHOOK_ALLOW_PRIVATE_ADDRESSES', ['true', 'false'], 'false') === 'true',
      timeoutMs: r.whole('WEBHOOK_TIMEOUT_MS', 10_000, 100, 60_000),
      maxAttempts: r.whole('WEBHOOK_MAX_ATTEMPTS', 10, 1, 1_000),
      retryBaseMs: r.whole('WEBHOOK_RETRY_BASE_MS', 1_000, 1),
      retryMaxMs: r.whole('WEBHOOK_RETRY_MAX_MS', 3_600_000, 1),
    },
    filesRetentionDays: r.whole('FILES_RETENTION_DAYS', 7, 1, 3_650),
  };
  if (gateway.webhooks.allowHttp && env.NODE_ENV === 'production')
    r.problems.push('WEBHOOK_ALLOW_HTTP: http:// webhook endpoints are refused in production (NODE_ENV=production); use https://');
  if (enforce && !gateway.trustedDocumentsFile) r.problems.push('TRUSTED_DOCUMENTS_ENFORCE: needs TRUSTED_DOCUMENTS_FILE');
  const oidcIssuer = r.url('ADMIN_OIDC_ISSUER');
  const oidcClient = r.string('ADMIN_OIDC_CLIENT_ID');
  const oidcRedirect = r.url('ADMIN_OIDC_REDIRECT_URL');
  if (oidcIssuer && oidcClient && oidcRedirect)
    gateway.adminOidc = {
      issuer: oidcIssuer,
      clientId: oidcClient,
      clientSecret: r.string('ADMIN_OIDC_CLIENT_SECRET'),
      redirectUrl: oidcRedirect,
      scope: r.string('ADMIN_OIDC_SCOPE'),
      resource: r.string('ADMIN_OIDC_RESOURCE'),
      cookieSecret: r.secret('ADMIN_OIDC_COOKIE_SECRET', true, 'with ADMIN_OIDC_ISSUER (the same in every gateway)', 32) ?? '',
    };
  else if (oidcIssuer || oidcClient || oidcRedirect)
    r.problems.push('ADMIN_OIDC_ISSUER, ADMIN_OIDC_CLIENT_ID, ADMIN_OIDC_REDIRECT_URL: set all three, or none');

  const algorithms = (r.string('AUTH_ALGORITHMS') ?? 'RS256,PS256,ES256,EdDSA')
    .split(',')
    .map((a) => a.trim())
    .filter(Boolean);
  const refused = algorithms.filter((a) => !(ASYMMETRIC_ALGORITHMS as readonly string[]).includes(a));
  if (refused.length)
    r.problems.push(`AUTH_ALGORITHMS: ${refused.join(', ')} not allowed; use asymmetric algorithms only (${ASYMMETRIC_ALGORITHMS.join(', ')})`);
  const auth: AuthConfig = {
    jwksUrl: r.url('AUTH_JWKS_URL'),
    jwksFile: r.string('AUTH_JWKS_FILE'),
    issuer: r.required('AUTH_ISSUER', gatewayAlone, forGateway),
    audience: r.required('AUTH_AUDIENCE', gatewayAlone, forGateway),
    algorithms,
    scopeClaim: r.string('AUTH_SCOPE_CLAIM') ?? 'scope',
    roleClaim: r.string('AUTH_ROLE_CLAIM') ?? 'role',
    clientClaim: r.string('AUTH_CLIENT_CLAIM'),
    purposeClaim: r.string('AUTH_PURPOSE_CLAIM') ?? 'purpose',
  };
  if (gatewayAlone && !auth.jwksUrl && !auth.jwksFile) r.problems.push('AUTH_JWKS_URL or AUTH_JWKS_FILE: one is required for the gateway alone');

  const subgraph: SubgraphConfig = {
    publicKey: r.jwk('GATEWAY_PUBLIC_KEY', subgraphAlone, forSubgraph),
    cursorSecret: r.required('CURSOR_SECRET', subgraphAlone, forSubgraph),
    tlsCertFile: r.string('TLS_CERT_FILE'),
    tlsKeyFile: r.string('TLS_KEY_FILE'),
    compiledExecution: r.oneOf('SUBGRAPH_COMPILED_EXECUTION', ['on', 'off'], 'on') === 'on',
  };
  if (!subgraph.tlsCertFile !== !subgraph.tlsKeyFile)
    r.problems.push('TLS_CERT_FILE and TLS_KEY_FILE: set both (PEM), or neither (see README, "Trust between gateway and subgraphs")');

  const ingest: IngestConfig = { maxBytes: r.whole('INGEST_MAX_BYTES', INGEST_MAX_BYTES, 1, 1024 * 1024 * 1024) };

  const tracing: TracingConfig = { endpoint: r.url('OTEL_EXPORTER_OTLP_ENDPOINT'), serviceName: r.string('OTEL_SERVICE_NAME') };
  if (tracing.endpoint && URL.canParse(tracing.endpoint) && !/^https?:$/.test(new URL(tracing.endpoint).protocol))
    r.problems.push(`OTEL_EXPORTER_OTLP_ENDPOINT: an http:// or https:// URL of an OTLP/HTTP receiver (got '${tracing.endpoint}')`);

  if (r.problems.length) throw new ConfigError(r.problems);
  return { logLevel, production: env.NODE_ENV === 'production', server, database, seed, http, gateway, auth, subgraph, tracing, ingest };
}

/**
 * `readConfig` of this process's environment, for a launcher: with any problem, they are all written to
 * stderr and the process exits 1 before anything starts. Sets the log level (LOG_LEVEL).
 */
export function loadConfig(program: 'gateway'): GatewayAloneConfig;
export function loadConfig(program: 'subgraph'): SubgraphAloneConfig;
export function loadConfig(program: Program): Config;
export function loadConfig(program: Program): Config {
  try {
    const config = readConfig(process.env, program);
    setLogLevel(config.logLevel);
    return config;
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`folkreg did not start: ${err.message}\n`);
    process.exit(1);
  }
}
