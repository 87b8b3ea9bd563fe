import { useState } from 'react';
import { useT, type TextKey } from '../i18n';
import type { PublicConfig } from '../session';
import { Field, Section } from '../ui';

/**
 * Development: one click per kind of user (the gateway mints the token, for loopback browsers only).
 * Any deployment: paste a token. Production with an issuer configured: OpenID Connect.
 */
export function SignIn({ config, notice, onToken }: { config: PublicConfig; notice: TextKey | null; onToken: (token: string) => boolean }) {
  const t = useT();
  const [profile, setProfile] = useState(config.profiles[0]?.id ?? '');
  const [pasted, setPasted] = useState('');
  const [problem, setProblem] = useState<string | null>(notice ? t(notice) : null);

  const devSignIn = async (e: { preventDefault(): void }) => {
    e.preventDefault();
    const res = await fetch('dev-token', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ profile }) });
    const body = (await res.json().catch(() => ({}))) as { token?: string };
    if (!body.token || !onToken(body.token)) setProblem(t('badToken'));
  };

  return (
    <div className="narrow">
      <h1>{t('signInTitle')}</h1>
      {problem ? (
        <p className="errors" role="alert">
          {problem}
        </p>
      ) : null}
      {config.devSignIn ? (
        <Section title={t('signIn')}>
          <form onSubmit={devSignIn}>
            <fieldset>
              <legend>{t('signInDev')}</legend>
              {config.profiles.map((p) => (
                <div className="radio" key={p.id}>
                  <input type="radio" id={`profile-${p.id}`} name="profile" value={p.id} checked={profile === p.id} onChange={() => setProfile(p.id)} />
                  <label htmlFor={`profile-${p.id}`}>
                    {t(`profile_${p.id}` as TextKey)} <code>{p.scope}</code>
                  </label>
                </div>
              ))}
            </fieldset>
            <button type="submit" className="primary">
              {t('signIn')}
            </button>
          </form>
        </Section>
      ) : config.oidc ? (
        <Section title={t('signIn')}>
          <a className="button primary" href="oidc/start">
            {t('signInOidc')}
          </a>
        </Section>
      ) : (
        <p>{t('noSignIn')}</p>
      )}
      <Section title={t('pasteToken')}>
        <form
          onSubmit={(e: { preventDefault(): void }) => {
            e.preventDefault();
            if (!onToken(pasted.trim())) setProblem(t('badToken'));
          }}
        >
          <Field label={t('token')} type="password" value={pasted} onChange={setPasted} />
          <button type="submit">{t('useToken')}</button>
        </form>
      </Section>
    </div>
  );
}
