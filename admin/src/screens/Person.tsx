import { useEffect, useState } from 'react';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { maskAt, run, type Credentials, type GqlError, type Result } from '../api';
import type { AdminPersonFamilyQuery, AdminPersonQuery, CivilStatus, ProtectionKind } from '../gql/graphql';
import { useT, type TextKey } from '../i18n';
import {
  AnnulDeath,
  AnnulIdentifier,
  ChangeCitizenships,
  ChangeCivilStatus,
  ChangeIdentifier,
  ChangeName,
  EndProtection,
  PersonAddresses,
  PersonCore,
  PersonEvents,
  PersonFamily,
  PersonId,
  PersonReserveIdentities,
  RegisterDeath,
  RegisterDisappearance,
  RegisterReappearance,
  StartProtection,
  UpdateContactDetails,
} from '../operations';
import type { Session } from '../session';
import { Cell, Errors, Field, Masked, Section, Select, Status, Table, V } from '../ui';

interface Props {
  credentials: Credentials;
  session: Session;
  identifier: string;
  onOpen: (identifier: string) => void;
  onBack: () => void;
}

/** One person: each section its own operation, shown only with the scope its data needs. */
export function PersonView({ credentials, session, identifier, onOpen, onBack }: Props) {
  const t = useT();
  const [core, setCore] = useState<Result<AdminPersonQuery> | null>(null);
  const reload = () => void run(credentials, PersonCore, { identifier }).then(setCore);
  useEffect(reload, [identifier, credentials.token, credentials.purpose]);
  const person = core?.data?.person;
  const has = (scope: string) => session.scopes.has(scope);

  return (
    <>
      <button type="button" className="link" onClick={onBack}>
        ← {t('back')}
      </button>
      <h1>
        {person && core ? (
          <>
            <V result={core} path={['person', 'name']} value={person.name?.addressingName} /> ·{' '}
            <V result={core} path={['person', 'identifier']} value={person.identifier?.display} />
          </>
        ) : (
          t('tabPerson')
        )}
      </h1>
      {!core ? <p>{t('loading')}</p> : null}
      {core ? <Errors errors={core.errors} /> : null}
      {core && !person && !core.errors.length ? <p>{t('notFound')}</p> : null}
      {person && core ? (
        <div className="columns">
          <Stamdata result={core} onOpen={onOpen} />
          <Protection result={core} />
          <Contact result={core} credentials={credentials} canEdit={has('person:write')} onSaved={reload} />
          {has('address:read') ? <Addresses credentials={credentials} identifier={identifier} /> : null}
          {has('family:read') ? <Family credentials={credentials} identifier={identifier} onOpen={onOpen} /> : null}
          {has('reserve-id:read') ? <ReserveIds credentials={credentials} identifier={identifier} /> : null}
          {has('events:read') ? <Events credentials={credentials} identifier={identifier} country={person.country} /> : null}
          {has('register:write') ? <LifeEvents credentials={credentials} personId={person.id} onDone={reload} /> : null}
        </div>
      ) : null}
    </>
  );
}

function Row({ label, children }: { label: string; children: unknown }) {
  return (
    <div className="row">
      <dt>{label}</dt>
      <dd>{children as never}</dd>
    </div>
  );
}

