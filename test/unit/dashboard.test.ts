import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GatewayMetrics } from '../../gateway/metrics.js';
import { processMetrics } from '../../kernel/metrics.js';
import { SubgraphMetrics } from '../../subgraphs/shared/metrics.js';

/** The Grafana dashboard queries only metrics the code registers, so it never drifts from them. */

interface Panel {
  title: string;
  type: string;
  targets?: { expr: string }[];
  panels?: Panel[];
}
const dashboard = JSON.parse(readFileSync(new URL('../../deploy/grafana/folkreg.json', import.meta.url), 'utf8')) as { panels: Panel[] };
const panels = dashboard.panels.flatMap((p) => [p, ...(p.panels ?? [])]).filter((p) => p.type !== 'row');

/** Names of every metric the registries expose, with the series a histogram adds. */
async function registered(): Promise<Set<string>> {
  const names = new Set<string>();
  const subgraph = new SubgraphMetrics();
  subgraph.watchPool({ max: 10, used: 0, pending: 0 });
  for (const registry of [new GatewayMetrics().registry, subgraph.registry, processMetrics()]) {
    for (const metric of await registry.getMetricsAsJSON()) {
      names.add(metric.name);
      if (String(metric.type) === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(metric.name + suffix);
    }
  }
  return names;
}

/** The metric names a PromQL expression reads: label matchers, `by (…)` lists and range selectors taken out first. */
function metricsOf(expr: string): string[] {
  const bare = expr
    .replace(/\{[^}]*\}/g, '')
    .replace(/\b(by|without)\s*\([^)]*\)/g, '')
    .replace(/\[[^\]]*\]/g, '');
  const functions = new Set(['sum', 'max', 'min', 'avg', 'rate', 'increase', 'irate', 'histogram_quantile', 'label_values', 'count', 'clamp_min']);
  return [...bare.matchAll(/\b[a-z_][a-z0-9_]*\b/g)].map((m) => m[0]).filter((name) => !functions.has(name) && name.includes('_'));
}

describe('deploy/grafana/folkreg.json', () => {
  it('finds the metric names in a query', () => {
    expect(
      metricsOf('histogram_quantile(0.95, sum by (le, subgraph) (rate(folkreg_subgraph_fetch_duration_seconds_bucket{job=~"$job"}[$__rate_interval])))'),
    ).toEqual(['folkreg_subgraph_fetch_duration_seconds_bucket']);
  });

  it('queries only metrics the gateway, the subgraphs or the process register', async () => {
    const names = await registered();
    const queried = panels.flatMap((p) => (p.targets ?? []).flatMap((t) => metricsOf(t.expr).map((metric) => ({ panel: p.title, metric }))));
    expect(queried.length).toBeGreaterThan(20);
    expect(queried.filter((q) => !names.has(q.metric))).toEqual([]);
  });

  it('has a panel for every folkreg, GraphQL, HTTP and database pool metric', async () => {
    const queried = new Set(panels.flatMap((p) => (p.targets ?? []).flatMap((t) => metricsOf(t.expr))));
    const own = [...(await registered())].filter((n) => /^(folkreg|graphql|http|db_client)_/.test(n) && !/_(sum|count)$/.test(n));
    const histogramOrQueried = (n: string) => queried.has(n) || queried.has(`${n}_bucket`) || queried.has(`${n}_count`);
    expect(own.filter((n) => !n.endsWith('_bucket') && !histogramOrQueried(n))).toEqual([]);
  });
});
