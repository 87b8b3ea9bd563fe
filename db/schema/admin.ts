import { index, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * One-time ids of the administration UI's OpenID Connect sign-in (gateway/admin/oidc.ts), recorded when
 * used: a sign-in's state at its callback, a token handle when the page redeems it. Every gateway on the
 * database refuses an id another used, so a replay fails whichever gateway it reaches. Only random ids
 * and their expiry: the tokens themselves travel sealed in the browser's cookies, never rest here.
 */
export const adminSignInUsed = pgTable(
  'admin_sign_in_used',
  {
    id: text('id').primaryKey(),
    /** When the id's cookie expires: after that it is refused unopened, and the row may go. */
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [index('admin_sign_in_used_expires_idx').on(t.expiresAt)],
);
