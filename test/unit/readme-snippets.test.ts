import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/** The client code the README shows is the code the end-to-end tests run: each module's marked part, verbatim. */
const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

describe('README client snippets', () => {
  it.each([
    ['For frontends', 'test/clients/apollo-family.ts', 'test/e2e/apollo-client.test.ts'],
    ['For integrators', 'test/clients/follow-change-events.ts', 'test/e2e/subscriptions-resume.test.ts'],
  ])('"%s" shows %s as %s runs it', (section, module) => {
    const source = readFileSync(new URL(`../../${module}`, import.meta.url), 'utf8');
    const marked = source.split('// README:start\n')[1]?.split('// README:end')[0];
    expect(marked, `${module} has README markers`).toBeTruthy();
    const body = readme.split(`## ${section}\n`)[1]?.split('\n## ')[0] ?? '';
    expect(body).toContain('```ts\n' + marked + '```');
  });
});
