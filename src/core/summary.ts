/**
 * The one job-summary writer. Actions hand it data (facts, tables, links, details), never HTML;
 * it renders Markdown and appends it to GITHUB_STEP_SUMMARY, or prints it to the log when that is
 * unset (local runs, other CI systems).
 */
import * as core from '@actions/core';
import type { Logger } from './logger.js';
import { redactSecrets } from './secrets.js';

let written = false;

/** Whether this run has written a job summary (runAction writes one on failure when it has not). */
export function summaryWritten(): boolean {
  return written;
}

export interface SummaryTable {
  heading?: string;
  columns: string[];
  rows: string[][];
  /** Shown under the table, e.g. "… and 312 more". */
  note?: string;
}

export interface SummaryData {
  /** The headline, e.g. "✅ s3-static-sync: 20 files uploaded". */
  title: string;
  /** Key facts shown as a two-column table. */
  facts?: Array<[string, string]>;
  tables?: SummaryTable[];
  links?: Array<{ text: string; href: string }>;
  /** Collapsible blocks of preformatted text (log tails, SQL). */
  details?: Array<{ summary: string; body: string }>;
  notes?: string[];
}

/** Escapes a table cell: pipes, newlines and HTML-significant angle brackets. */
export function escapeCell(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\r\n|\r|\n/g, '<br>');
}

function table(columns: string[], rows: string[][]): string {
  const head = `| ${columns.map(escapeCell).join(' | ')} |`;
  const rule = `| ${columns.map(() => '---').join(' | ')} |`;
  const body = rows.map((row) => `| ${columns.map((_, i) => escapeCell(row[i] ?? '')).join(' | ')} |`);
  return [head, rule, ...body].join('\n');
}

function fence(body: string): string {
  const longest = Math.max(2, ...[...body.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = '`'.repeat(longest + 1);
  return `${ticks}\n${body}\n${ticks}`;
}

/** Renders the summary as GitHub-flavoured Markdown. */
export function renderSummary(data: SummaryData): string {
  const parts: string[] = [`### ${data.title.replace(/\r?\n/g, ' ')}`];
  if (data.facts?.length)
    parts.push(
      table(
        ['', ''],
        data.facts.map(([k, v]) => [`**${k}**`, v])
      )
    );
  for (const t of data.tables ?? []) {
    if (t.heading) parts.push(`#### ${t.heading}`);
    parts.push(t.rows.length ? table(t.columns, t.rows) : '_none_');
    if (t.note) parts.push(t.note);
  }
  if (data.links?.length)
    parts.push(data.links.map((l) => `- [${l.text.replace(/[[\]]/g, '')}](${l.href})`).join('\n'));
  for (const d of data.details ?? []) {
    parts.push(`<details><summary>${escapeCell(d.summary)}</summary>\n\n${fence(d.body)}\n\n</details>`);
  }
  for (const note of data.notes ?? []) parts.push(`> ${note.replace(/\r?\n/g, '\n> ')}`);
  return `${parts.join('\n\n')}\n`;
}

/**
 * Writes the summary; with no GITHUB_STEP_SUMMARY the Markdown goes to the log instead.
 * A summary that cannot be written is a warning, never a failed deployment.
 */
export async function writeSummary(data: SummaryData, logger: Logger): Promise<string> {
  written = true;
  // The summary file is not masked by the runner as the log is.
  const markdown = redactSecrets(renderSummary(data));
  if (!process.env.GITHUB_STEP_SUMMARY) {
    await logger.group('Job summary', async () => logger.info(markdown));
    return markdown;
  }
  try {
    await core.summary.addRaw(markdown, true).write();
  } catch (error) {
    logger.warning(
      `Could not write the job summary: ${error instanceof Error ? error.message : String(error)}`
    );
  }
  return markdown;
}