function Stamdata({ result, onOpen }: { result: Result<AdminPersonQuery>; onOpen: (identifier: string) => void }) {
  const t = useT();
  const p = result.data!.person!;
  const partner = p.civilStatusPartner;
  const partnerNumber = partner?.identifier?.value;
  const at = (field: string) => ['person', field];
  return (
    <Section title={t('stamdata')}>
      <dl>
        <Row label={t('identifier')}>
          <V result={result} path={at('identifier')} value={p.identifier ? `${p.identifier.display} (${p.identifier.kind})` : null} />
        </Row>
        <Row label={t('name')}>
          <V result={result} path={at('name')} value={p.name ? [p.name.givenNames, p.name.middleName, p.name.familyName].filter(Boolean).join(' ') : null} />
        </Row>
        <Row label={t('birthDate')}>
          <V result={result} path={at('birthDate')} value={p.birthDate} />
        </Row>
        <Row label={t('sex')}>
          <V result={result} path={at('sex')} value={p.sex} />
        </Row>
        <Row label={t('status')}>
          <V result={result} path={at('status')} value={p.status} />{' '}
          {p.statusDate || maskAt(result.errors, at('statusDate')) ? <V result={result} path={at('statusDate')} value={p.statusDate} /> : null}
        </Row>
        <Row label={t('civilStatus')}>
          <V result={result} path={at('civilStatus')} value={p.civilStatus} />{' '}
          {p.civilStatusSince || maskAt(result.errors, at('civilStatusSince')) ? (
            <>
              {t('sinceDate')} <V result={result} path={at('civilStatusSince')} value={p.civilStatusSince} />
            </>
          ) : null}
        </Row>
        <Row label={t('partner')}>
          {partner && partnerNumber ? (
            <button type="button" className="link" onClick={() => onOpen(partnerNumber)}>
              {partner.name?.addressingName ?? partnerNumber} ({partner.identifier?.display ?? partnerNumber})
            </button>
          ) : partner ? (
            <V result={result} path={[...at('civilStatusPartner'), 'identifier']} value={partner.name?.addressingName} />
          ) : (
            <V result={result} path={at('civilStatusPartner')} value={null} />
          )}
        </Row>
        <Row label={t('citizenships')}>
          <V result={result} path={at('citizenships')} value={p.citizenships} />
        </Row>
        <Row label={t('registeredOn')}>
          <V result={result} path={at('registeredOn')} value={p.registeredOn} />
        </Row>
        <Row label={t('authority')}>
          <V result={result} path={at('registeringAuthority')} value={p.registeringAuthority} />
        </Row>
        <Row label={t('identifiers')}>
          <V
            result={result}
            path={at('identifiers')}
            value={p.identifiers?.map((i) => `${i.display} ${i.kind}${i.current ? '' : ` (${i.validFrom ?? ''}–${i.validTo ?? ''})`}`)}
          />
        </Row>
        <Row label={t('previousNames')}>
          <V result={result} path={at('previousNames')} value={p.previousNames?.map((n) => `${n.addressingName} (${n.validFrom ?? ''}–${n.validTo ?? ''})`)} />
        </Row>
      </dl>
    </Section>
  );
}

function Protection({ result }: { result: Result<AdminPersonQuery> }) {
  const t = useT();
  const markers = result.data!.person!.protectionMarkers;
  return (
    <Section title={t('protection')}>
      {markers.length ? (
        <ul className="markers">
          {markers.map((m, i) => (
            <li key={i}>
              <strong>{m.kind}</strong> {t('validFrom')} {m.validFrom ?? '—'} {m.validTo ? `${t('validTo')} ${m.validTo}` : ''}
            </li>
          ))}
        </ul>
      ) : (
        <p>{t('noProtection')}</p>
      )}
    </Section>
  );
}

