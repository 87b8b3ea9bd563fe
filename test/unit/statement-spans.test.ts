import { describe, expect, it } from 'vitest';
import { statementSpan } from '../../db/statement-spans.js';

describe('statement spans', () => {
  it('are named by the kind of statement and the table of its main clause, never its values', () => {
    const name = (text: string) => statementSpan(text).name;
    expect(
      name('select "id", coalesce((select json_agg(x) from protection_markers m where m.person_id = persons.id), \'[]\') from "persons" where "id" = $1'),
    ).toBe('SELECT persons');
    expect(name('select p.id from json_to_recordset($1::json) as w(person_id uuid) cross join lateral (select count(*) from family_relations r) c')).toBe(
      'SELECT family_relations',
    );
    expect(name('insert into "audit_events" ("at", "subject") values ($1, $2)')).toBe('INSERT audit_events');
    expect(name('update "contact_details" set "phone" = $1 where "person_id" = $2')).toBe('UPDATE contact_details');
    expect(name('delete from "event_subscription_filters" where "id" = $1')).toBe('DELETE event_subscription_filters');
    expect(name("with recursive chain(start) as (select 1) select * from chain where x = 'Wahlström'")).toBe('WITH chain');
    expect(statementSpan('select 1').attributes).toEqual({ 'db.system.name': 'postgresql', 'db.operation.name': 'SELECT' });
  });
});
