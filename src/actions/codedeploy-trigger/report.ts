/** Pure: the job summary of a run, from what happened. Data for writeSummary, never HTML. */
import type { SummaryData } from '../../core/summary.js';
import { formatBytes, formatDuration } from '../../core/time.js';
import type { AppSpecProblem } from './appspec.js';
import {
  failedEvents,
  lifecycleTable,
  overviewText,
  stillRunning,
  type Overview,
  type TargetSnapshot
} from './progress.js';

export interface RunReport {
  application: string;
  group: string;
  deploymentId?: string;
  status: string;
  overview?: Overview;
  revisionUri: string;
  eTag?: string;
  sha256?: string;
  bundleBytes?: number;
  uploaded?: boolean;
  deploymentConfig?: string;
  elapsedMs: number;
  targets: TargetSnapshot[];
  timedOut?: boolean;
  waited: boolean;
  error?: { code?: string; message?: string };
  rollback?: { id: string; status?: string };
  consoleUrl?: string;
  now?: Date;
}

const ICON: Record<string, string> = { Succeeded: '✅', Failed: '❌', Stopped: '🛑', Ready: '✅' };

export function headline(report: RunReport): string {
  const name = `${report.application}/${report.group}`;
  if (!report.waited)
    return `🚀 codedeploy-trigger: ${report.deploymentId} created for ${name} (not waiting)`;
  if (report.timedOut)
    return `⌛ codedeploy-trigger: ${report.deploymentId} still ${report.status} after ${formatDuration(report.elapsedMs)}`;
  const icon = ICON[report.status] ?? '⚠️';
  return `${icon} codedeploy-trigger: ${report.deploymentId} ${report.status} on ${name} in ${formatDuration(report.elapsedMs)}`;
}

export function buildSummary(report: RunReport): SummaryData {
  const facts: Array<[string, string]> = [
    ['Application', report.application],
    ['Deployment group', report.group],
    ['Deployment', report.deploymentId ?? '(none)'],
    ['Status', report.status],
    ['Instances', overviewText(report.overview)],
    ['Revision', `${report.revisionUri}${report.eTag ? ` (ETag ${report.eTag})` : ''}`]
  ];
  if (report.sha256) facts.push(['Bundle SHA-256', report.sha256]);
  if (report.bundleBytes !== undefined)
    facts.push([
      'Bundle',
      `${formatBytes(report.bundleBytes)}, ${report.uploaded ? 'uploaded' : 'already in S3 (upload skipped)'}`
    ]);
  if (report.deploymentConfig) facts.push(['Deployment config', report.deploymentConfig]);
  facts.push(['Took', formatDuration(report.elapsedMs)]);
  if (report.error?.code || report.error?.message)
    facts.push(['Error', [report.error.code, report.error.message].filter(Boolean).join(': ')]);
  if (report.rollback)
    facts.push([
      'Rollback',
      `${report.rollback.id}${report.rollback.status ? ` (${report.rollback.status})` : ''}`
    ]);
  const notes: string[] = [];
  if (report.timedOut) {
    const running = stillRunning(report.targets, report.now ?? new Date());
    notes.push(
      `Stopped waiting after ${formatDuration(report.elapsedMs)}; the deployment goes on in CodeDeploy.` +
        (running.length ? ` Still running: ${running.join(', ')}.` : '')
    );
  }
  const details = failedEvents(report.targets)
    .filter((f) => f.event.diagnostics?.logTail?.trim())
    .map((f) => ({
      summary: `Log tail: ${f.target} ${f.event.name}${f.event.diagnostics?.scriptName ? ` (${f.event.diagnostics.scriptName})` : ''}`,
      body: (f.event.diagnostics?.logTail ?? '').replace(/\s+$/, '')
    }));
  return {
    title: headline(report),
    facts,
    tables: report.targets.length ? [lifecycleTable(report.targets, report.now)] : [],
    details,
    links: report.consoleUrl
      ? [{ text: 'Open the deployment in the AWS console', href: report.consoleUrl }]
      : [],
    notes
  };
}

/** The summary of a bundle rejected before anything was uploaded. */
export function appSpecSummary(file: string, problems: readonly AppSpecProblem[]): SummaryData {
  const errors = problems.filter((p) => p.severity === 'error');
  return {
    title: `❌ codedeploy-trigger: ${file} has ${errors.length} problem${errors.length === 1 ? '' : 's'}; nothing was uploaded`,
    tables: [
      {
        columns: ['Line', 'Severity', 'Problem'],
        rows: problems.map((p) => [`${p.line}:${p.column}`, p.severity, p.message])
      }
    ]
  };
}
