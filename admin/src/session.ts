/**
 * The signed-in user: a bearer token held in this tab's sessionStorage (never in a URL, never in
 * localStorage, gone when the tab closes), and what its claims allow. Scopes only decide which tabs and
 * actions the UI shows; the gateway checks every request itself.
 */
export interface PublicConfig {
  devSignIn: boolean;
  profiles: { id: string; scope: string; role?: string }[];
  oidc: { issuer: string; clientId: string; scope: string } | null;
  scopeClaim: string;
  roleClaim: string;
  bundles: Record<string, string[]>;
}

export interface Session {
  token: string;
  subject: string;
  scopes: Set<string>;
  role: string | null;
  expiresAt: number;
}

const KEY = 'folkreg:admin:token';

function claimsOf(token: string): Record<string, unknown> | null {
  const part = token.split('.')[1];
  if (!part || token.split('.').length !== 3) return null;
  try {
    const json = atob(part.replace(/-/g, '+').replace(/_/g, '/'));
    const bytes = Uint8Array.from(json, (c) => c.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
  } catch {
    return null;
  }
}

/** The session of a token, or null when it is no JWT or has expired. */
export function sessionOf(token: string, config: PublicConfig): Session | null {
  const claims = claimsOf(token);
  if (!claims) return null;
  const raw = claims[config.scopeClaim];
  const listed = typeof raw === 'string' ? raw.split(/\s+/).filter(Boolean) : Array.isArray(raw) ? raw.map(String) : [];
  const scopes = new Set(listed.flatMap((s) => [s, ...(config.bundles[s] ?? [])]));
  const expiresAt = typeof claims.exp === 'number' ? claims.exp * 1000 : 0;
  if (expiresAt && expiresAt < Date.now()) return null;
  const role = claims[config.roleClaim];
  return { token, subject: String(claims.sub ?? '?'), scopes, role: typeof role === 'string' ? role : null, expiresAt };
}

export const storedToken = (): string | null => sessionStorage.getItem(KEY);
export const storeToken = (token: string): void => sessionStorage.setItem(KEY, token);
export const forgetToken = (): void => sessionStorage.removeItem(KEY);

/** May this user be released protected data at all (with a purpose)? The policy decides; this only shows the purpose field. */
export const mayBeEntitled = (s: Session): boolean => s.scopes.has('person:unrestricted') || s.role === 'public-authority';
