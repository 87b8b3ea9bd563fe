/**
 * `npx tsx test/bench/token-cost.ts`: CPU time of one gateway token, signed by the gateway and verified
 * by a subgraph, as each fetch now pays it (node:crypto Ed25519), beside jose's WebCrypto path.
 * process.cpuUsage() over many rounds, best of five: stable on a shared machine where wall time is not.
 */
import { SignJWT, jwtVerify } from 'jose';
import { generateGatewayKeys, signGatewayToken, verifyGatewayToken } from '../../kernel/gateway-token.js';
import { ANONYMOUS, type Caller } from '../../kernel/caller.js';

const keys = await generateGatewayKeys();
const caller: Caller = {
  ...ANONYMOUS,
  subject: 'bench',
  client: 'folkreg-bench',
  scopes: ['folkreg:read'],
  hidden: { SE_CONFIDENTIALITY_MARKING: ['ADDRESS', 'CONTACT', 'FAMILY', 'CIVIL_STATUS', 'CITIZENSHIP'], DK_NAME_AND_ADDRESS: ['NAME', 'ADDRESS', 'CONTACT'] },
};
// A family page's address fetch: 20 representations.
const body = JSON.stringify({
  query: 'query($representations:[_Any!]!){_entities(representations:$representations){...on Person{address{streetName postalCode postalDistrict}}}}',
  variables: {
    representations: Array.from({ length: 20 }, (_, i) => ({ __typename: 'Person', id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}` })),
  },
});
const ROUNDS = 500;

async function cpuMicros(work: () => unknown | Promise<unknown>): Promise<number> {
  let best = Infinity;
  for (let trial = 0; trial < 5; trial++) {
    const start = process.cpuUsage();
    for (let i = 0; i < ROUNDS; i++) await work();
    const used = process.cpuUsage(start);
    best = Math.min(best, (used.user + used.system) / ROUNDS);
  }
  return best;
}

const token = signGatewayToken(caller, keys.privateKey, { subgraph: 'address', body, ttlSeconds: 3_600 });
/** The token as the gateway signed it before, with jose: the comparison rows sign and verify these. */
const joseSign = () =>
  new SignJWT({ ...caller })
    .setProtectedHeader({ alg: 'EdDSA' })
    .setIssuer('folkreg-gateway')
    .setAudience('folkreg-subgraphs')
    .setSubject('bench')
    .setIssuedAt()
    .setExpirationTime('60s')
    .sign(keys.privateKey);
const joseToken = await joseSign();
const rows = {
  'sign per fetch (node:crypto, with body digest)': await cpuMicros(() => signGatewayToken(caller, keys.privateKey, { subgraph: 'address', body })),
  'verify per fetch (node:crypto, with body digest)': await cpuMicros(() => verifyGatewayToken(token, keys.publicKey, { subgraph: 'address', body })),
  'sign (jose, as before: once per caller per 30 s)': await cpuMicros(joseSign),
  'verify (jose, as before: once per token per 20 s)': await cpuMicros(() =>
    jwtVerify(joseToken, keys.publicKey, { issuer: 'folkreg-gateway', audience: 'folkreg-subgraphs' }),
  ),
};
for (const [what, micros] of Object.entries(rows)) console.log(`${what.padEnd(52)} ${micros.toFixed(1)} µs CPU`);
