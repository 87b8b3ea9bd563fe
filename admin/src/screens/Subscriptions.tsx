import { useEffect, useState } from 'react';
import { run, type Credentials, type Result } from '../api';
import type { AdminEventSubscriptionsQuery, AdminPullEventsQuery, ChangeEventType, EventFilterGroup } from '../gql/graphql';
import { useT, type TextKey } from '../i18n';
import {
  AcknowledgeEvents,
  AddAgeRangeFilters,
  AddEventTypeFilters,
  AddMunicipalityFilters,
  AddPersonFilters,
  CreateEventSubscription,
  DeleteEventSubscription,
  EventSubscriptions,
  PullEvents,
  RemoveAllFilters,
  RemoveEventTypeFilters,
  RemoveMunicipalityFilters,
  RemovePersonFilters,
  SetCatchAll,
} from '../operations';
import type { Session } from '../session';
import { Errors, Field, Section, Select, Status, Table } from '../ui';

type Group = 'EVENT_TYPE' | 'MUNICIPALITY' | 'PERSON' | 'AGE_RANGE';
const GROUPS: [Group, TextKey][] = [
  ['EVENT_TYPE', 'groupTypes'],
  ['MUNICIPALITY', 'groupMunicipalities'],
  ['PERSON', 'groupPersons'],
  ['AGE_RANGE', 'groupAges'],
];

interface ItemResult {
  value?: string | null;
  minAge?: number | null;
  maxAge?: number | null;
  result: string;
  reason?: string | null;
}

const split = (text: string) =>
  text
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);

