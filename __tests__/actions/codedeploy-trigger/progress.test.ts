/** Pure progress logic: one line per change, failures, what is still running, the summary table. */
import { describe, expect, it } from '@jest/globals';
import {
  diffTargets,
  failedEvents,
  failureMessage,
  lifecycleTable,
  overviewKey,
  overviewText,
  stillRunning,
  type TargetSnapshot
} from '../../../src/actions/codedeploy-trigger/progress.js';
import { buildSummary, headline } from '../../../src/actions/codedeploy-trigger/report.js';

const t0 = new Date('2026-11-21T00:00:00Z');
const at = (s: number) => new Date(t0.getTime() + s * 1000);

const target = (id: string, status: string, events: TargetSnapshot['events']): TargetSnapshot => ({
  id,
  status,
  events
});

describe('overview', () => {
  it.each([
    [undefined, 'no instances yet'],
    [{}, '0 instances'],
    [{ Pending: 1 }, '1 instance: 1 pending'],
    [
      { Succeeded: 2, InProgress: 1, Pending: 0, Failed: 1, Skipped: 3 },
      '7 instances: 2 succeeded, 1 failed, 1 in progress, 3 skipped'
    ]
  ])('%j → %s', (overview, text) => {
    expect(overviewText(overview)).toBe(text);
  });

  it('keys on status and counts only', () => {
    expect(overviewKey('InProgress', { Pending: 1 })).toBe(
      overviewKey('InProgress', { Pending: 1, Failed: 0 })
    );
    expect(overviewKey('InProgress', { Pending: 1 })).not.toBe(overviewKey('Failed', { Pending: 1 }));
  });
});

describe('diffTargets', () => {
  const pending = target('i-1', 'Pending', [
    { name: 'ApplicationStop', status: 'Pending' },
    { name: 'DownloadBundle', status: 'Pending' }
  ]);

  it('introduces each instance once, then says nothing when nothing changed', () => {
    expect(diffTargets(new Map(), [pending])).toEqual(['i-1: Pending']);
    expect(diffTargets(new Map([['i-1', pending]]), [pending])).toEqual([]);
    expect(diffTargets(new Map(), [])).toEqual([]);
  });

  it('writes a line per event change, then the instance outcome', () => {
    const running = target('i-1', 'InProgress', [
      { name: 'ApplicationStop', status: 'InProgress', startTime: at(0) },
      { name: 'DownloadBundle', status: 'Pending' }
    ]);
    expect(diffTargets(new Map([['i-1', pending]]), [running])).toEqual(['i-1: ApplicationStop started']);
    const failed = target('i-1', 'Failed', [
      {
        name: 'ApplicationStop',
        status: 'Failed',
        startTime: at(0),
        endTime: at(65),
        diagnostics: { errorCode: 'ScriptTimedOut', scriptName: 'scripts/stop.sh' }
      },
      { name: 'DownloadBundle', status: 'Skipped' }
    ]);
    expect(diffTargets(new Map([['i-1', running]]), [failed])).toEqual([
      'i-1: ApplicationStop FAILED (1m 05s): ScriptTimedOut in scripts/stop.sh',
      'i-1: DownloadBundle skipped',
      'i-1: InProgress → Failed'
    ]);
  });

  it('gives an event that started and ended between polls only its ending line', () => {
    const done = target('i-1', 'InProgress', [
      { name: 'ApplicationStop', status: 'Succeeded', startTime: at(0), endTime: at(0.4) },
      { name: 'DownloadBundle', status: 'Pending' }
    ]);
    expect(diffTargets(new Map([['i-1', pending]]), [done])).toEqual([
      'i-1: ApplicationStop succeeded (400ms)'
    ]);
  });
});

const failing = target('i-2', 'Failed', [
  { name: 'ApplicationStop', status: 'Succeeded', startTime: at(0), endTime: at(2) },
  {
    name: 'ApplicationStart',
    status: 'Failed',
    startTime: at(2),
    endTime: at(12),
    diagnostics: {
      errorCode: 'ScriptFailed',
      scriptName: 'scripts/start.sh',
      message: 'exit code 1',
      logTail: '[stderr]port | already <allocated>\n\n'
    }
  },
  { name: 'ValidateService', status: 'Skipped' }
]);
const ok = target('i-1', 'Succeeded', [
  { name: 'ApplicationStop', status: 'Succeeded', startTime: at(0), endTime: at(1) },
  { name: 'ApplicationStart', status: 'Succeeded', startTime: at(1), endTime: at(3) },
  { name: 'ValidateService', status: 'Succeeded', startTime: at(3), endTime: at(93) }
]);