/** Contact details with optimistic concurrency: a stale version is shown as a conflict, with both ways out. */
function Contact({
  result,
  credentials,
  canEdit,
  onSaved,
}: {
  result: Result<AdminPersonQuery>;
  credentials: Credentials;
  canEdit: boolean;
  onSaved: () => void;
}) {
  const t = useT();
  const person = result.data!.person!;
  const details = person.contactDetails;
  const mask = maskAt(result.errors, ['person', 'contactDetails']);
  const [phone, setPhone] = useState(details?.phone ?? '');
  const [email, setEmail] = useState(details?.email ?? '');
  const [lang, setLang] = useState(details?.preferredLanguage ?? '');
  const [version, setVersion] = useState(details?.version ?? 0);
  const [conflict, setConflict] = useState<{ version: number; phone?: string | null; email?: string | null; language?: string | null } | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [errors, setErrors] = useState<Result<unknown>['errors']>([]);

  const save = async (withVersion: number) => {
    setStatus(null);
    const input = { personId: person.id, version: withVersion, phone: phone || null, email: email || null, preferredLanguage: lang || null };
    const r = await run(credentials, UpdateContactDetails, { input });
    const conflictError = r.errors.find((e) => e.extensions?.code === 'CONFLICT');
    if (conflictError) {
      // Read what is there now, to show it beside the user's own values.
      const now = await run(credentials, PersonCore, { identifier: person.identifier?.value ?? '' });
      const theirs = now.data?.person?.contactDetails;
      setConflict({
        version: Number(conflictError.extensions?.currentVersion ?? theirs?.version ?? withVersion),
        phone: theirs?.phone,
        email: theirs?.email,
        language: theirs?.preferredLanguage,
      });
      setErrors([]);
      return;
    }
    setErrors(r.errors);
    const saved = r.data?.updateContactDetails;
    if (saved) {
      setConflict(null);
      setVersion(saved.version);
      setStatus(t('saved', { version: saved.version }));
      onSaved();
    }
  };

  return (
    <Section title={t('contact')} id="contact">
      {mask ? (
        <Masked error={mask} />
      ) : !canEdit ? (
        <dl>
          <Row label={t('phone')}>
            <V result={result} path={['person', 'contactDetails', 'phone']} value={details?.phone} />
          </Row>
          <Row label={t('email')}>
            <V result={result} path={['person', 'contactDetails', 'email']} value={details?.email} />
          </Row>
          <Row label={t('preferredLanguage')}>
            <V result={result} path={['person', 'contactDetails', 'preferredLanguage']} value={details?.preferredLanguage} />
          </Row>
        </dl>
      ) : (
        <form
          onSubmit={(e: { preventDefault(): void }) => {
            e.preventDefault();
            void save(version);
          }}
        >
          <Field label={t('phone')} type="tel" value={phone} onChange={setPhone} name="phone" />
          <Field label={t('email')} type="email" value={email} onChange={setEmail} name="email" />
          <Field label={t('preferredLanguage')} value={lang} onChange={setLang} name="preferredLanguage" hint="sv, da, en …" />
          <p className="hint">
            {t('version')} {version}
          </p>
          <button type="submit" className="primary">
            {t('save')}
          </button>
          {conflict ? (
            <div className="conflict" role="alert">
              <p>{t('conflict', { version: conflict.version })}</p>
              <p>{t('conflictTheirs', { phone: conflict.phone, email: conflict.email, language: conflict.language })}</p>
              <button type="button" onClick={() => void save(conflict.version)}>
                {t('keepMine', { version: conflict.version })}
              </button>{' '}
              <button
                type="button"
                onClick={() => {
                  setPhone(conflict.phone ?? '');
                  setEmail(conflict.email ?? '');
                  setLang(conflict.language ?? '');
                  setVersion(conflict.version);
                  setConflict(null);
                }}
              >
                {t('takeTheirs')}
              </button>
            </div>
          ) : null}
          <Errors errors={errors} />
          <Status text={status} />
        </form>
      )}
    </Section>
  );
}

/** A section's own operation, read again when the person, the token or the stated purpose changes. */
function useSection<T, V>(credentials: Credentials, document: TypedDocumentNode<T, V>, variables: V): Result<T> | null {
  const [result, setResult] = useState<Result<T> | null>(null);
  const key = JSON.stringify(variables);
  useEffect(() => void run(credentials, document, variables).then(setResult), [key, credentials.token, credentials.purpose]);
  return result;
}

/** What a section shows before its list: loading, the request's failures, the mask over the whole list, or that it is empty. */
function SectionState({ result, mask, empty }: { result: Result<unknown> | null; mask: GqlError | null | undefined; empty: string | null }) {
  const t = useT();
  if (!result) return <p>{t('loading')}</p>;
  return (
    <>
      <Errors errors={result.errors} />
      {mask ? <Masked error={mask} /> : null}
      {empty ? <p>{empty}</p> : null}
    </>
  );
}

function Addresses({ credentials, identifier }: { credentials: Credentials; identifier: string }) {
  const t = useT();
  const result = useSection(credentials, PersonAddresses, { identifier });
  const list = result?.data?.person?.addresses;
  return (
    <Section title={t('addresses')} id="addresses">
      <SectionState result={result} mask={result && maskAt(result.errors, ['person', 'addresses'])} empty={list && !list.length ? t('noAddresses') : null} />
      {result && list?.length ? (
        <Table headings={[t('address'), t('postal'), t('municipality'), t('validFrom'), t('validTo')]}>
          {list.map((a, i) => {
            const at = ['person', 'addresses', i];
            return (
              <tr key={i}>
                <td>
                  <V result={result} path={[...at, 'standardAddressLine']} value={a.standardAddressLine} /> <small>{a.kind}</small>
                </td>
                <Cell result={result} path={[...at, 'postalCode']} value={[a.postalCode, a.postalDistrict].filter(Boolean).join(' ')} />
                <Cell result={result} path={[...at, 'municipalityName']} value={[a.municipalityCode, a.municipalityName].filter(Boolean).join(' ')} />
                <Cell result={result} path={[...at, 'validFrom']} value={a.validFrom} />
                <Cell result={result} path={[...at, 'validTo']} value={a.validTo} />
              </tr>
            );
          })}
        </Table>
      ) : null}
    </Section>
  );
}

