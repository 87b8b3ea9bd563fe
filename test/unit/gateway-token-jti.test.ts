import { describe, expect, it } from 'vitest';
import { ANONYMOUS } from '../../kernel/caller.js';
import { generateGatewayKeys, signGatewayToken, verifyGatewayToken } from '../../kernel/gateway-token.js';

describe('gateway token ids', () => {
  it('every token gets a jti of its own, 128 bits, across refills of the random pool (256 per refill)', async () => {
    const { privateKey, publicKey } = await generateGatewayKeys();
    const jtis = new Set<string>();
    for (let i = 0; i < 1_000; i++) {
      const body = `{"n":${i}}`;
      const token = signGatewayToken(ANONYMOUS, privateKey, { subgraph: 'person', body });
      const { jti } = verifyGatewayToken(token, publicKey, { subgraph: 'person', body });
      expect(Buffer.from(jti, 'base64url')).toHaveLength(16);
      jtis.add(jti);
    }
    expect(jtis.size).toBe(1_000);
  });
});
