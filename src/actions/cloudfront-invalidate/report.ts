/** The job summary of an invalidation (pure): facts, the plan table and links, as data for writeSummary. */
import type { SummaryData } from '../../core/summary.js';
import { formatDuration } from '../../core/time.js';
import type { InvalidationResult } from './invalidate.js';

const ROWS = 100;

export function consoleUrl(distributionId: string, invalidationId: string): string {
  return `https://us-east-1.console.aws.amazon.com/cloudfront/v4/home#/distributions/${distributionId}/invalidations/details/${invalidationId}`;
}

export function summaryOf(result: InvalidationResult, maxPaths: number): SummaryData {
  const { plan, invalidations } = result;
  const target = result.distributionId ? ` on ${result.distributionId}` : '';
  const title =
    result.status === 'Skipped'
      ? 'ℹ️ cloudfront-invalidate: nothing to invalidate'
      : result.status === 'Planned'
        ? `📝 cloudfront-invalidate: ${plan.paths.length} path(s) planned (dry run)`
        : result.status === 'Completed'
          ? `✅ cloudfront-invalidate: ${plan.paths.length} path(s) invalidated${target}`
          : `⏳ cloudfront-invalidate: ${plan.paths.length} path(s) still invalidating${target}`;
  const facts: Array<[string, string]> = [
    ['Status', result.timedOut ? `${result.status} (timed out waiting)` : result.status],
    ['Changed keys', String(plan.changedCount)],
    ['Paths', `${plan.paths.length} of ${maxPaths} allowed, in ${plan.batches.length} request(s)`],
    [
      'Unchanged objects evicted',
      plan.measured ? String(plan.evicts) : 'not measured (no site listing: give site-paths to count them)'
    ]
  ];
  if (result.distributionId) facts.unshift(['Distribution', result.distributionId]);
  if (invalidations.length) {
    facts.push([
      'Invalidation',
      invalidations.map((i) => `${i.id}${i.reused ? ' (reused)' : ''}: ${i.status}`).join(', ')
    ]);
    facts.push(['Submitted in', formatDuration(result.submitMs)]);
    facts.push(['Waited', result.waitMs ? formatDuration(result.waitMs) : 'did not wait']);
  }
  return {
    title,
    facts,
    tables: [
      {
        heading: 'Plan',
        columns: ['Path', 'Changed files covered', 'Unchanged evicted', 'Why'],
        rows: plan.paths
          .slice(0, ROWS)
          .map((p) => [p.path, String(p.changed), p.evicts === undefined ? '?' : String(p.evicts), p.reason]),
        note: plan.paths.length > ROWS ? `… and ${plan.paths.length - ROWS} more paths` : undefined
      }
    ],
    links: result.distributionId
      ? invalidations.map((i) => ({
          text: `Invalidation ${i.id}`,
          href: consoleUrl(result.distributionId as string, i.id)
        }))
      : []
  };
}