/** Family relations in pages of 20, next and previous; each relative opens as a person. */
function Family({ credentials, identifier, onOpen }: { credentials: Credentials; identifier: string; onOpen: (identifier: string) => void }) {
  const t = useT();
  const [result, setResult] = useState<Result<AdminPersonFamilyQuery> | null>(null);
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const load = (stack: (string | null)[]) =>
    void run(credentials, PersonFamily, { identifier, after: stack[stack.length - 1] ?? null }).then((r) => {
      setResult(r);
      setCursors(stack);
    });
  useEffect(() => load([null]), [identifier, credentials.token, credentials.purpose]);
  const page = result?.data?.person?.familyRelations;
  const mask = result && maskAt(result.errors, ['person', 'familyRelations']);
  const pages = page ? Math.max(1, Math.ceil(page.totalCount / 20)) : 1;
  return (
    <Section title={t('family')} id="family">
      {!result ? <p>{t('loading')}</p> : <Errors errors={result.errors} />}
      {mask ? <Masked error={mask} /> : null}
      {page ? <p>{t('familyCount', { count: page.totalCount })}</p> : null}
      {result && page && page.edges.length ? (
        <Table headings={[t('kind'), t('relative'), t('birthDate'), t('since')]}>
          {page.edges.map(({ node }, i) => {
            const at = ['person', 'familyRelations', 'edges', i, 'node'];
            const relative = node.relative?.identifier?.value;
            return (
              <tr key={node.id}>
                <td>{node.kind}</td>
                <td>
                  {relative ? (
                    <button type="button" className="link" onClick={() => onOpen(relative)}>
                      {node.relative?.name?.addressingName ?? node.relativeName ?? relative}
                    </button>
                  ) : (
                    <V result={result} path={[...at, 'relativeName']} value={node.relativeName} />
                  )}
                </td>
                <Cell result={result} path={[...at, 'relativeBirthDate']} value={node.relativeBirthDate} />
                <Cell result={result} path={[...at, 'since']} value={node.since} />
              </tr>
            );
          })}
        </Table>
      ) : result && page ? (
        <p>{t('noFamily')}</p>
      ) : null}
      {page && page.totalCount > 20 ? (
        <div className="pager">
          <button type="button" disabled={cursors.length < 2} onClick={() => load(cursors.slice(0, -1))}>
            {t('previousPage')}
          </button>
          <span aria-live="polite">{t('pageOf', { n: cursors.length, total: pages })}</span>
          <button type="button" disabled={!page.pageInfo.hasNextPage} onClick={() => load([...cursors, page.pageInfo.endCursor ?? null])}>
            {t('nextPage')}
          </button>
        </div>
      ) : null}
    </Section>
  );
}

function ReserveIds({ credentials, identifier }: { credentials: Credentials; identifier: string }) {
  const t = useT();
  const result = useSection(credentials, PersonReserveIdentities, { identifier });
  const list = result?.data?.person?.reserveIdentities;
  return (
    <Section title={t('reserveIdentities')} id="reserve-identities">
      <SectionState
        result={result}
        mask={result && maskAt(result.errors, ['person', 'reserveIdentities'])}
        empty={list && !list.length ? t('noReserveIdentities') : null}
      />
      {result && list?.length ? (
        <ul>
          {list.map((r, i) => (
            <li key={r.id}>
              <V result={result} path={['person', 'reserveIdentities', i, 'value']} value={r.value} /> {r.kind} {r.region ?? ''}
            </li>
          ))}
        </ul>
      ) : null}
    </Section>
  );
}

