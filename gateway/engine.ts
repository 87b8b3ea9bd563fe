import { ApolloGateway, RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { GraphQLError } from 'graphql';
import { countSubgraphFetch } from '../db/metrics.js';
import { collectSubgraphCounters, countSubgraphRequest, type CountersContext } from './counters.js';
import { GATEWAY_TOKEN_HEADER, type Caller, type GatewayTokenSigner } from '../subgraphs/shared/gateway-token.js';
import type { SubgraphName } from '../subgraphs/shared/server.js';

/**
 * The federation engine, kept behind this one module: @apollo/gateway executing the static supergraph.
 * Policy, auth and subscriptions talk to `GatewayContext`, not to the engine's internals.
 */
export interface GatewayContext extends CountersContext {
  caller: Caller;
}

export interface EngineOptions {
  supergraphSdl: string;
  /** Where each subgraph answers; the supergraph's own URLs are placeholders. */
  subgraphUrls: Record<SubgraphName, string>;
  signer: GatewayTokenSigner;
}

type SubgraphResponse = Parameters<NonNullable<RemoteGraphQLDataSource['didReceiveResponse']>>[0]['response'];

class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    private readonly subgraph: string,
    url: string,
    private readonly signer: GatewayTokenSigner,
  ) {
    // Node's fetch (undici) keeps connections alive; the default fetcher opens more of them.
    super({ url, fetcher: globalThis.fetch as unknown as RemoteGraphQLDataSource['fetcher'] });
  }

  override async willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<void> {
    countSubgraphFetch();
    countSubgraphRequest(context, request.http?.headers);
    const caller = context?.caller;
    if (!caller) throw new Error('Subgraph request without a verified caller');
    request.http?.headers.set(GATEWAY_TOKEN_HEADER, await this.signer.tokenFor(caller));
  }

  override didReceiveResponse({ response, context }: { response: SubgraphResponse; context: GatewayContext }): SubgraphResponse {
    collectSubgraphCounters(context, response);
    return response;
  }

  /** A subgraph that is down yields an error naming it, never its internal address. */
  override didEncounterError(error: Error): void {
    if (error instanceof GraphQLError) throw error;
    throw new GraphQLError(`The ${this.subgraph} service is unavailable; fields it provides are null.`, {
      extensions: { code: 'SUBGRAPH_UNAVAILABLE', subgraph: this.subgraph },
    });
  }
}

export function createEngine(options: EngineOptions): ApolloGateway {
  return new ApolloGateway({
    supergraphSdl: options.supergraphSdl,
    buildService: ({ name }) => {
      const url = options.subgraphUrls[name as SubgraphName];
      if (!url) throw new Error(`No URL configured for subgraph '${name}'`);
      return new SubgraphDataSource(name, url, options.signer);
    },
  });
}
