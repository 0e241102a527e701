/**
 * Pure progress logic: turns successive snapshots of a deployment into one log line per change, finds the
 * failed lifecycle events, says what is still running, and lays out the summary table.
 */
import type { SummaryTable } from '../../core/summary.js';
import { formatDuration } from '../../core/time.js';

export interface Diagnostics {
  errorCode?: string;
  scriptName?: string;
  message?: string;
  logTail?: string;
}

export interface EventSnapshot {
  name: string;
  /** Pending | InProgress | Succeeded | Failed | Skipped | Unknown */
  status: string;
  startTime?: Date;
  endTime?: Date;
  diagnostics?: Diagnostics;
}

export interface TargetSnapshot {
  id: string;
  /** Pending | InProgress | Succeeded | Failed | Skipped | Unknown | Ready */
  status: string;
  events: EventSnapshot[];
}

export interface Overview {
  Pending?: number;
  InProgress?: number;
  Succeeded?: number;
  Failed?: number;
  Skipped?: number;
  Ready?: number;
}

export const TERMINAL_DEPLOYMENT = new Set(['Succeeded', 'Failed', 'Stopped']);
const ACTIVE_EVENT = 'InProgress';

const OVERVIEW_ORDER: Array<[keyof Overview, string]> = [
  ['Succeeded', 'succeeded'],
  ['Failed', 'failed'],
  ['InProgress', 'in progress'],
  ['Pending', 'pending'],
  ['Skipped', 'skipped'],
  ['Ready', 'ready']
];

/** `3 instances: 1 succeeded, 1 in progress, 1 pending` (zero counts left out). */
export function overviewText(overview: Overview | undefined): string {
  if (!overview) return 'no instances yet';
  const total = OVERVIEW_ORDER.reduce((sum, [key]) => sum + (overview[key] ?? 0), 0);
  const parts = OVERVIEW_ORDER.filter(([key]) => (overview[key] ?? 0) > 0).map(
    ([key, label]) => `${overview[key]} ${label}`
  );
  return `${total} instance${total === 1 ? '' : 's'}${parts.length ? `: ${parts.join(', ')}` : ''}`;
}

/** The stable text of an overview, to tell whether it changed. */
export function overviewKey(status: string, overview: Overview | undefined): string {
  return `${status}|${OVERVIEW_ORDER.map(([key]) => overview?.[key] ?? 0).join(',')}`;
}

export function eventDuration(event: EventSnapshot, now?: Date): number | undefined {
  if (!event.startTime) return undefined;
  const end = event.endTime ?? now;
  if (!end) return undefined;
  return Math.max(0, end.getTime() - event.startTime.getTime());
}

function withDuration(event: EventSnapshot): string {
  const ms = eventDuration(event);
  return ms === undefined ? '' : ` (${formatDuration(ms)})`;
}

/** One line for an event that reached `event.status`, or undefined for statuses not worth a line. */
export function eventLine(target: string, event: EventSnapshot): string | undefined {
  switch (event.status) {
    case 'InProgress':
      return `${target}: ${event.name} started`;
    case 'Succeeded':
      return `${target}: ${event.name} succeeded${withDuration(event)}`;
    case 'Failed': {
      const d = event.diagnostics;
      const why = [d?.errorCode, d?.scriptName ? `in ${d.scriptName}` : undefined].filter(Boolean).join(' ');
      return `${target}: ${event.name} FAILED${withDuration(event)}${why ? `: ${why}` : ''}`;
    }
    case 'Skipped':
      return `${target}: ${event.name} skipped`;
    case 'Unknown':
      return `${target}: ${event.name} status unknown`;
    default:
      return undefined;
  }
}

/**
 * The lines describing what changed between two snapshots of the targets: every lifecycle event whose
 * status changed, and every instance whose own status changed. Nothing when nothing changed.
 */
