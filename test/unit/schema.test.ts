import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { apiSchemaPath, composeSupergraph, supergraphPath } from '../../schema/compose.js';

describe('schema/', () => {
  const composed = composeSupergraph();

  it('supergraph.graphql is what the subgraph SDLs compose to (run `npm run compose`)', () => {
    expect(readFileSync(supergraphPath, 'utf8')).toBe(composed.supergraphSdl);
  });

  it('api.graphql is the API schema of that supergraph (run `npm run compose`)', () => {
    expect(readFileSync(apiSchemaPath, 'utf8')).toBe(composed.apiSdl);
  });
});
