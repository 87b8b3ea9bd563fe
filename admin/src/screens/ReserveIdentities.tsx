import { useState } from 'react';
import { run, type Credentials, type Result } from '../api';
import type { AdminReserveIdentityQuery, ReserveIdentityDataInput } from '../gql/graphql';
import { useT } from '../i18n';
import {
  IssueNationalReserveId,
  LinkReserveIdentity,
  RegisterLocalReserveId,
  ReserveIdentityLookup,
  UnlinkReserveIdentity,
  UpdateReserveIdentity,
} from '../operations';
import type { Session } from '../session';
import { Errors, Field, Section, Select, Status, V } from '../ui';

interface Data {
  givenNames: string;
  familyName: string;
  birthDate: string;
  sex: string;
  streetAddress: string;
  postalCode: string;
  city: string;
  country: string;
}
const EMPTY: Data = { givenNames: '', familyName: '', birthDate: '', sex: '', streetAddress: '', postalCode: '', city: '', country: '' };

function inputOf(d: Data): ReserveIdentityDataInput {
  const address = { streetAddress: d.streetAddress || null, postalCode: d.postalCode || null, city: d.city || null, country: d.country || null };
  return {
    givenNames: d.givenNames || null,
    familyName: d.familyName || null,
    birthDate: d.birthDate || null,
    sex: (d.sex || null) as ReserveIdentityDataInput['sex'],
    statedAddress: Object.values(address).some(Boolean) ? address : null,
  };
}

function PersonalData({ data, onChange }: { data: Data; onChange: (d: Data) => void }) {
  const t = useT();
  const set = (key: keyof Data) => (value: string) => onChange({ ...data, [key]: value });
  return (
    <fieldset className="grid">
      <legend>{t('personalData')}</legend>
      <Field label={t('givenNames')} value={data.givenNames} onChange={set('givenNames')} name="givenNames" />
      <Field label={t('familyName')} value={data.familyName} onChange={set('familyName')} name="familyName" />
      <Field label={t('birthDate')} type="date" value={data.birthDate} onChange={set('birthDate')} name="birthDate" />
      <Select
        label={t('sex')}
        value={data.sex}
        onChange={set('sex')}
        options={[
          ['', '—'],
          ['FEMALE', 'FEMALE'],
          ['MALE', 'MALE'],
          ['UNKNOWN', 'UNKNOWN'],
        ]}
      />
      <Field label={t('streetAddress')} value={data.streetAddress} onChange={set('streetAddress')} />
      <Field label={t('postalCode')} value={data.postalCode} onChange={set('postalCode')} />
      <Field label={t('city')} value={data.city} onChange={set('city')} />
      <Field label={t('addressCountry')} value={data.country} onChange={set('country')} />
    </fieldset>
  );
}

