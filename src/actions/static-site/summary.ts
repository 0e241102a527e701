/** The one job summary of a deploy (pure): the sync's and the invalidation's summaries merged. */
import type { SummaryData } from '../../core/summary.js';
import { formatDuration } from '../../core/time.js';
import type { InvalidationResult } from '../cloudfront-invalidate/invalidate.js';
import { summaryOf as invalidationSummary } from '../cloudfront-invalidate/report.js';
import { summaryOf as syncSummary } from '../s3-static-sync/main.js';
import type { SyncResult } from '../s3-static-sync/sync.js';

/** What happened at the edge, for the title. */
function edgeText(invalidation: InvalidationResult | undefined): string {
  if (!invalidation) return 'no CloudFront distribution given, nothing invalidated';
  const count = invalidation.plan.paths.length;
  const on = invalidation.distributionId ? ` on ${invalidation.distributionId}` : '';
  switch (invalidation.status) {
    case 'Skipped':
      return 'nothing to invalidate';
    case 'Planned':
      return `${count} invalidation path(s) planned`;
    case 'Completed':
      return `${count} path(s) invalidated${on}`;
    case 'InProgress':
      return `${count} path(s) still invalidating${on}`;
  }
}

export function deploySummary(
  sync: SyncResult,
  invalidation: InvalidationResult | undefined,
  maxPaths: number,
  durationMs: number
): SummaryData {
  const icon = sync.dryRun ? '🧪' : invalidation?.status === 'InProgress' ? '⏳' : '✅';
  const verb = sync.dryRun ? 'would be uploaded' : 'uploaded';
  const title = `${icon} static-site deploy${sync.dryRun ? ' (dry run)' : ''}: ${sync.uploaded} files ${verb}, ${sync.deleted} deleted, ${sync.unchanged} unchanged; ${edgeText(invalidation)}`;
  const s3 = syncSummary(sync);
  const edge = invalidation ? invalidationSummary(invalidation, maxPaths) : undefined;
  return {
    title,
    facts: [
      ...(s3.facts ?? []).map(([k, v]): [string, string] => [k === 'Duration' ? 'Sync duration' : k, v]),
      ...(edge?.facts ?? [['Invalidation', 'none: give distribution-id to invalidate what changed']]).map(
        ([k, v]): [string, string] => [k === 'Status' ? 'Invalidation status' : k, v]
      ),
      ['Total duration', formatDuration(durationMs)]
    ],
    tables: [
      ...(s3.tables ?? []),
      ...(edge?.tables ?? []).map((t) => ({
        ...t,
        heading: t.heading && `Invalidation ${t.heading.toLowerCase()}`
      }))
    ],
    links: [...(s3.links ?? []), ...(edge?.links ?? [])],
    notes: [...(s3.notes ?? []), ...(edge?.notes ?? [])]
  };
}
