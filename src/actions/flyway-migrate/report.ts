/** Turns an engine result into the action's outputs and job summary (data, not HTML). */
import type { SummaryData } from '../../core/summary.js';
import { formatDuration } from '../../core/time.js';
import { infoTable, MigrationFailedError, stateName, type EngineResult } from './engine.js';
import type { InfoRow } from './info.js';

export interface InfoJson {
  category: string;
  version: string | null;
  description: string;
  type: string;
  script: string;
  checksum: number | null;
  installedRank: number | null;
  installedBy: string | null;
  installedOn: string | null;
  executionTime: number | null;
  state: string;
}

export function infoJson(rows: InfoRow[]): InfoJson[] {
  return rows.map((r) => ({
    category: r.category,
    version: r.version ?? null,
    description: r.description,
    type: r.type,
    script: r.script,
    checksum: r.checksum,
    installedRank: r.installedRank ?? null,
    installedBy: r.installedBy ?? null,
    installedOn: r.installedOn
      ? r.installedOn instanceof Date
        ? r.installedOn.toISOString()
        : String(r.installedOn)
      : null,
    executionTime: r.executionTime ?? null,
    state: stateName(r)
  }));
}

export interface SummaryFacts {
  database: string;
  table: string;
  durationMs: number;
  dryRun: boolean;
}

export function buildSummary(result: EngineResult, facts: SummaryFacts): SummaryData {
  const { info, applied, command } = result;
  const version = info.current?.text ?? '<< Empty Schema >>';
  const pending = info.pending.length;
  const title = facts.dryRun
    ? `🧪 flyway-migrate (dry run): ${pending} migration${pending === 1 ? '' : 's'} would be applied to ${result.schema}`
    : command === 'migrate'
      ? `✅ flyway-migrate: ${applied.length} migration${applied.length === 1 ? '' : 's'} applied to ${result.schema}, now at version ${version}`
      : `✅ flyway-migrate ${command}: ${result.schema} at version ${version}`;
  const table = infoTable(info.rows);
  return {
    title,
    facts: [
      ['Database', facts.database],
      ['Schema', result.schema],
      ['History table', facts.table],
      ['Command', command + (facts.dryRun ? ' (dry run)' : '')],
      ['Applied', String(applied.length)],
      ['Pending', String(pending)],
      ['Schema version', version],
      ['Duration', formatDuration(facts.durationMs)]
    ],
    tables: [{ heading: 'Schema history (flyway info)', columns: table.columns, rows: table.rows }],
    details: result.plan?.length
      ? [
          {
            summary: 'SQL that would run',
            body: result.plan
              .map(
                ({ migration, statements }) =>
                  `-- ${migration.file}\n${statements.map((s) => `${s.sql};`).join('\n')}`
              )
              .join('\n\n')
          }
        ]
      : undefined,
    notes: result.messages.length ? result.messages : undefined
  };
}

/** The summary of a run that failed after connecting: what failed, where, and Flyway's message. */
export function failureSummary(
  error: unknown,
  facts: { database: string; command: string; durationMs: number }
): SummaryData {
  const message = error instanceof Error ? error.message : String(error);
  const where = error instanceof MigrationFailedError ? `${error.file} line ${error.line}` : undefined;
  return {
    title: where
      ? `❌ flyway-migrate: migration failed at ${where}`
      : `❌ flyway-migrate ${facts.command} failed: ${message.split('\n')[0]}`,
    facts: [
      ['Database', facts.database],
      ['Command', facts.command],
      ...(where ? ([['Failed at', where]] as Array<[string, string]>) : []),
      ['Duration', formatDuration(facts.durationMs)]
    ],
    details: [{ summary: 'Error', body: message }]
  };
}
