import { describe, expect, it } from '@jest/globals';
import {
  allowedMentions,
  buildMessage,
  editBody,
  githubFacts,
  pingMessage,
  STATUSES,
  type ContextLike,
  type GitHubFacts,
  type MessageInput
} from '../../../src/actions/discord-notify/message.js';
import type { Mention } from '../../../src/actions/discord-notify/parse.js';
import { pings } from '../../fakes/discord-server.mjs';

const SHA = 'abcdef1234567890abcdef1234567890abcdef12';
const push: ContextLike = {
  payload: { head_commit: { message: '배포: 결제 API 🚀\n\nlong body' } },
  eventName: 'push',
  sha: SHA,
  ref: 'refs/heads/feat_new',
  workflow: 'Deploy',
  actor: 'octocat',
  job: 'deploy',
  runId: 99,
  runNumber: 7,
  runAttempt: 1,
  serverUrl: 'https://github.com'
};
const NOW = new Date('2024-05-01T12:00:00Z');
const ROLE: Mention = { kind: 'role', id: '123456789012345678' };
const USER: Mention = { kind: 'user', id: '876543210987654321' };
const input = (over: Partial<MessageInput> = {}): MessageInput => ({
  status: 'success',
  fields: [],
  mentions: [],
  ...over
});

describe('githubFacts', () => {
  it('reads a push: branch, commit subject, actor, run', () => {
    expect(githubFacts(push, 'acme/api')).toEqual({
      repository: { name: 'acme/api', url: 'https://github.com/acme/api' },
      ref: { label: 'Branch', text: 'feat\\_new', url: 'https://github.com/acme/api/tree/feat_new' },
      commit: { sha: SHA, url: `https://github.com/acme/api/commit/${SHA}`, subject: '배포: 결제 API 🚀' },
      actor: {
        name: 'octocat',
        url: 'https://github.com/octocat',
        icon: 'https://github.com/octocat.png?size=64'
      },
      event: 'push',
      workflow: 'Deploy',
      job: 'deploy',
      run: { number: 7, attempt: 1, url: 'https://github.com/acme/api/actions/runs/99' }
    });
  });

  it('reads a pull request: its number, title and head commit', () => {
    const facts = githubFacts(
      {
        ...push,
        eventName: 'pull_request',
        ref: 'refs/pull/12/merge',
        sha: 'merge0000000000000000000000000000000000',
        payload: {
          pull_request: {
            number: 12,
            title: 'Add *payments*',
            html_url: 'https://github.com/acme/api/pull/12',
            head: { sha: SHA }
          }
        }
      },
      'acme/api'
    );
    expect(facts.ref).toEqual({
      label: 'Pull request',
      text: '#12 Add \\*payments\\*',
      url: 'https://github.com/acme/api/pull/12'
    });
    expect(facts.commit?.sha).toBe(SHA);
  });

  it.each([
    [
      'a tag',
      { ref: 'refs/tags/v1.2.0' },
      'ref',
      { label: 'Tag', text: 'v1.2.0', url: 'https://github.com/acme/api/releases/tag/v1.2.0' }
    ],
    [
      'a re-run',
      { runAttempt: 3 },
      'run',
      { number: 7, attempt: 3, url: 'https://github.com/acme/api/actions/runs/99/attempts/3' }
    ],
    [
      'a bot',
      { actor: 'dependabot[bot]' },
      'actor',
      { name: 'dependabot[bot]', url: 'https://github.com/apps/dependabot' }
    ],
    [
      'GitHub Enterprise',
      { serverUrl: 'https://ghe.example/' },
      'repository',
      { name: 'acme/api', url: 'https://ghe.example/acme/api' }
    ],
    [
      'a commit subject from git when the payload has none',
      { payload: {} },
      'commit',
      { sha: SHA, url: `https://github.com/acme/api/commit/${SHA}`, subject: 'from git' }
    ]
  ] as Array<[string, Partial<ContextLike>, keyof GitHubFacts, unknown]>)(
    'reads %s',
    (_name, over, key, expected) => {
      expect(githubFacts({ ...push, ...over } as ContextLike, 'acme/api', 'from git')[key]).toEqual(expected);
    }
  );
});