export function diffTargets(
  previous: ReadonlyMap<string, TargetSnapshot>,
  next: readonly TargetSnapshot[]
): string[] {
  const lines: string[] = [];
  for (const target of next) {
    const before = previous.get(target.id);
    if (!before) lines.push(`${target.id}: ${target.status}`);
    const earlier = new Map((before?.events ?? []).map((e) => [e.name, e.status]));
    for (const event of target.events) {
      const was = earlier.get(event.name) ?? 'Pending';
      if (was === event.status) continue;
      // An event that started and finished between two polls gets only its finishing line.
      const line = eventLine(target.id, event);
      if (line) lines.push(line);
    }
    // The instance's own outcome comes after the events that led to it; starting work needs no line.
    if (before && before.status !== target.status && target.status !== 'InProgress')
      lines.push(`${target.id}: ${before.status} → ${target.status}`);
  }
  return lines;
}

export interface FailedEvent {
  target: string;
  event: EventSnapshot;
}

/** Every failed lifecycle event, instance by instance. */
export function failedEvents(targets: readonly TargetSnapshot[]): FailedEvent[] {
  return targets.flatMap((target) =>
    target.events.filter((e) => e.status === 'Failed').map((event) => ({ target: target.id, event }))
  );
}

/** The annotation text for a failed event: what failed, where, why, and the script's last output. */
export function failureMessage(failure: FailedEvent): { title: string; message: string } {
  const d = failure.event.diagnostics ?? {};
  const title = `${failure.target}: ${failure.event.name} failed${d.scriptName ? ` in ${d.scriptName}` : ''}`;
  const lines = [
    `${failure.target} ${failure.event.name} failed${withDuration(failure.event)}.`,
    `errorCode: ${d.errorCode ?? '(none)'}`,
    `scriptName: ${d.scriptName ?? '(none)'}`,
    `message: ${d.message ?? '(none)'}`
  ];
  if (d.logTail?.trim()) lines.push('logTail:', d.logTail.replace(/\s+$/, ''));
  return { title, message: lines.join('\n') };
}

/** What is still running, for a timeout message: `i-1 (ApplicationStart for 4m 10s)`, `i-2 (Pending)`. */
export function stillRunning(targets: readonly TargetSnapshot[], now: Date): string[] {
  return targets
    .filter((t) => t.status === 'InProgress' || t.status === 'Pending')
    .map((target) => {
      const current = target.events.find((e) => e.status === ACTIVE_EVENT);
      if (!current) return `${target.id} (${target.status})`;
      const ms = eventDuration(current, now);
      return `${target.id} (${current.name}${ms === undefined ? '' : ` for ${formatDuration(ms)}`})`;
    });
}

const STATUS_MARK: Record<string, string> = {
  Succeeded: '✅',
  Failed: '❌',
  InProgress: '⏳',
  Pending: '·',
  Skipped: '⏭',
  Unknown: '?'
};

/** The summary table: one row per instance, one column per lifecycle event, each cell status and duration. */
export function lifecycleTable(targets: readonly TargetSnapshot[], now?: Date): SummaryTable {
  const names: string[] = [];
  for (const target of targets)
    for (const e of target.events) if (!names.includes(e.name)) names.push(e.name);
  const rows = targets.map((target) => {
    const byName = new Map(target.events.map((e) => [e.name, e]));
    const total = target.events.reduce((sum, e) => sum + (eventDuration(e, now) ?? 0), 0);
    return [
      target.id,
      `${STATUS_MARK[target.status] ?? ''} ${target.status}`.trim(),
      ...names.map((name) => {
        const e = byName.get(name);
        if (!e) return '';
        const ms = eventDuration(e, e.status === 'InProgress' ? now : undefined);
        return `${STATUS_MARK[e.status] ?? e.status}${ms === undefined ? '' : ` ${formatDuration(ms)}`}`;
      }),
      total ? formatDuration(total) : ''
    ];
  });
  return {
    heading: 'Lifecycle events per instance',
    columns: ['Instance', 'Status', ...names, 'Total'],
    rows
  };
}