function Events({ credentials, identifier, country }: { credentials: Credentials; identifier: string; country: 'SE' | 'DK' }) {
  const t = useT();
  const result = useSection(credentials, PersonEvents, { identifier, country });
  const edges = result?.data?.changeEvents.edges;
  return (
    <Section title={t('events')} id="events">
      <SectionState result={result} mask={null} empty={edges && !edges.length ? t('noEvents') : null} />
      {result && edges?.length ? (
        <Table headings={[t('eventType'), t('occurredAt'), t('recordedAt')]}>
          {edges.map(({ node }, i) => (
            <tr key={i}>
              <td>
                {node.type} {node.cprChangeCode ? <small>({node.cprChangeCode})</small> : null}
              </td>
              <Cell result={result} path={['changeEvents', 'edges', i, 'node', 'occurredAt']} value={node.occurredAt?.slice(0, 10)} />
              <td>{node.recordedAt.slice(0, 19).replace('T', ' ')}</td>
            </tr>
          ))}
        </Table>
      ) : null}
    </Section>
  );
}

const PROTECTION_KINDS: ProtectionKind[] = [
  'SE_CONFIDENTIALITY_MARKING',
  'SE_PROTECTED_REGISTRATION',
  'DK_NAME_AND_ADDRESS',
  'DK_LOCAL_DIRECTORY',
  'DK_MARKETING',
  'DK_RESEARCH',
];
/** The civil statuses a change may ask for: UNMARRIED is no change, DECEASED is `registerDeath`. */
const CIVIL_STATUSES: CivilStatus[] = ['MARRIED', 'REGISTERED_PARTNERSHIP', 'DIVORCED', 'DISSOLVED_PARTNERSHIP', 'WIDOWED', 'SURVIVING_PARTNER'];

/** What the life-event form holds; each event asks for some of it. */
interface LifeEventForm {
  on: string;
  kind: ProtectionKind;
  givenNames: string;
  familyName: string;
  civilStatus: CivilStatus;
  /** The spouse's or partner's number, as typed: looked up for their folkreg id before the change is sent. */
  partner: string;
  identifier: string;
  /** ISO 3166-1 codes separated by commas. */
  citizenships: string;
}
type Filled = LifeEventForm & { personId: string; partnerPersonId: string | null };
type Changes = Partial<Record<string, { person: { status?: string | null } }>>;

/**
 * The register's life-event mutations (scope register:write), by the field each answers under: the form's
 * fields the event asks for, and the input it sends.
 */
const LIFE_EVENTS: Record<string, { asks: readonly (keyof LifeEventForm)[]; send: (c: Credentials, f: Filled) => Promise<Result<Changes>> }> = {
  registerDeath: { asks: ['on'], send: (c, f) => run(c, RegisterDeath, { input: { personId: f.personId, diedOn: f.on } }) },
  annulDeath: { asks: [], send: (c, f) => run(c, AnnulDeath, { input: { personId: f.personId } }) },
  registerDisappearance: { asks: ['on'], send: (c, f) => run(c, RegisterDisappearance, { input: { personId: f.personId, on: f.on } }) },
  registerReappearance: { asks: ['on'], send: (c, f) => run(c, RegisterReappearance, { input: { personId: f.personId, on: f.on } }) },
  startProtection: {
    asks: ['on', 'kind'],
    send: (c, f) => run(c, StartProtection, { input: { personId: f.personId, kind: f.kind, validFrom: f.on } }),
  },
  endProtection: { asks: ['on', 'kind'], send: (c, f) => run(c, EndProtection, { input: { personId: f.personId, kind: f.kind, endsOn: f.on } }) },
  changeName: {
    asks: ['on', 'givenNames', 'familyName'],
    send: (c, f) =>
      run(c, ChangeName, { input: { personId: f.personId, givenNames: f.givenNames || null, familyName: f.familyName || null, validFrom: f.on } }),
  },
  changeCivilStatus: {
    asks: ['on', 'civilStatus', 'partner'],
    send: (c, f) => run(c, ChangeCivilStatus, { input: { personId: f.personId, civilStatus: f.civilStatus, partnerPersonId: f.partnerPersonId, since: f.on } }),
  },
  changeIdentifier: {
    asks: ['on', 'identifier'],
    send: (c, f) => run(c, ChangeIdentifier, { input: { personId: f.personId, identifier: f.identifier.trim(), validFrom: f.on } }),
  },
  annulIdentifier: { asks: [], send: (c, f) => run(c, AnnulIdentifier, { input: { personId: f.personId } }) },
  changeCitizenships: {
    asks: ['on', 'citizenships'],
    send: (c, f) =>
      run(c, ChangeCitizenships, {
        input: {
          personId: f.personId,
          citizenships: f.citizenships
            .split(',')
            .map((code) => code.trim())
            .filter(Boolean),
          validFrom: f.on,
        },
      }),
  },
};

