import { describe, expect, it } from 'vitest';
import { generateAdminClient, staleAdminClient } from '../../admin/codegen.js';

/** The administration UI's checked-in client (admin/src/gql/) against what `npm run codegen:admin` gives now. */
describe('generated admin client (npm run codegen:admin)', () => {
  // One generation for both tests: it takes half a minute on the shared machine.
  let generated: Promise<Map<string, string>> | undefined;
  const fresh = async () => new Map(await (generated ??= generateAdminClient()));

  it('admin/src/gql/ is what admin/src/operations.ts and the contract give', async () => {
    expect(await staleAdminClient(await fresh())).toEqual([]);
  }, 120_000);

  it('a file that no longer matches the operations is reported by name, and so is one the generator no longer writes', async () => {
    const edited = await fresh();
    const documents = 'admin/src/gql/persisted-documents.json';
    edited.set(documents, edited.get(documents)!.replace('AdminSearchPersons', 'AdminSearchPersonsEdited'));
    edited.delete('admin/src/gql/index.ts');
    expect(await staleAdminClient(edited)).toEqual(['admin/src/gql/index.ts', documents]);
  }, 120_000);
});