describe('failures', () => {
  it('finds every failed event and explains it with the log tail', () => {
    const failures = failedEvents([ok, failing]);
    expect(failures.map((f) => [f.target, f.event.name])).toEqual([['i-2', 'ApplicationStart']]);
    expect(failureMessage(failures[0]!)).toEqual({
      title: 'i-2: ApplicationStart failed in scripts/start.sh',
      message: [
        'i-2 ApplicationStart failed (10.0s).',
        'errorCode: ScriptFailed',
        'scriptName: scripts/start.sh',
        'message: exit code 1',
        'logTail:',
        '[stderr]port | already <allocated>'
      ].join('\n')
    });
  });

  it('copes with a failure that has no diagnostics', () => {
    const bare = target('i-3', 'Failed', [{ name: 'DownloadBundle', status: 'Failed' }]);
    expect(failureMessage(failedEvents([bare])[0]!).message).toBe(
      'i-3 DownloadBundle failed.\nerrorCode: (none)\nscriptName: (none)\nmessage: (none)'
    );
  });
});

describe('stillRunning', () => {
  it('names the running event and how long it has run, and pending instances', () => {
    const hung = target('i-1', 'InProgress', [
      { name: 'ApplicationStop', status: 'Succeeded', startTime: at(0), endTime: at(1) },
      { name: 'ApplicationStart', status: 'InProgress', startTime: at(1) }
    ]);
    const waiting = target('i-2', 'Pending', []);
    expect(stillRunning([ok, hung, waiting], at(251))).toEqual([
      'i-1 (ApplicationStart for 4m 10s)',
      'i-2 (Pending)'
    ]);
    expect(stillRunning([], at(0))).toEqual([]);
  });
});

describe('lifecycleTable and summary', () => {
  it('lays out instances by event with durations', () => {
    const table = lifecycleTable([ok, failing]);
    expect(table.columns).toEqual([
      'Instance',
      'Status',
      'ApplicationStop',
      'ApplicationStart',
      'ValidateService',
      'Total'
    ]);
    expect(table.rows).toEqual([
      ['i-1', '✅ Succeeded', '✅ 1.0s', '✅ 2.0s', '✅ 1m 30s', '1m 33s'],
      ['i-2', '❌ Failed', '✅ 2.0s', '❌ 10.0s', '⏭', '12.0s']
    ]);
  });

  it('summarises a failure with its log tail and rollback', () => {
    const summary = buildSummary({
      application: 'web-app',
      group: 'production',
      deploymentId: 'd-ABCDEFGH1',
      status: 'Failed',
      overview: { Succeeded: 1, Failed: 1 },
      revisionUri: 's3://b/k.zip',
      eTag: 'e1',
      sha256: 'ff',
      bundleBytes: 2048,
      uploaded: false,
      elapsedMs: 95_000,
      targets: [ok, failing],
      waited: true,
      error: { code: 'HEALTH_CONSTRAINTS', message: 'too many failed' },
      rollback: { id: 'd-ROLLBACK1', status: 'Succeeded' },
      consoleUrl: 'https://console'
    });
    expect(summary.title).toBe('❌ codedeploy-trigger: d-ABCDEFGH1 Failed on web-app/production in 1m 35s');
    expect(summary.facts).toEqual(
      expect.arrayContaining([
        ['Bundle', '2.00 KiB, already in S3 (upload skipped)'],
        ['Error', 'HEALTH_CONSTRAINTS: too many failed'],
        ['Rollback', 'd-ROLLBACK1 (Succeeded)'],
        ['Revision', 's3://b/k.zip (ETag e1)']
      ])
    );
    expect(summary.details).toEqual([
      {
        summary: 'Log tail: i-2 ApplicationStart (scripts/start.sh)',
        body: '[stderr]port | already <allocated>'
      }
    ]);
  });

  it('titles the other outcomes', () => {
    const base = {
      application: 'a',
      group: 'g',
      deploymentId: 'd-1',
      revisionUri: '',
      targets: [],
      elapsedMs: 1000
    };
    expect(headline({ ...base, status: 'Created', waited: false })).toBe(
      '🚀 codedeploy-trigger: d-1 created for a/g (not waiting)'
    );
    expect(headline({ ...base, status: 'InProgress', waited: true, timedOut: true })).toBe(
      '⌛ codedeploy-trigger: d-1 still InProgress after 1.0s'
    );
    expect(headline({ ...base, status: 'Stopped', waited: true })).toBe(
      '🛑 codedeploy-trigger: d-1 Stopped on a/g in 1.0s'
    );
  });
});
