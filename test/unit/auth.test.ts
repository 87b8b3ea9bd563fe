import { describe, expect, it } from 'vitest';
import { AuthenticationError, createAuthenticator } from '../../gateway/auth.js';
import { ephemeralDevIssuer } from '../../gateway/dev-auth.js';

describe('verified tokens are remembered, never past their expiry', () => {
  it('accepts a token again without re-verifying, and refuses it once it has expired', async () => {
    const issuer = await ephemeralDevIssuer();
    // The authenticator's clock is the test's: it is moved past the expiry, not waited for.
    let clock = Date.now();
    const authenticate = createAuthenticator({ ...issuer.authOptions, clockToleranceSeconds: 0, now: () => clock });
    const token = `Bearer ${await issuer.issue({ sub: 'clerk', scope: 'folkreg:read', ttlSeconds: 2 })}`;
    const first = await authenticate(token);
    expect(first).toMatchObject({ subject: 'clerk', scopes: ['folkreg:read'] });
    clock = first.expiresAt - 1;
    expect(await authenticate(token)).toEqual(first);
    clock = first.expiresAt;
    const late = authenticate(token);
    await expect(late).rejects.toBeInstanceOf(AuthenticationError);
    await expect(late).rejects.toThrow(/expired/);
  });

  it('does not remember a refusal: a bad token stays refused, a good one is accepted', async () => {
    const issuer = await ephemeralDevIssuer();
    const authenticate = createAuthenticator(issuer.authOptions);
    const token = await issuer.issue({ sub: 'clerk' });
    const tampered = `Bearer ${token.slice(0, -4)}${token.slice(-4) === 'AAAA' ? 'BBBB' : 'AAAA'}`;
    await expect(authenticate(tampered)).rejects.toThrow(/signature|well-formed/);
    await expect(authenticate(tampered)).rejects.toThrow(/signature|well-formed/);
    expect((await authenticate(`Bearer ${token}`)).subject).toBe('clerk');
  });
});
