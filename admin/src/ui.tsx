import { useId, type ReactNode } from 'react';
import { failures, maskAt, type GqlError, type Result } from './api';
import { useT } from './i18n';

/** A withheld field: the code and category of the gateway's error, never an empty cell or "unknown". */
export function Masked({ error }: { error: GqlError }) {
  const t = useT();
  const label = t('maskedLabel', { code: error.extensions?.code, category: error.extensions?.category ?? '?' });
  return (
    <span className="masked" data-masked={error.extensions?.category ?? ''} title={label}>
      <span aria-hidden="true">⊘ </span>
      {label}
      {error.extensions?.reason ? ` (${error.extensions.reason})` : ''}
    </span>
  );
}

/** A value at `path` of a result: masked when an error covers it, "—" (read "none") when the register holds none. */
export function V({ result, path, value }: { result: Result<unknown>; path: (string | number)[]; value: ReactNode }) {
  const t = useT();
  const mask = maskAt(result.errors, path);
  if (mask) return <Masked error={mask} />;
  if (value === null || value === undefined || value === '') return <span aria-label={t('none')}>—</span>;
  if (Array.isArray(value) && value.length === 0) return <span aria-label={t('none')}>—</span>;
  return <>{Array.isArray(value) ? value.join(', ') : value}</>;
}

/** A table cell holding one value of a result, as `V` shows it. */
export function Cell(props: { result: Result<unknown>; path: (string | number)[]; value: ReactNode }) {
  return (
    <td>
      <V {...props} />
    </td>
  );
}

/** The request's own failures (not masks), each with its code and reason, announced to screen readers. */
export function Errors({ errors }: { errors: readonly GqlError[] }) {
  const t = useT();
  const shown = failures(errors);
  if (!shown.length) return null;
  return (
    <div className="errors" role="alert">
      {shown.map((e, i) => (
        <p key={i}>
          {e.extensions?.code === 'FORBIDDEN' ? t('forbidden', { message: e.message }) : t('error', { message: e.message })}{' '}
          <code>
            {e.extensions?.code ?? ''}
            {e.extensions?.reason ? ` / ${e.extensions.reason}` : ''}
          </code>
        </p>
      ))}
    </div>
  );
}

/** A labelled input, with an optional hint tied to it by aria-describedby. */
export function Field(props: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  hint?: string;
  type?: string;
  name?: string;
  required?: boolean;
  autoComplete?: string;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <input
        id={id}
        name={props.name}
        type={props.type ?? 'text'}
        value={props.value}
        required={props.required}
        autoComplete={props.autoComplete ?? 'off'}
        aria-describedby={props.hint ? `${id}-hint` : undefined}
        onChange={(e: { target: { value: string } }) => props.onChange(e.target.value)}
      />
      {props.hint ? (
        <small id={`${id}-hint`} className="hint">
          {props.hint}
        </small>
      ) : null}
    </div>
  );
}

/** A labelled select over fixed options. */
export function Select(props: { label: string; value: string; onChange: (value: string) => void; options: [string, string][]; name?: string }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <select id={id} name={props.name} value={props.value} onChange={(e: { target: { value: string } }) => props.onChange(e.target.value)}>
        {props.options.map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** A titled region of a screen, its heading its accessible name. */
export function Section({ title, children, id, busy }: { title: string; children?: ReactNode; id?: string; busy?: boolean }) {
  const heading = useId();
  return (
    <section className="card" aria-labelledby={heading} id={id} aria-busy={busy}>
      <h2 id={heading}>{title}</h2>
      {children}
    </section>
  );
}

/** Polite status line for results of actions. */
export function Status({ text }: { text: string | null }) {
  return (
    <p className="status" role="status">
      {text ?? ''}
    </p>
  );
}

/** A table with column headings, scrolling sideways in a narrow window; its rows are the children. */
export function Table({ headings, caption, children }: { headings: string[]; caption?: string; children: ReactNode }) {
  return (
    <div className="scroll">
      <table>
        {caption ? <caption>{caption}</caption> : null}
        <thead>
          <tr>
            {headings.map((heading) => (
              <th scope="col" key={heading}>
                {heading}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
