import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';

/** Runs launch/gateway.ts with `env` (nothing inherited but PATH) until it exits. */
async function runGateway(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'launch/gateway.ts'], {
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  const [code] = (await once(child, 'exit')) as [number | null];
  clearTimeout(timer);
  return { code, stdout, stderr };
}

describe('the gateway alone (npm run start:gateway) with a wrong configuration', () => {
  it('names every bad variable on stderr and exits 1 before starting anything', async () => {
    const { code, stdout, stderr } = await runGateway({
      SUBGRAPH_PERSON_URL: 'http://127.0.0.1:9/graphql',
      SUBGRAPH_FAMILY_URL: 'http://127.0.0.1:9/graphql',
      SUBGRAPH_ADDRESS_URL: 'http://127.0.0.1:9/graphql',
      SUBGRAPH_RESERVE_ID_URL: 'http://127.0.0.1:9/graphql',
      SUBGRAPH_SUBSCRIPTION_URL: 'http://127.0.0.1:9/graphql',
      GATEWAY_PRIVATE_KEY: '{"kty":"OKP"}',
      AUTH_JWKS_URL: 'http://127.0.0.1:9/jwks',
      AUTH_ISSUER: 'folkreg-test',
      AUTH_AUDIENCE: 'folkreg',
      PORT: '0',
      SUBGRAPH_TIMEOUT_MS: 'soon',
      LOG_LEVEL: 'chatty',
    });
    expect(code).toBe(1);
    expect(stderr).toContain('2 configuration errors:');
    expect(stderr).toContain("- SUBGRAPH_TIMEOUT_MS: not a whole number (got 'soon')");
    expect(stderr).toContain('- LOG_LEVEL: must be one of');
    expect(stdout).not.toContain('folkreg gateway on');
  }, 30_000);
});