/** Durable subscriptions of the user's client: filters per group with a result per item, pulling and acknowledging. */
export function Subscriptions({ credentials, session }: { credentials: Credentials; session: Session }) {
  const t = useT();
  const [list, setList] = useState<Result<AdminEventSubscriptionsQuery> | null>(null);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [catchAll, setCatchAll] = useState(false);
  const [group, setGroup] = useState<Group>('EVENT_TYPE');
  const [values, setValues] = useState('');
  const [items, setItems] = useState<ItemResult[] | null>(null);
  const [errors, setErrors] = useState<Result<unknown>['errors']>([]);
  const [status, setStatus] = useState<string | null>(null);
  const [pulled, setPulled] = useState<Result<AdminPullEventsQuery> | null>(null);
  const canPull = session.scopes.has('events:read');

  const reload = () => void run(credentials, EventSubscriptions, {}).then(setList);
  useEffect(reload, [credentials.token]);
  const selected = list?.data?.eventSubscriptions.find((s) => s.id === selectedId) ?? null;

  const change = async (remove: boolean) => {
    if (!selected) return;
    const id = selected.id;
    let r: Result<Record<string, ItemResult[]>>;
    if (group === 'EVENT_TYPE') {
      const types = split(values).map((v) => v.toUpperCase()) as ChangeEventType[];
      r = remove ? await run(credentials, RemoveEventTypeFilters, { id, types }) : await run(credentials, AddEventTypeFilters, { id, types });
    } else if (group === 'MUNICIPALITY') {
      const codes = split(values);
      r = remove ? await run(credentials, RemoveMunicipalityFilters, { id, codes }) : await run(credentials, AddMunicipalityFilters, { id, codes });
    } else if (group === 'PERSON') {
      const identifiers = split(values);
      r = remove ? await run(credentials, RemovePersonFilters, { id, identifiers }) : await run(credentials, AddPersonFilters, { id, identifiers });
    } else {
      const ranges = split(values).map((v) => {
        const [min, max] = v.split('-').map((n) => Number(n.trim()));
        return { minAge: min ?? 0, maxAge: max ?? min ?? 0 };
      });
      r = await run(credentials, AddAgeRangeFilters, { id, ranges });
    }
    setErrors(r.errors);
    setItems(r.data ? (Object.values(r.data)[0] ?? []) : null);
    reload();
  };

  return (
    <>
      <h1>{t('subscriptions')}</h1>
      <Errors errors={[...(list?.errors ?? []), ...errors]} />
      <Status text={status} />
      <div className="columns">
        <Section title={t('subscriptions')}>
          {list?.data?.eventSubscriptions.length === 0 ? <p>{t('noSubscriptions')}</p> : null}
          <ul className="plain">
            {list?.data?.eventSubscriptions.map((s) => (
              <li key={s.id}>
                <button type="button" aria-pressed={s.id === selectedId} onClick={() => (setSelectedId(s.id), setItems(null), setPulled(null))}>
                  {s.name ?? s.id.slice(0, 8)} {s.catchAll ? `(${t('catchAll')})` : ''}
                </button>
              </li>
            ))}
          </ul>
          <form
            onSubmit={async (e: { preventDefault(): void }) => {
              e.preventDefault();
              const r = await run(credentials, CreateEventSubscription, { name: name || null, catchAll });
              setErrors(r.errors);
              if (r.data) {
                setSelectedId(r.data.createEventSubscription.id);
                setName('');
                reload();
              }
            }}
          >
            <Field label={t('subscriptionName')} value={name} onChange={setName} name="subscriptionName" />
            <div className="radio">
              <input id="catch-all" type="checkbox" checked={catchAll} onChange={(e: { target: { checked: boolean } }) => setCatchAll(e.target.checked)} />
              <label htmlFor="catch-all">{t('catchAll')}</label>
            </div>
            <button type="submit" className="primary">
              {t('create')}
            </button>
          </form>
        </Section>
        {selected ? (
          <Section title={`${t('selected')}: ${selected.name ?? selected.id}`}>
            <dl>
              <div className="row">
                <dt>{t('acknowledged')}</dt>
                <dd data-testid="acknowledged">{selected.acknowledgedCursor ? t('acknowledgedAt') : t('notAcknowledged')}</dd>
              </div>
              {GROUPS.map(([g, label]) => {
                const f = selected.filters;
                const shown =
                  g === 'EVENT_TYPE'
                    ? f.types
                    : g === 'MUNICIPALITY'
                      ? f.municipalityCodes
                      : g === 'PERSON'
                        ? f.personIdentifiers
                        : f.ageRanges.map((a) => `${a.minAge}-${a.maxAge}`);
                return (
                  <div className="row" key={g}>
                    <dt>{t(label)}</dt>
                    <dd>
                      {shown.join(', ') || '—'}{' '}
                      {shown.length ? (
                        <button
                          type="button"
                          onClick={async () => {
                            const r = await run(credentials, RemoveAllFilters, { id: selected.id, group: g as EventFilterGroup });
                            setErrors(r.errors);
                            reload();
                          }}
                        >
                          {t('removeAll')} <span className="sr-only">{t(label)}</span>
                        </button>
                      ) : null}
                    </dd>
                  </div>
                );
              })}
            </dl>
            <form
              className="grid"
              onSubmit={(e: { preventDefault(): void }) => {
                e.preventDefault();
                void change(false);
              }}
            >
              <Select label={t('filters')} value={group} onChange={(v) => setGroup(v as Group)} options={GROUPS.map(([g, label]) => [g, t(label)])} />
              <Field
                label={t('values')}
                value={values}
                onChange={setValues}
                name="filterValues"
                hint={group === 'AGE_RANGE' ? '18-65, 67-120' : group === 'EVENT_TYPE' ? 'MOVE, DEATH' : undefined}
              />
              <div className="actions">
                <button type="submit">{t('add')}</button>{' '}
                {group !== 'AGE_RANGE' ? (
                  <button type="button" onClick={() => void change(true)}>
                    {t('remove')}
                  </button>
                ) : null}
              </div>
            </form>
            {items ? (
              <Table caption={t('result')} headings={[t('value'), t('result'), t('reason')]}>
                {items.map((item, i) => (
                  <tr key={i}>
                    <td>{item.value ?? `${item.minAge}-${item.maxAge}`}</td>
                    <td>{item.result}</td>
                    <td>{item.reason ?? ''}</td>
                  </tr>
                ))}
              </Table>
            ) : null}
            <div className="actions">
              <button
                type="button"
                onClick={async () => {
                  const r = await run(credentials, SetCatchAll, { id: selected.id, catchAll: !selected.catchAll });
                  setErrors(r.errors);
                  reload();
                }}
              >
                {t('catchAll')}: {selected.catchAll ? t('yes') : t('no')}
              </button>{' '}
              {canPull ? (
                <button type="button" onClick={() => void run(credentials, PullEvents, { id: selected.id, after: null }).then(setPulled)}>
                  {t('pull')}
                </button>
              ) : null}{' '}
              <button
                type="button"
                onClick={async () => {
                  const r = await run(credentials, DeleteEventSubscription, { id: selected.id });
                  setErrors(r.errors);
                  setSelectedId(null);
                  reload();
                }}
              >
                {t('delete')}
              </button>
            </div>
            {pulled ? (
              <>
                <Errors errors={pulled.errors} />
                <ul data-testid="pulled">
                  {pulled.data?.changeEvents.edges.map(({ node }, i) => (
                    <li key={i}>
                      {node.type} {node.recordedAt.slice(0, 19).replace('T', ' ')}
                    </li>
                  ))}
                </ul>
                {pulled.data?.changeEvents.pageInfo.endCursor ? (
                  <button
                    type="button"
                    className="primary"
                    onClick={async () => {
                      const r = await run(credentials, AcknowledgeEvents, { id: selected.id, cursor: pulled.data!.changeEvents.pageInfo.endCursor! });
                      setErrors(r.errors);
                      if (r.data) setStatus(t('done'));
                      setPulled(null);
                      reload();
                    }}
                  >
                    {t('acknowledge')}
                  </button>
                ) : null}
              </>
            ) : null}
          </Section>
        ) : null}
      </div>
    </>
  );
}