/** The life events on a form of their own: each refusal shows its code and reason, and writes nothing. */
function LifeEvents({ credentials, personId, onDone }: { credentials: Credentials; personId: string; onDone: () => void }) {
  const t = useT();
  const [event, setEvent] = useState('registerDeath');
  const [form, setForm] = useState<LifeEventForm>({
    on: new Date().toISOString().slice(0, 10),
    kind: 'SE_PROTECTED_REGISTRATION',
    givenNames: '',
    familyName: '',
    civilStatus: 'MARRIED',
    partner: '',
    identifier: '',
    citizenships: '',
  });
  const [errors, setErrors] = useState<Result<unknown>['errors']>([]);
  const [status, setStatus] = useState<string | null>(null);
  const [unknownPartner, setUnknownPartner] = useState<string | null>(null);
  const { asks, send } = LIFE_EVENTS[event]!;
  const asked = (field: keyof LifeEventForm) => asks.includes(field);
  const set = (field: keyof LifeEventForm) => (value: string) => setForm((f) => ({ ...f, [field]: value }));

  const submit = async (e: { preventDefault(): void }) => {
    e.preventDefault();
    setStatus(null);
    setUnknownPartner(null);
    // The partner is named by their number, as a clerk has it; the mutation takes their folkreg id.
    let partnerPersonId: string | null = null;
    const partner = asked('partner') ? form.partner.trim() : '';
    if (partner) {
      const found = await run(credentials, PersonId, { identifier: partner });
      partnerPersonId = found.data?.person?.id ?? null;
      if (!partnerPersonId) {
        setErrors(found.errors);
        if (!found.errors.length) setUnknownPartner(partner);
        return;
      }
    }
    const r = await send(credentials, { ...form, personId, partnerPersonId });
    setErrors(r.errors);
    const payload = r.data?.[event];
    if (payload) {
      setStatus(t('registered', { status: payload.person.status }));
      onDone();
    }
  };

  return (
    <Section title={t('lifeEvents')} id="life-events">
      <form onSubmit={submit}>
        <Select label={t('lifeEvent')} value={event} onChange={setEvent} options={Object.keys(LIFE_EVENTS).map((e) => [e, t(e as TextKey)])} />
        {asked('on') ? <Field label={t('onDate')} type="date" value={form.on} onChange={set('on')} required /> : null}
        {asked('kind') ? <Select label={t('protectionKind')} value={form.kind} onChange={set('kind')} options={PROTECTION_KINDS.map((k) => [k, k])} /> : null}
        {asked('givenNames') ? <Field label={t('givenNames')} value={form.givenNames} onChange={set('givenNames')} /> : null}
        {asked('familyName') ? <Field label={t('familyName')} value={form.familyName} onChange={set('familyName')} /> : null}
        {asked('civilStatus') ? (
          <Select label={t('newCivilStatus')} value={form.civilStatus} onChange={set('civilStatus')} options={CIVIL_STATUSES.map((s) => [s, s])} />
        ) : null}
        {asked('partner') ? <Field label={t('partnerIdentifier')} value={form.partner} onChange={set('partner')} hint={t('partnerHint')} /> : null}
        {asked('identifier') ? <Field label={t('newIdentifier')} value={form.identifier} onChange={set('identifier')} required /> : null}
        {asked('citizenships') ? (
          <Field label={t('citizenshipCodes')} value={form.citizenships} onChange={set('citizenships')} hint={t('citizenshipHint')} />
        ) : null}
        <button type="submit" className="primary">
          {t('register')}
        </button>
      </form>
      <Errors errors={errors} />
      {unknownPartner ? (
        <p className="errors" role="alert">
          {t('partnerNotFound', { identifier: unknownPartner })}
        </p>
      ) : null}
      <Status text={status} />
    </Section>
  );
}
