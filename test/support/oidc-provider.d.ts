// oidc-provider (a development dependency, used by test/e2e/admin-oidc.test.ts only) ships no type declarations.
declare module 'oidc-provider';
