/**
 * `npx tsx test/bench/ndjson-import.ts N FILE`: writes an NDJSON change import of N Swedish persons, each
 * line the total record folkreg's own files write (gateway/files/records.ts `personRecord`), for measuring
 * the import's memory and throughput (README "The NDJSON change import").
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { personRecord } from '../../gateway/files/records.js';
import { personalIdentityNumber } from '../../kernel/identifiers.js';

const [count = '100000', file = 'import.ndjson'] = process.argv.slice(2);
const n = Number(count);
const out = createWriteStream(file);
let bytes = 0;
for (let i = 0; i < n; i++) {
  // 999 serials per birth date (a personnummer's 001–999): spread over days from 1940.
  const birthDate = new Date(Date.UTC(1940, 0, 1) + Math.floor(i / 999) * 86_400_000).toISOString().slice(0, 10);
  const line = `${JSON.stringify(
    personRecord(
      {
        id: '00000000-0000-4000-8000-000000000000',
        country: 'SE',
        identifier: { kind: 'PERSONAL_IDENTITY_NUMBER', value: personalIdentityNumber({ birthDate, serial: (i % 999) + 1 }) },
        name: { givenNames: 'Åsa Märta', middleName: null, familyName: 'Öberg', addressingName: 'Öberg, Åsa', validFrom: '2004-06-01' },
        birthDate,
        sex: i % 2 ? 'MALE' : 'FEMALE',
        status: 'ACTIVE',
        statusDate: null,
        civilStatus: 'UNMARRIED',
        civilStatusSince: birthDate,
        citizenships: ['SE'],
        protectionMarkers: [],
        address: {
          kind: 'REGISTERED',
          countryCode: 'SE',
          municipalityCode: '1480',
          municipalityName: 'Göteborg',
          roadCode: null,
          streetName: 'Kungsgatan 12',
          houseNumber: null,
          floor: null,
          sideDoor: null,
          buildingNumber: null,
          locality: null,
          postalCode: '41119',
          postalDistrict: 'Göteborg',
          careOf: null,
          deliveryLines: null,
          standardAddressLine: null,
          emigrationDate: null,
          validFrom: '2019-01-01',
        },
      },
      [],
    ),
  )}\n`;
  bytes += Buffer.byteLength(line);
  if (!out.write(line)) await once(out, 'drain');
}
out.end();
await once(out, 'finish');
console.log(`${n} persons, ${bytes} bytes → ${file}`);
