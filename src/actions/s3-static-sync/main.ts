import * as core from '@actions/core';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { actionsLogger } from '../../core/logger.js';
import { writeSummary, type SummaryData } from '../../core/summary.js';
import { formatBytes, formatDuration } from '../../core/time.js';
import { createS3Client } from './client.js';
import { OUTPUTS } from './constants.js';
import { getInputs } from './inputs.js';
import { syncSite, type ChangedFile, type SyncResult } from './sync.js';

const SUMMARY_ROWS = 100;

const CHANGE_LABEL: Record<ChangedFile['change'], string> = {
  new: 'added',
  content: 'content changed',
  metadata: 'metadata changed',
  unrecorded: 'replaced (not yet tracked)',
  'changed-remotely': 'replaced (changed outside this action)',
  deleted: 'deleted'
};

export function summaryOf(result: SyncResult): SummaryData {
  const target = `s3://${result.bucket}/${result.prefix}`;
  const verb = result.dryRun ? 'would upload' : 'uploaded';
  const title = `${result.dryRun ? '🧪 s3-static-sync (dry run)' : '✅ s3-static-sync'}: ${result.uploaded} files ${verb}, ${result.deleted} ${result.dryRun ? 'would be ' : ''}deleted, ${result.unchanged} unchanged`;
  const seconds = result.durationMs / 1000;
  const rate =
    seconds > 0 && result.bytesUploaded > 0 && !result.dryRun
      ? `${formatBytes(Math.round(result.bytesUploaded / seconds))}/s`
      : '–';
  return {
    title,
    facts: [
      ['Target', target],
      ['Uploaded', `${result.uploaded} files, ${formatBytes(result.bytesUploaded)}`],
      ['Unchanged', String(result.unchanged)],
      ['Deleted', String(result.deleted)],
      ['Duration', formatDuration(result.durationMs)],
      ['Rate', rate]
    ],
    tables: [
      {
        heading: 'Changed files',
        columns: ['Path', 'Change', 'Size'],
        rows: result.changes
          .slice(0, SUMMARY_ROWS)
          .map((c) => [c.path, CHANGE_LABEL[c.change], formatBytes(c.size)]),
        note:
          result.changes.length > SUMMARY_ROWS
            ? `… and ${result.changes.length - SUMMARY_ROWS} more (see the changed-paths-file output).`
            : undefined
      }
    ],
    notes: result.skippedHidden.length
      ? [
          `Skipped hidden (include-hidden: true publishes them): ${result.skippedHidden.slice(0, 20).join(', ')}${result.skippedHidden.length > 20 ? ` … and ${result.skippedHidden.length - 20} more` : ''}`
        ]
      : undefined
  };
}

export async function main(): Promise<void> {
  const inputs = getInputs();
  const s3 = createS3Client(inputs);
  let result: SyncResult;
  try {
    result = await syncSite(inputs, { s3, logger: actionsLogger });
  } finally {
    s3.destroy();
  }
  const file = path.join(
    process.env.RUNNER_TEMP || tmpdir(),
    `s3-static-sync-changed-paths-${process.pid}.json`
  );
  writeFileSync(file, JSON.stringify(result.changedPaths));
  core.setOutput(OUTPUTS.uploaded, result.uploaded);
  core.setOutput(OUTPUTS.deleted, result.deleted);
  core.setOutput(OUTPUTS.unchanged, result.unchanged);
  core.setOutput(OUTPUTS.bytesUploaded, result.bytesUploaded);
  core.setOutput(OUTPUTS.changedPaths, JSON.stringify(result.changedPaths));
  core.setOutput(OUTPUTS.addedPaths, JSON.stringify(result.addedPaths));
  core.setOutput(OUTPUTS.changedPathsFile, file);
  await writeSummary(summaryOf(result), actionsLogger);
}
