import { exportJWK } from 'jose';
import { ephemeralDevIssuer } from '../../gateway/dev-auth.js';
import { Policy } from '../../gateway/policy.js';
import { applyPolicy } from '../../gateway/server.js';
import { GATEWAY_TOKEN_HEADER, signGatewayToken } from '../../kernel/gateway-token.js';
import { ephemeralSecrets } from '../../kernel/secrets.js';
import type { SubgraphName } from '../../kernel/subgraph-names.js';
import type { ScenarioContext } from './scenarios.js';

/**
 * A bench run's throwaway keys (gateway key pair, cursor secret, a dev token issuer) and what every child
 * process is handed of them (`ServeConfig` without its role); for run.ts and ab.ts alike.
 */
export async function benchKeys(databaseUrl: string | undefined) {
  const secrets = await ephemeralSecrets();
  const issuer = await ephemeralDevIssuer();
  const childConfig = {
    databaseUrl,
    cursorSecret: secrets.cursorSecret.toString('base64'),
    gatewayPrivateJwk: await exportJWK(secrets.gatewayKeys.privateKey),
    gatewayPublicJwk: await exportJWK(secrets.gatewayKeys.publicKey),
    auth: issuer.authOptions,
  };
  // A fixed caller, as folkreg's policy sees the writer token below (scope person:write hides no more
  // and no less than a reader's): Hive and the direct requests carry gateway tokens for it, signed
  // per fetch as folkreg's gateway does (Hive in its own process, with the gateway key).
  const caller = applyPolicy(new Policy(), { subject: 'bench', client: 'folkreg-bench', scopes: ['folkreg:read', 'person:write'], role: null, purpose: null });
  /** What the scenarios send with: client tokens, and gateway tokens for requests straight to a subgraph. */
  const scenarioContext = async (subgraphUrls: Record<SubgraphName, string>): Promise<ScenarioContext> => ({
    subgraphUrls,
    clientToken: `Bearer ${await issuer.issue({ scope: 'folkreg:read', sub: 'bench', client: 'folkreg-bench', ttlSeconds: 6 * 3600 })}`,
    writerToken: `Bearer ${await issuer.issue({ scope: 'folkreg:read person:write', sub: 'bench-writer', client: 'folkreg-bench', ttlSeconds: 6 * 3600 })}`,
    asGateway: (subgraph: SubgraphName) => (body: string) => ({
      [GATEWAY_TOKEN_HEADER]: signGatewayToken(caller, secrets.gatewayKeys.privateKey, { subgraph, body }),
    }),
  });
  return { secrets, issuer, childConfig, caller, scenarioContext };
}
