/** The job summary, pure: data for writeSummary(). */
import type { SummaryData } from '../../core/summary.js';
import { formatBytes, formatDuration } from '../../core/time.js';

export interface SummaryFacts {
  image: string;
  builder: string;
  builderReason: string;
  refs: string[];
  pushed: boolean;
  digest?: string;
  imageRef?: string;
  size?: number;
  buildMs: number;
  cacheHits?: number;
  cache: string;
  login?: string;
  labels: Record<string, string>;
  notes: string[];
}

export function buildSummary(facts: SummaryFacts): SummaryData {
  const title = facts.pushed
    ? `✅ build-and-push-image: pushed ${facts.image} (${facts.refs.length} tag${facts.refs.length === 1 ? '' : 's'})`
    : `✅ build-and-push-image: built ${facts.image} (not pushed)`;
  const rows: Array<[string, string]> = [
    ['Image', facts.image],
    ['Digest', facts.digest ?? (facts.pushed ? 'unknown' : 'not pushed')]
  ];
  if (facts.imageRef) rows.push(['Deploy with', facts.imageRef]);
  if (facts.size !== undefined) rows.push(['Size', `${formatBytes(facts.size)} (uncompressed layers)`]);
  rows.push(['Build time', formatDuration(facts.buildMs)]);
  rows.push(['Builder', `${facts.builder} (${facts.builderReason})`]);
  rows.push([
    'Cache',
    facts.cacheHits !== undefined && facts.cache !== 'none'
      ? `${facts.cache}: ${facts.cacheHits} step(s) from cache`
      : facts.cache
  ]);
  if (facts.login) rows.push(['Login', facts.login]);
  return {
    title,
    facts: rows,
    tables: [
      { heading: 'Tags', columns: ['Reference'], rows: facts.refs.map((r) => [r]) },
      { heading: 'Labels', columns: ['Label', 'Value'], rows: Object.entries(facts.labels) }
    ],
    notes: facts.notes
  };
}
