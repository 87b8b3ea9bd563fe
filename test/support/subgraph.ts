import { afterAll, beforeAll } from 'vitest';
import type { Db } from '../../db/client.js';
import type { Caller } from '../../kernel/caller.js';
import { generateGatewayKeys, type GatewayKeyPair } from '../../kernel/gateway-token.js';
import type { RunningServer } from '../../kernel/lifecycle.js';
import { CursorCodec } from '../../subgraphs/shared/cursor.js';
import { startSubgraph, type SubgraphDefinition } from '../../subgraphs/shared/server.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { asGateway, type GraphQLResponse } from './stack.js';

/** A test file's database and one subgraph over it, filled in by its `beforeAll`. */
export interface SubgraphFixture {
  readonly database: TestDatabase;
  readonly db: Db;
  readonly server: RunningServer;
  readonly keys: GatewayKeyPair;
  /** A request to the subgraph as the gateway sends it for `caller`. */
  call<T = any>(caller: Caller, query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<T>>;
}

/**
 * The set-up of a file that tests one subgraph without the gateway: before its tests, a fresh test
 * database, `seed` over it, gateway keys and the subgraph trusting them; after them, both closed.
 */
export function useSubgraph(definition: SubgraphDefinition<any>, seed: (db: Db) => Promise<void> = async () => {}): SubgraphFixture {
  let database: TestDatabase | undefined;
  let server: RunningServer | undefined;
  let keys: GatewayKeyPair | undefined;
  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('useSubgraph: the subgraph is started in beforeAll; read it inside a test or hook.');
    return value;
  };
  beforeAll(async () => {
    database = await createTestDatabase();
    keys = await generateGatewayKeys();
    await seed(database.db);
    server = await startSubgraph(definition, { db: database.db, gatewayPublicKey: keys.publicKey, cursors: new CursorCodec(Buffer.alloc(32, 7)) });
  });
  afterAll(async () => {
    await server?.close();
    await database?.dispose();
  });
  return {
    get database() {
      return ready(database);
    },
    get db() {
      return ready(database).db;
    },
    get server() {
      return ready(server);
    },
    get keys() {
      return ready(keys);
    },
    call: (caller, query, variables = {}) => asGateway(ready(server).url, definition.name, caller, ready(keys).privateKey, query, variables),
  };
}
