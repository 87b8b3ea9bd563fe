import { describe, expect, it } from 'vitest';
import { ConfigError, readConfig } from '../../kernel/config.js';

/** The problems `readConfig` reports for `env`, or [] when it accepts it. */
function problems(env: NodeJS.ProcessEnv, program: Parameters<typeof readConfig>[1] = 'stack'): readonly string[] {
  try {
    readConfig(env, program);
    return [];
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
}

const GATEWAY_ALONE = {
  SUBGRAPH_PERSON_URL: 'http://person:4001/graphql',
  SUBGRAPH_FAMILY_URL: 'http://family:4001/graphql',
  SUBGRAPH_ADDRESS_URL: 'http://address:4001/graphql',
  SUBGRAPH_RESERVE_ID_URL: 'http://reserve-id:4001/graphql',
  SUBGRAPH_SUBSCRIPTION_URL: 'http://subscription:4001/graphql',
  GATEWAY_PRIVATE_KEY: '{"kty":"OKP"}',
  AUTH_JWKS_URL: 'https://idp.example/jwks',
  AUTH_ISSUER: 'https://idp.example',
  AUTH_AUDIENCE: 'folkreg',
};

describe('readConfig', () => {
  it("takes README's defaults for every unset variable", () => {
    const config = readConfig({}, 'stack');
    expect(config.logLevel).toBe('info');
    expect(config.production).toBe(false);
    expect(config.server).toEqual({ host: '127.0.0.1', port: 4000 });
    expect(config.server.metricsPort).toBeUndefined(); // /metrics on PORT
    expect(config.database).toEqual({
      url: undefined,
      dataDir: './.data',
      poolSize: 10,
      connectTimeoutMs: 5_000,
      statementTimeoutMs: 5_000,
      idleInTransactionTimeoutMs: 10_000,
      migrateOnStart: true,
    });
    expect(config.seed).toEqual({ persons: 5_000, seed: 1 });
    expect(config.http).toEqual({ headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, keepAliveTimeoutMs: 65_000, drainMs: 10_000 });
    expect(config.gateway).toMatchObject({
      subgraphUrls: {},
      trustedDocumentsEnforce: [],
      costPerMinute: 300_000,
      redisKeyPrefix: 'folkreg:budget',
      ide: true,
      requestTimeoutMs: 10_000,
      subgraphTimeoutMs: 8_000,
      loadSheddingEventLoopDelayMs: 1_000,
      filesRetentionDays: 7,
    });
    expect(config.auth).toMatchObject({ algorithms: ['RS256', 'PS256', 'ES256', 'EdDSA'], scopeClaim: 'scope', roleClaim: 'role', purposeClaim: 'purpose' });
    expect(config.tracing).toEqual({ endpoint: undefined, serviceName: undefined });
    expect(config.subgraph.compiledExecution).toBe(true);
    expect(config.ingest).toEqual({ maxBytes: 134_217_728 });
  });

  it('bounds the ingest endpoints by INGEST_MAX_BYTES, whole bytes up to 1 GiB', () => {
    expect(readConfig({ INGEST_MAX_BYTES: '1048576' }, 'stack').ingest.maxBytes).toBe(1_048_576);
    expect(readConfig({ ...GATEWAY_ALONE, INGEST_MAX_BYTES: '2000' }, 'gateway').ingest.maxBytes).toBe(2000);
    expect(problems({ INGEST_MAX_BYTES: '128MiB' })).toEqual(["INGEST_MAX_BYTES: not a whole number (got '128MiB')"]);
    expect(problems({ INGEST_MAX_BYTES: '0' })).toEqual(["INGEST_MAX_BYTES: must be between 1 and 1073741824 (got '0')"]);
    expect(problems({ INGEST_MAX_BYTES: '2147483648' })).toEqual(["INGEST_MAX_BYTES: must be between 1 and 1073741824 (got '2147483648')"]);
  });

  it('turns tracing on with an OTLP endpoint URL, and refuses one that is not a URL', () => {
    const on = readConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SERVICE_NAME: 'register-gw' }, 'stack');
    expect(on.tracing).toEqual({ endpoint: 'http://collector:4318', serviceName: 'register-gw' });
    expect(() => readConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector 4318' }, 'stack')).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT: not a URL/);
    expect(() => readConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'grpc://collector:4317' }, 'stack')).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT: an http/);
  });

  it('defaults HOST and PORT per program: the gateway alone on every interface, a subgraph alone on 4001', () => {
    expect(readConfig(GATEWAY_ALONE, 'gateway').server).toEqual({ host: '0.0.0.0', port: 4000 });
    const subgraph = readConfig({ DATABASE_URL: 'postgres://db/folkreg', GATEWAY_PUBLIC_KEY: '{"kty":"OKP"}', CURSOR_SECRET: 'c2VjcmV0' }, 'subgraph');
    expect(subgraph.server).toEqual({ host: '127.0.0.1', port: 4001 });
  });

  it('reads what is set', () => {
    const config = readConfig(
      {
        PORT: '0',
        IDE: 'OFF',
        SUBGRAPH_COMPILED_EXECUTION: 'off',
        NODE_ENV: 'production',
        TRUSTED_DOCUMENTS_FILE: 'm.json',
        TRUSTED_DOCUMENTS_ENFORCE: 'a, b',
        LOG_LEVEL: 'warn',
      },
      'stack',
    );
    expect(config.server.port).toBe(0);
    expect(config.gateway.ide).toBe(false);
    expect(config.production).toBe(true);
    expect(config.gateway.trustedDocumentsEnforce).toEqual(['a', 'b']);
    expect(config.logLevel).toBe('warn');
    expect(config.subgraph.compiledExecution).toBe(false);
  });

  it('serves /metrics on a port of its own when METRICS_PORT is set', () => {
    expect(readConfig({ METRICS_PORT: '9464' }, 'stack').server).toEqual({ host: '127.0.0.1', port: 4000, metricsPort: 9464 });
    expect(readConfig({ ...GATEWAY_ALONE, METRICS_PORT: '9090' }, 'gateway').server.metricsPort).toBe(9090);
  });

  it('reports every problem together, each naming its variable', () => {
    const found = problems({ SUBGRAPH_TIMEOUT_MS: 'x', PORT: '70000', LOG_LEVEL: 'loud', IDE: 'maybe', TLS_CERT_FILE: 'cert.pem' });
    expect(found).toEqual([
      "LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent (got 'loud')",
      "PORT: must be between 0 and 65535 (got '70000')",
      "IDE: must be one of on, off (got 'maybe')",
      "SUBGRAPH_TIMEOUT_MS: not a whole number (got 'x')",
      expect.stringMatching(/^TLS_CERT_FILE and TLS_KEY_FILE: set both/),
    ]);
    expect(() => readConfig({ SUBGRAPH_TIMEOUT_MS: 'x', SEED: '-1' }, 'stack')).toThrow(
      "2 configuration errors:\n- SEED: not a whole number (got '-1')\n- SUBGRAPH_TIMEOUT_MS: not a whole number (got 'x')",
    );
  });

  describe.each([
    ['DATABASE_STATEMENT_TIMEOUT_MS', '1.5', "not a whole number (got '1.5')"],
    ['RATE_LIMIT_COST_PER_MINUTE', 'lots', "not a whole number (got 'lots')"],
    ['DATABASE_POOL_SIZE', '0', 'must be between 1 and'],
    ['METRICS_PORT', '65536', "must be between 0 and 65535 (got '65536')"],
    ['MIGRATE_ON_START', 'no', "must be one of true, false (got 'no')"],
    ['SUBGRAPH_COMPILED_EXECUTION', 'jit', "must be one of on, off (got 'jit')"],
    ['AUTH_ALGORITHMS', 'RS256,HS256', 'HS256 not allowed'],
    ['REDIS_URL', 'not a url', "not a URL (got 'not a url')"],
    ['TRUSTED_DOCUMENTS_ENFORCE', 'all', 'needs TRUSTED_DOCUMENTS_FILE'],
  ])('%s=%s', (name, value, problem) => {
    it('is refused', () => {
      expect(problems({ [name]: value })).toEqual([expect.stringContaining(`${name}: ${problem}`)]);
    });
  });

  it('requires what the gateway alone needs, all at once', () => {
    expect(problems({}, 'gateway')).toEqual([
      expect.stringMatching(/^SUBGRAPH_PERSON_URL: required/),
      expect.stringMatching(/^SUBGRAPH_FAMILY_URL: required/),
      expect.stringMatching(/^SUBGRAPH_ADDRESS_URL: required/),
      expect.stringMatching(/^SUBGRAPH_RESERVE_ID_URL: required/),
      expect.stringMatching(/^SUBGRAPH_SUBSCRIPTION_URL: required/),
      expect.stringMatching(/^GATEWAY_PRIVATE_KEY: required/),
      expect.stringMatching(/^AUTH_ISSUER: required/),
      expect.stringMatching(/^AUTH_AUDIENCE: required/),
      expect.stringMatching(/^AUTH_JWKS_URL or AUTH_JWKS_FILE: one is required/),
    ]);
    expect(problems({ ...GATEWAY_ALONE, GATEWAY_PRIVATE_KEY: 'not json' }, 'gateway')).toEqual([
      expect.stringMatching(/^GATEWAY_PRIVATE_KEY: not a JSON web key/),
    ]);
  });

  it('requires what a subgraph alone needs', () => {
    expect(problems({}, 'subgraph')).toEqual([
      expect.stringMatching(/^DATABASE_URL: required/),
      expect.stringMatching(/^GATEWAY_PUBLIC_KEY: required/),
      expect.stringMatching(/^CURSOR_SECRET: required/),
    ]);
    expect(problems({}, 'stack')).toEqual([]);
  });
});