describe('buildMessage', () => {
  const facts = githubFacts(push, 'acme/api');

  it.each(STATUSES.map((s) => [s]))('status %s has its colour, emoji and label in the title', (status) => {
    const embed = buildMessage(input({ status }), facts, NOW).embeds?.[0];
    const expected = {
      started: ['🚀 Deploying… — Deploy', 0x0969da],
      success: ['✅ Succeeded — Deploy', 0x1f883d],
      failure: ['❌ Failed — Deploy', 0xcf222e],
      cancelled: ['🚫 Cancelled — Deploy', 0x8c959f],
      skipped: ['⏭️ Skipped — Deploy', 0xbf8700]
    }[status];
    expect([embed?.title, embed?.color]).toEqual(expected);
  });

  it('shows the GitHub facts, links the title to the run and stamps the time', () => {
    const embed = buildMessage(input({ title: 'api to production' }), facts, NOW).embeds?.[0];
    expect(embed?.title).toBe('✅ Succeeded — api to production');
    expect(embed?.url).toBe('https://github.com/acme/api/actions/runs/99');
    expect(embed?.timestamp).toBe('2024-05-01T12:00:00.000Z');
    expect(embed?.author).toEqual({
      name: 'octocat',
      url: 'https://github.com/octocat',
      icon_url: 'https://github.com/octocat.png?size=64'
    });
    expect(embed?.fields?.map((f) => [f.name, f.value])).toEqual([
      ['Repository', '[acme/api](https://github.com/acme/api)'],
      ['Branch', '[feat\\_new](https://github.com/acme/api/tree/feat_new)'],
      ['Event', 'push'],
      ['Commit', `[\`abcdef1\`](https://github.com/acme/api/commit/${SHA}) 배포: 결제 API 🚀`],
      ['Run', '[#7](https://github.com/acme/api/actions/runs/99)']
    ]);
    expect(embed?.footer).toEqual({ text: 'Deploy · deploy' });
  });

  it('adds Duration on a final status only', () => {
    const names = (status: MessageInput['status']) =>
      buildMessage(input({ status, elapsedMs: 125_000 }), facts, NOW).embeds?.[0]?.fields?.map((f) => f.name);
    expect(names('success')).toContain('Duration');
    expect(buildMessage(input({ elapsedMs: 125_000 }), facts, NOW).embeds?.[0]?.fields?.at(-1)).toEqual({
      name: 'Duration',
      value: '2m 05s',
      inline: true
    });
    expect(names('started')).not.toContain('Duration');
    expect(buildMessage(input(), facts, NOW).embeds?.[0]?.fields?.map((f) => f.name)).not.toContain(
      'Duration'
    );
  });

  it('appends custom fields, side by side when short and on one line', () => {
    const fields = buildMessage(
      input({
        fields: [
          { name: 'Env', value: 'prod' },
          { name: 'Notes', value: 'a\nb' },
          { name: 'Long', value: 'x'.repeat(41) }
        ]
      }),
      facts,
      NOW
    ).embeds?.[0]?.fields?.slice(-3);
    expect(fields?.map((f) => f.inline)).toEqual([true, false, false]);
  });

  it('keeps the url, description, username, avatar and thread name', () => {
    const message = buildMessage(
      input({
        url: 'https://api.example',
        description: 'd',
        username: 'Deploy bot',
        avatarUrl: 'https://a.example/x.png',
        threadName: 'Release 1.2'
      }),
      facts,
      NOW
    );
    expect(message.embeds?.[0]?.url).toBe('https://api.example');
    expect(message.embeds?.[0]?.description).toBe('d');
    expect([message.username, message.avatar_url, message.thread_name]).toEqual([
      'Deploy bot',
      'https://a.example/x.png',
      'Release 1.2'
    ]);
  });
});

describe('mentions only on failure', () => {
  const facts = githubFacts(push, 'acme/api');
  it.each(STATUSES.map((s) => [s]))('status %s', (status) => {
    const message = buildMessage(
      input({ status, mentions: [ROLE, USER], content: 'hey @everyone <@111111111111111111>' }),
      facts,
      NOW
    );
    const notified = pings(message.content, message.allowed_mentions);
    if (status === 'failure') {
      expect(message.content).toBe(`<@&${ROLE.id}> <@${USER.id}> hey @everyone <@111111111111111111>`);
      expect(message.allowed_mentions).toEqual({ parse: [], users: [USER.id], roles: [ROLE.id] });
      expect(notified).toEqual({ users: [USER.id], roles: [ROLE.id], everyone: false });
    } else {
      expect(message.content).toBe('hey @everyone <@111111111111111111>');
      expect(message.allowed_mentions).toEqual({ parse: [] });
      expect(notified).toEqual({ users: [], roles: [], everyone: false });
    }
  });

  it('allows nothing at all when there is nobody to mention', () => {
    expect(allowedMentions([], 'failure')).toEqual({ parse: [] });
  });
});

describe('editBody and pingMessage', () => {
  const facts = githubFacts(push, 'acme/api');

  it('an edit carries only what PATCH accepts, and clears the old content', () => {
    const message = buildMessage(
      input({ username: 'bot', avatarUrl: 'https://a.example/x.png', threadName: 't' }),
      facts,
      NOW
    );
    const body = editBody(message);
    expect(Object.keys(body).sort()).toEqual(['allowed_mentions', 'content', 'embeds']);
    expect(body.content).toBe('');
  });

  it('the ping after an edited failure mentions exactly the ids and names the run', () => {
    const i = input({ status: 'failure', mentions: [ROLE], username: 'bot' });
    const ping = pingMessage(i, facts, buildMessage(i, facts, NOW));
    expect(ping.content).toBe(
      `<@&${ROLE.id}> ❌ Failed — Deploy (https://github.com/acme/api/actions/runs/99)`
    );
    expect(ping.allowed_mentions).toEqual({ parse: [], users: [], roles: [ROLE.id] });
    expect(ping.username).toBe('bot');
    expect(ping.embeds).toBeUndefined();
  });
});
