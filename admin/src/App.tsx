import { useEffect, useMemo, useState } from 'react';
import type { Credentials } from './api';
import { I18n, LANGUAGES, preferredLanguage, translator, type Language, type TextKey } from './i18n';
import { forgetToken, mayBeEntitled, sessionOf, storedToken, storeToken, type PublicConfig, type Session } from './session';
import { SignIn } from './screens/SignIn';
import { Search } from './screens/Search';
import { PersonView } from './screens/Person';
import { ReserveIdentities } from './screens/ReserveIdentities';
import { Subscriptions } from './screens/Subscriptions';
import { Audit } from './screens/Audit';

type Tab = 'search' | 'person' | 'reserve' | 'subscriptions' | 'audit';

/** Which scopes show which tab: any one of them (the gateway still checks each request). */
const TABS: { id: Tab; label: TextKey; scopes: string[] }[] = [
  { id: 'search', label: 'tabSearch', scopes: ['person:read'] },
  { id: 'reserve', label: 'tabReserve', scopes: ['reserve-id:write', 'reserve-id:read'] },
  { id: 'subscriptions', label: 'tabSubscriptions', scopes: ['events:subscribe'] },
  { id: 'audit', label: 'tabAudit', scopes: ['audit:read'] },
];

export function App() {
  const [language, setLanguage] = useState<Language>(preferredLanguage);
  const t = useMemo(() => translator(language), [language]);
  const [config, setConfig] = useState<PublicConfig | null>(null);
  const [session, setSession] = useState<Session | null>(null);
  const [notice, setNotice] = useState<TextKey | null>(null);
  const [purpose, setPurpose] = useState('');
  const [tab, setTab] = useState<Tab>('search');
  const [personIdentifier, setPersonIdentifier] = useState<string | null>(null);

  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);

  useEffect(() => {
    void fetch('config.json')
      .then((r) => r.json() as Promise<PublicConfig>)
      .then(async (c) => {
        setConfig(c);
        // Back from the identity provider: the gateway hands the token over once (an HttpOnly cookie holds its handle, never a URL).
        if (c.oidc) {
          const res = await fetch('oidc/token', { method: 'POST' });
          if (res.status === 200) storeToken(((await res.json()) as { token: string }).token);
        }
        const stored = storedToken();
        const s = stored ? sessionOf(stored, c) : null;
        if (s) setSession(s);
        else if (stored) forgetToken();
      });
  }, []);

  const signIn = (token: string) => {
    if (!config) return false;
    const s = sessionOf(token, config);
    if (!s) return false;
    storeToken(token);
    setSession(s);
    setNotice(null);
    const first = TABS.find((tb) => tb.scopes.some((sc) => s.scopes.has(sc)));
    setTab(first?.id ?? 'search');
    setPersonIdentifier(null);
    return true;
  };
  const signOut = (why: TextKey | null = null) => {
    forgetToken();
    setSession(null);
    setNotice(why);
    setPurpose('');
  };

  const credentials: Credentials | null = session ? { token: session.token, purpose, onUnauthenticated: () => signOut('sessionExpired') } : null;
  const tabs = session ? TABS.filter((tb) => tb.scopes.some((sc) => session.scopes.has(sc))) : [];
  const openPerson = (identifier: string) => {
    setPersonIdentifier(identifier);
    setTab('person');
  };

  return (
    <I18n.Provider value={t}>
      <a className="skip" href="#main">
        {t('skipToContent')}
      </a>
      <header className="top">
        <span className="brand">{t('appName')}</span>
        <div className="field inline">
          <label htmlFor="language">{t('language')}</label>
          <select id="language" value={language} onChange={(e: { target: { value: string } }) => setLanguage(e.target.value as Language)}>
            {Object.entries(LANGUAGES).map(([code, name]) => (
              <option key={code} value={code} lang={code}>
                {name}
              </option>
            ))}
          </select>
        </div>
        {session ? (
          <div className="who">
            <span>{t('signedInAs', { subject: session.subject })}</span>
            {mayBeEntitled(session) ? (
              <div className="field inline">
                <label htmlFor="purpose">{t('purpose')}</label>
                <input
                  id="purpose"
                  value={purpose}
                  aria-describedby="purpose-hint"
                  onChange={(e: { target: { value: string } }) => setPurpose(e.target.value)}
                />
                <small id="purpose-hint" className="hint">
                  {t('purposeHint')}
                </small>
              </div>
            ) : null}
            <button type="button" onClick={() => signOut()}>
              {t('signOut')}
            </button>
          </div>
        ) : null}
      </header>
      {session && tabs.length ? (
        <nav aria-label={t('appName')} className="tabs">
          {tabs.map((tb) => (
            <button key={tb.id} type="button" aria-current={tab === tb.id ? 'page' : undefined} onClick={() => setTab(tb.id)}>
              {t(tb.label)}
            </button>
          ))}
          {personIdentifier ? (
            <button type="button" aria-current={tab === 'person' ? 'page' : undefined} onClick={() => setTab('person')}>
              {t('tabPerson')}
            </button>
          ) : null}
        </nav>
      ) : null}
      <main id="main" tabIndex={-1}>
        {!config ? (
          <p>{t('loading')}</p>
        ) : !session || !credentials ? (
          <SignIn config={config} notice={notice} onToken={signIn} />
        ) : !tabs.length ? (
          <p>{t('noTabs')}</p>
        ) : tab === 'search' ? (
          <Search credentials={credentials} session={session} onOpen={openPerson} />
        ) : tab === 'person' && personIdentifier ? (
          <PersonView
            key={personIdentifier}
            credentials={credentials}
            session={session}
            identifier={personIdentifier}
            onOpen={openPerson}
            onBack={() => setTab('search')}
          />
        ) : tab === 'reserve' ? (
          <ReserveIdentities credentials={credentials} session={session} />
        ) : tab === 'subscriptions' ? (
          <Subscriptions credentials={credentials} session={session} />
        ) : tab === 'audit' ? (
          <Audit credentials={credentials} onOpen={openPerson} session={session} />
        ) : null}
      </main>
    </I18n.Provider>
  );
}
