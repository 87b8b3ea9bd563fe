import { describe, expect, it } from 'vitest';
import { outcomeOf } from '../../gateway/request-log.js';

describe("the request log line's outcome", () => {
  it.each([
    ['a 200 without errors', 200, [], false, 'ok'],
    ['data and a masked field', 200, ['PROTECTED_IDENTITY'], true, 'partial'],
    ['no data, the caller at fault', 200, ['BAD_USER_INPUT'], false, 'refused'],
    ['no data, a subgraph down', 200, ['SUBGRAPH_UNAVAILABLE'], false, 'failed'],
    ['a 4xx', 400, ['GRAPHQL_VALIDATION_FAILED'], false, 'refused'],
    ['a 503 shed before Apollo', 503, ['OVERLOADED'], false, 'failed'],
  ])('%s', (_name, status, codes, hadData, expected) => {
    expect(outcomeOf(status, new Set(codes), hadData)).toBe(expected);
  });
});
