import { useState } from 'react';
import { run, type Credentials, type Result } from '../api';
import type { AdminAuditEventsQuery } from '../gql/graphql';
import { useT } from '../i18n';
import { AuditEvents } from '../operations';
import type { Session } from '../session';
import { Errors, Field, Section, Table, V } from '../ui';

/** The audit log of protected data released to entitled callers (scope audit:read), 50 a page. */
export function Audit({ credentials, session, onOpen }: { credentials: Credentials; session: Session; onOpen: (identifier: string) => void }) {
  const t = useT();
  const [subject, setSubject] = useState('');
  const [personId, setPersonId] = useState('');
  const [result, setResult] = useState<Result<AdminAuditEventsQuery> | null>(null);
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const load = async (stack: (string | null)[]) => {
    setResult(
      await run(credentials, AuditEvents, { subject: subject.trim() || null, personId: personId.trim() || null, after: stack[stack.length - 1] ?? null }),
    );
    setCursors(stack);
  };
  const page = result?.data?.auditEvents;
  return (
    <>
      <h1>{t('audit')}</h1>
      <Section title={t('filter')}>
        <form
          className="grid"
          onSubmit={(e: { preventDefault(): void }) => {
            e.preventDefault();
            void load([null]);
          }}
        >
          <Field label={t('subject')} value={subject} onChange={setSubject} name="subject" />
          <Field label={t('personId')} value={personId} onChange={setPersonId} name="personId" />
          <div className="actions">
            <button type="submit" className="primary">
              {t('search')}
            </button>
          </div>
        </form>
      </Section>
      {result ? (
        <Section title={t('results')}>
          <Errors errors={result.errors} />
          {page && !page.edges.length ? <p>{t('noAudit')}</p> : null}
          {page?.edges.length ? (
            <Table headings={[t('at'), t('subject'), t('client'), t('person'), t('fields'), t('operation'), t('purpose')]}>
              {page.edges.map(({ node }, i) => {
                const display = node.person.identifier?.display;
                return (
                  <tr key={i}>
                    <td>{node.at.slice(0, 19).replace('T', ' ')}</td>
                    <td>{node.subject}</td>
                    <td>{node.client ?? '—'}</td>
                    <td>
                      {display && session.scopes.has('person:read') ? (
                        <button type="button" className="link" onClick={() => onOpen(display)}>
                          <V result={result} path={['auditEvents', 'edges', i, 'node', 'person', 'name']} value={node.person.name?.addressingName ?? display} />
                        </button>
                      ) : (
                        <V result={result} path={['auditEvents', 'edges', i, 'node', 'person', 'identifier']} value={display} />
                      )}
                    </td>
                    <td>{node.fields.join(', ')}</td>
                    <td>{node.operationName ?? '—'}</td>
                    <td>{node.purpose ?? '—'}</td>
                  </tr>
                );
              })}
            </Table>
          ) : null}
          <div className="pager">
            <button type="button" disabled={cursors.length < 2} onClick={() => void load(cursors.slice(0, -1))}>
              {t('previousPage')}
            </button>
            <span>{t('page', { n: cursors.length })}</span>
            <button type="button" disabled={!page?.pageInfo.hasNextPage} onClick={() => void load([...cursors, page?.pageInfo.endCursor ?? null])}>
              {t('nextPage')}
            </button>
          </div>
        </Section>
      ) : null}
    </>
  );
}
