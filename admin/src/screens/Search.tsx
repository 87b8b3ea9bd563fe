import { useState } from 'react';
import { run, type Credentials, type Result } from '../api';
import type { AdminSearchPersonsQuery, PersonSearchFilter } from '../gql/graphql';
import { useT } from '../i18n';
import { SearchPersons } from '../operations';
import type { Session } from '../session';
import { Cell, Errors, Field, Section, Select, Table, V } from '../ui';

/** Search by a partial number, a name, a birth-date range and a municipality, 20 hits a page, with next and previous. */
export function Search({ credentials, session, onOpen }: { credentials: Credentials; session: Session; onOpen: (identifier: string) => void }) {
  const t = useT();
  const [prefix, setPrefix] = useState('');
  const [name, setName] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [municipality, setMunicipality] = useState('');
  const [country, setCountry] = useState('');
  const [result, setResult] = useState<Result<AdminSearchPersonsQuery> | null>(null);
  // Cursors of the pages read so far: [null, after page 1, after page 2, …]; the last is the page shown.
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [filter, setFilter] = useState<PersonSearchFilter | null>(null);
  const [busy, setBusy] = useState(false);

  const load = async (f: PersonSearchFilter, after: string | null, stack: (string | null)[]) => {
    setBusy(true);
    setResult(await run(credentials, SearchPersons, { filter: f, after }));
    setCursors(stack);
    setBusy(false);
  };

  const submit = (e: { preventDefault(): void }) => {
    e.preventDefault();
    const f: PersonSearchFilter = {};
    if (prefix.trim()) f.identifierPrefix = prefix.trim();
    if (name.trim()) f.name = name.trim();
    if (from) f.birthDateFrom = from;
    if (to) f.birthDateTo = to;
    if (municipality.trim()) f.municipalityCode = municipality.trim();
    if (country) f.country = country as 'SE' | 'DK';
    setFilter(f);
    void load(f, null, [null]);
  };

  const page = result?.data?.searchPersons;
  return (
    <>
      <h1>{t('searchTitle')}</h1>
      <Section title={t('filter')}>
        <form className="grid" onSubmit={submit} role="search">
          <Field label={t('identifierPrefix')} hint={t('identifierPrefixHint')} value={prefix} onChange={setPrefix} name="identifierPrefix" />
          <Field label={t('name')} hint={t('nameHint')} value={name} onChange={setName} name="name" />
          <Field label={t('birthDateFrom')} type="date" value={from} onChange={setFrom} name="birthDateFrom" />
          <Field label={t('birthDateTo')} type="date" value={to} onChange={setTo} name="birthDateTo" />
          {session.scopes.has('address:read') ? (
            <Field label={t('municipality')} hint={t('municipalityHint')} value={municipality} onChange={setMunicipality} name="municipalityCode" />
          ) : null}
          <Select
            label={t('country')}
            value={country}
            onChange={setCountry}
            options={[
              ['', t('any')],
              ['SE', 'SE'],
              ['DK', 'DK'],
            ]}
          />
          <div className="actions">
            <button type="submit" className="primary" disabled={busy}>
              {t('search')}
            </button>
          </div>
        </form>
      </Section>
      {result ? (
        <Section title={t('results')} busy={busy}>
          <Errors errors={result.errors} />
          {page && page.edges.length === 0 ? <p>{t('noResults')}</p> : null}
          {page && page.edges.length ? (
            <Table headings={[t('identifier'), t('name'), t('birthDate'), t('status'), t('protection')]}>
              {page.edges.map(({ node }, i) => {
                const at = ['searchPersons', 'edges', i, 'node'];
                const value = node.identifier?.value;
                return (
                  <tr key={node.id}>
                    <td>
                      {value ? (
                        <button type="button" className="link" onClick={() => onOpen(value)}>
                          {node.identifier?.display ?? value}
                        </button>
                      ) : (
                        <V result={result} path={[...at, 'identifier']} value={null} />
                      )}
                    </td>
                    <Cell result={result} path={[...at, 'name']} value={node.name?.addressingName} />
                    <Cell result={result} path={[...at, 'birthDate']} value={node.birthDate} />
                    <Cell result={result} path={[...at, 'status']} value={node.status} />
                    <td>{node.protectionMarkers.map((m) => m.kind).join(', ') || '—'}</td>
                  </tr>
                );
              })}
            </Table>
          ) : null}
          {page && filter ? (
            <div className="pager">
              <button
                type="button"
                disabled={busy || cursors.length < 2}
                onClick={() => void load(filter, cursors[cursors.length - 2] ?? null, cursors.slice(0, -1))}
              >
                {t('previousPage')}
              </button>
              <span>{t('page', { n: cursors.length })}</span>
              <button
                type="button"
                disabled={busy || !page.pageInfo.hasNextPage}
                onClick={() => void load(filter, page.pageInfo.endCursor ?? null, [...cursors, page.pageInfo.endCursor ?? null])}
              >
                {t('nextPage')}
              </button>
            </div>
          ) : null}
        </Section>
      ) : null}
    </>
  );
}
