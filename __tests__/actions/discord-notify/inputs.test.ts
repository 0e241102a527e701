import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { getInputs, type Inputs } from '../../../src/actions/discord-notify/inputs.js';
import { withInputs } from '../../helpers/inputs.js';

const ID = '1234567890123456789';
const TOKEN = 'AbCdEf_gh-IJKLmnopQRSTuvwxyz0123456789abcdefghijklmnopqrstuvwxYZ01234';
const URL = `https://discord.com/api/webhooks/${ID}/${TOKEN}`;

let restore: () => void = () => undefined;
afterEach(() => restore());

/** Reads the inputs with what @actions/core prints (the ::add-mask:: commands) captured. */
function read(values: Record<string, string>): {
  inputs?: ReturnType<typeof getInputs>;
  error?: Error;
  out: string;
} {
  restore = withInputs(values);
  const writes: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    writes.push(String(chunk));
    return true;
  });
  try {
    return { inputs: getInputs(), out: writes.join('') };
  } catch (error) {
    return { error: error as Error, out: writes.join('') };
  } finally {
    spy.mockRestore();
  }
}

describe('getInputs', () => {
  it('skips without reading anything else when webhook-url is empty', () => {
    expect(read({ status: 'not even valid' }).inputs).toEqual({ webhook: undefined });
  });

  it('masks the URL and, separately, its token the moment it is read', () => {
    const { out } = read({ 'webhook-url': URL, status: 'success' });
    expect(out).toContain(`::add-mask::${URL}`);
    expect(out).toContain(`::add-mask::${TOKEN}`);
  });

  it('reads a full set of inputs', () => {
    const { inputs } = read({
      'webhook-url': `${URL}?thread_id=998877665544332211`,
      status: 'auto',
      'job-status': 'failure',
      title: 'api',
      fields: 'Env=prod',
      'mention-on-failure': 'role:123456789012345678',
      'message-id': '111111111111111111',
      'started-at': '2024-05-01T12:00:00Z',
      'fail-on-error': 'true',
      'max-attempts': '3',
      'max-retry-wait': '2m'
    });
    expect(inputs).toMatchObject({
      webhook: { id: ID, token: TOKEN, host: 'discord.com', threadId: '998877665544332211' },
      status: 'failure',
      title: 'api',
      fields: [{ name: 'Env', value: 'prod' }],
      mentions: [{ kind: 'role', id: '123456789012345678' }],
      threadId: '998877665544332211',
      messageId: '111111111111111111',
      startedAt: new Date('2024-05-01T12:00:00Z'),
      failOnError: true,
      maxAttempts: 3,
      maxRetryWaitMs: 120_000
    });
  });

  it.each([
    ['success', 'success'],
    ['failure', 'failure'],
    ['cancelled', 'cancelled'],
    ['Success', 'success']
  ])('status auto with job-status %s → %s', (jobStatus, status) => {
    expect((read({ 'webhook-url': URL, 'job-status': jobStatus }).inputs as Inputs).status).toBe(status);
  });

  it('defaults to fail-on-error false, 5 attempts, 60 s of waiting', () => {
    expect(read({ 'webhook-url': URL, status: 'started' }).inputs).toMatchObject({
      failOnError: false,
      maxAttempts: 5,
      maxRetryWaitMs: 60_000
    });
  });

  it.each<[string, Record<string, string>, RegExp]>([
    [
      'an unexpanded job-status (a local run)',
      { 'job-status': '${{ job.status }}' },
      /^Input 'job-status': is needed when status is auto/
    ],
    ['no job-status', {}, /^Input 'job-status': is needed when status is auto/],
    [
      'an unknown job-status',
      { 'job-status': 'skipped' },
      /^Input 'job-status': 'skipped' is not a job status/
    ],
    [
      'an unknown status',
      { status: 'done' },
      /^Input 'status': 'done' is not allowed; expected one of: success, failure, cancelled, started, skipped, auto/
    ],
    ['a field without =', { status: 'success', fields: 'no equals sign' }, /^Input 'fields': item 1/],
    [
      '@everyone',
      { status: 'failure', 'mention-on-failure': '@everyone' },
      /^Input 'mention-on-failure': '@everyone' is not allowed/
    ],
    [
      'a username with "discord"',
      { status: 'success', username: 'Discord Bot' },
      /^Input 'username': 'Discord Bot' is refused by Discord/
    ],
    [
      'a username over 80',
      { status: 'success', username: 'a'.repeat(81) },
      /^Input 'username': is longer than Discord's 80/
    ],
    [
      'a message-id that is not an id',
      { status: 'success', 'message-id': 'abc' },
      /^Input 'message-id': 'abc' is not a Discord id/
    ],
    [
      'thread-id with thread-name on a new post',
      { status: 'success', 'thread-id': '123456789012345678', 'thread-name': 'x' },
      /^Input 'thread-name': creates a new forum post/
    ],
    [
      'thread-name without thread-id on an edit',
      { status: 'success', 'message-id': '123456789012345678', 'thread-name': 'x' },
      /^Input 'thread-name': cannot find the message to edit; pass thread-id/
    ],
    [
      'a thread name over 100',
      { status: 'success', 'thread-name': 'a'.repeat(101) },
      /^Input 'thread-name': is longer than the 100/
    ],
    [
      'an ftp avatar',
      { status: 'success', 'avatar-url': 'ftp://x' },
      /^Input 'avatar-url': 'ftp:\/\/x' is not an http\(s\) URL/
    ],
    [
      'a relative url',
      { status: 'success', url: '/runs/1' },
      /^Input 'url': '\/runs\/1' is not an http\(s\) URL/
    ],
    [
      'a bad started-at',
      { status: 'success', 'started-at': 'yesterday' },
      /^Input 'started-at': 'yesterday' is not a time/
    ],
    ['0 attempts', { status: 'success', 'max-attempts': '0' }, /^Input 'max-attempts': 0 is out of range/],
    [
      'a wait budget over 15 minutes',
      { status: 'success', 'max-retry-wait': '1h' },
      /^Input 'max-retry-wait': '1h' is too long/
    ],
    [
      'fail-on-error yes',
      { status: 'success', 'fail-on-error': 'yes' },
      /^Input 'fail-on-error': 'yes' is not a boolean/
    ]
  ])('refuses %s', (_name, values, message) => {
    const { error } = read({ 'webhook-url': URL, ...values });
    expect(error?.message).toMatch(message);
  });

  it('refuses a bad webhook-url naming the input and never the token', () => {
    const { error } = read({ 'webhook-url': URL.replace('https:', 'http:'), status: 'success' });
    expect(error?.message).toMatch(
      /^Input 'webhook-url': must use https, not http; expected https:\/\/discord\.com/
    );
    expect(error?.message).not.toContain(TOKEN);
  });
});