/** Issue a national reserve identity, register a local one, look one up, add personal data, link and unlink it. */
export function ReserveIdentities({ credentials, session }: { credentials: Credentials; session: Session }) {
  const t = useT();
  const canWrite = session.scopes.has('reserve-id:write');
  const [issueData, setIssueData] = useState<Data>(EMPTY);
  const [local, setLocal] = useState('');
  const [lookup, setLookup] = useState('');
  const [shown, setShown] = useState<Result<AdminReserveIdentityQuery> | null>(null);
  const [editData, setEditData] = useState<Data>(EMPTY);
  const [linkTo, setLinkTo] = useState('');
  const [errors, setErrors] = useState<Result<unknown>['errors']>([]);
  const [status, setStatus] = useState<string | null>(null);

  const open = async (identifier: string) => {
    const r = await run(credentials, ReserveIdentityLookup, { identifier });
    setShown(r);
    const ri = r.data?.reserveIdentity;
    if (ri)
      setEditData({
        givenNames: ri.givenNames ?? '',
        familyName: ri.familyName ?? '',
        birthDate: ri.birthDate ?? '',
        sex: ri.sex ?? '',
        streetAddress: ri.statedAddress?.streetAddress ?? '',
        postalCode: ri.statedAddress?.postalCode ?? '',
        city: ri.statedAddress?.city ?? '',
        country: ri.statedAddress?.country ?? '',
      });
  };

  const act = async (r: Result<unknown>, message: string, reopen: string | null | undefined) => {
    setErrors(r.errors);
    if (r.data) {
      setStatus(message);
      if (reopen) {
        setLookup(reopen);
        await open(reopen);
      }
    } else setStatus(null);
  };

  const ri = shown?.data?.reserveIdentity;
  return (
    <>
      <h1>{t('tabReserve')}</h1>
      <Errors errors={errors} />
      <Status text={status} />
      {canWrite ? (
        <div className="columns">
          <Section title={t('issueNational')}>
            <form
              onSubmit={async (e: { preventDefault(): void }) => {
                e.preventDefault();
                const r = await run(credentials, IssueNationalReserveId, { input: inputOf(issueData) });
                await act(r, t('issued', { value: r.data?.issueNationalReserveId.value }), r.data?.issueNationalReserveId.value);
              }}
            >
              <PersonalData data={issueData} onChange={setIssueData} />
              <button type="submit" className="primary">
                {t('issue')}
              </button>
            </form>
          </Section>
          <Section title={t('registerLocal')}>
            <form
              onSubmit={async (e: { preventDefault(): void }) => {
                e.preventDefault();
                const r = await run(credentials, RegisterLocalReserveId, { identifier: local.trim(), input: null });
                await act(r, t('done'), r.data?.registerLocalReserveId.value);
              }}
            >
              <Field label={t('localIdentifier')} value={local} onChange={setLocal} required />
              <button type="submit">{t('register')}</button>
            </form>
          </Section>
        </div>
      ) : null}
      <Section title={t('lookUp')}>
        <form
          className="inline-form"
          onSubmit={(e: { preventDefault(): void }) => {
            e.preventDefault();
            void open(lookup.trim());
          }}
        >
          <Field label={t('reserveIdentity')} value={lookup} onChange={setLookup} name="reserveIdentity" />
          <button type="submit">{t('lookUpButton')}</button>
        </form>
        {shown ? <Errors errors={shown.errors} /> : null}
        {shown && !ri && !shown.errors.length ? <p>{t('notFound')}</p> : null}
        {shown && ri ? (
          <div className="identity">
            <dl>
              <div className="row">
                <dt>{t('reserveIdentity')}</dt>
                <dd>
                  <V result={shown} path={['reserveIdentity', 'value']} value={ri.value} /> {ri.kind} {ri.region ?? ''}
                </dd>
              </div>
              <div className="row">
                <dt>{t('name')}</dt>
                <dd>
                  <V result={shown} path={['reserveIdentity', 'givenNames']} value={[ri.givenNames, ri.familyName].filter(Boolean).join(' ')} />
                </dd>
              </div>
              <div className="row">
                <dt>{t('mainIdentifier')}</dt>
                <dd data-testid="main-identifier">
                  <V
                    result={shown}
                    path={['reserveIdentity', 'mainIdentifier']}
                    value={ri.mainIdentifier ? `${ri.mainIdentifier.value} (${ri.mainIdentifier.kind})` : null}
                  />
                </dd>
              </div>
              <div className="row">
                <dt>{t('links')}</dt>
                <dd>
                  <ul>
                    {ri.links.map((l, i) => (
                      <li key={i}>
                        <V result={shown} path={['reserveIdentity', 'links', i, 'target', 'value']} value={l.target.value} /> ({l.target.kind}) {t('linkedAt')}{' '}
                        {l.linkedAt.slice(0, 10)} {l.unlinkedAt ? `${t('unlinkedAt')} ${l.unlinkedAt.slice(0, 10)}` : ''}
                      </li>
                    ))}
                  </ul>
                </dd>
              </div>
            </dl>
            {canWrite ? (
              <>
                <form
                  onSubmit={async (e: { preventDefault(): void }) => {
                    e.preventDefault();
                    const r = await run(credentials, UpdateReserveIdentity, { id: ri.id, input: inputOf(editData) });
                    await act(r, t('done'), ri.value);
                  }}
                >
                  <PersonalData data={editData} onChange={setEditData} />
                  <button type="submit">{t('updateData')}</button>
                </form>
                <form
                  className="inline-form"
                  onSubmit={async (e: { preventDefault(): void }) => {
                    e.preventDefault();
                    const r = await run(credentials, LinkReserveIdentity, { id: ri.id, to: linkTo.trim() });
                    await act(r, t('done'), ri.value);
                  }}
                >
                  <Field label={t('linkTo')} value={linkTo} onChange={setLinkTo} name="linkTo" required />
                  <button type="submit">{t('link')}</button>
                </form>
                {ri.mainIdentifier ? (
                  <button
                    type="button"
                    onClick={async () => {
                      const r = await run(credentials, UnlinkReserveIdentity, { id: ri.id });
                      await act(r, t('done'), ri.value);
                    }}
                  >
                    {t('unlink')}
                  </button>
                ) : null}
              </>
            ) : null}
          </div>
        ) : null}
      </Section>
    </>
  );
}
