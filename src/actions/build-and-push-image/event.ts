/**
 * The facts about the triggering event that tags and labels depend on, read once from the GITHUB_* variables
 * and the event payload (GITHUB_EVENT_PATH), so everything downstream is pure.
 */
import { readFileSync } from 'node:fs';

export interface EventFacts {
  /** `push`, `pull_request`, `schedule`, `workflow_dispatch`, … */
  eventName: string;
  /** `refs/heads/main`, `refs/tags/v1.2.3`, `refs/pull/42/merge`. */
  ref: string;
  /** The commit the image is named after: the PR head for pull requests, else GITHUB_SHA. */
  sha: string;
  /** The repository's default branch, when the payload says. */
  defaultBranch?: string;
  /** The pull request number on pull_request events. */
  prNumber?: number;
  /** `owner/repo`. */
  repository?: string;
  /** `https://github.com`. */
  serverUrl: string;
}

export const PULL_REQUEST_EVENTS = new Set(['pull_request', 'pull_request_target']);

interface Payload {
  repository?: { default_branch?: string };
  pull_request?: { number?: number; head?: { sha?: string } };
  number?: number;
}

function readPayload(file: string | undefined): Payload {
  if (!file) return {};
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Payload;
  } catch {
    return {};
  }
}

/** Reads the event facts from the environment GitHub sets for every step. */
export function eventFactsFromEnv(env: NodeJS.ProcessEnv = process.env): EventFacts {
  const payload = readPayload(env.GITHUB_EVENT_PATH);
  const eventName = env.GITHUB_EVENT_NAME ?? '';
  const isPr = PULL_REQUEST_EVENTS.has(eventName);
  const prNumber = isPr ? (payload.pull_request?.number ?? payload.number) : undefined;
  const headSha = isPr ? payload.pull_request?.head?.sha : undefined;
  return {
    eventName,
    ref: env.GITHUB_REF ?? '',
    sha: headSha ?? env.GITHUB_SHA ?? '',
    defaultBranch: payload.repository?.default_branch,
    prNumber: typeof prNumber === 'number' ? prNumber : undefined,
    repository: env.GITHUB_REPOSITORY || undefined,
    serverUrl: (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '')
  };
}
