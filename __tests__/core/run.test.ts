import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError, InputError } from '../../src/core/errors.js';
import { runAction } from '../../src/core/run.js';
import { maskSecret } from '../../src/core/secrets.js';

function capture(): { out: () => string; restore: () => void } {
  const writes: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    writes.push(String(chunk));
    return true;
  });
  return { out: () => writes.join(''), restore: () => spy.mockRestore() };
}

afterEach(() => {
  process.exitCode = undefined;
  delete process.env.RUNNER_DEBUG;
});

describe('runAction', () => {
  it('leaves the exit code alone on success', async () => {
    const c = capture();
    await runAction(async () => undefined);
    c.restore();
    expect(process.exitCode).toBeUndefined();
    expect(c.out()).not.toContain('::error::');
  });

  it('fails a user error with its message and no stack', async () => {
    process.env.RUNNER_DEBUG = '1';
    const c = capture();
    await runAction(async () => {
      throw new InputError('bucket', 'is required but was not given.');
    });
    c.restore();
    expect(process.exitCode).toBe(1);
    expect(c.out()).toContain("::error::Input 'bucket': is required but was not given.");
    expect(c.out()).not.toContain('::debug::');
  });

  it('fails a config error with its message', async () => {
    const c = capture();
    await runAction(async () => {
      throw new ConfigError('bucket "x" does not exist');
    });
    c.restore();
    expect(c.out()).toContain('::error::bucket "x" does not exist');
  });

  it('shows the stack of a bug under debug', async () => {
    process.env.RUNNER_DEBUG = '1';
    const c = capture();
    await runAction(async () => {
      throw new TypeError('cannot read x of undefined');
    });
    c.restore();
    expect(process.exitCode).toBe(1);
    expect(c.out()).toMatch(/::debug::TypeError: cannot read x of undefined%0A\s+at /);
    expect(c.out()).toContain('::error::cannot read x of undefined');
  });

  it('fails a thrown non-Error value too', async () => {
    const c = capture();
    await runAction(async () => {
      throw 'plain string';
    });
    c.restore();
    expect(c.out()).toContain('::error::plain string');
  });
});

describe('runAction on a runner writes a job summary for a failure nothing else summarised', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'run-summary-'));
  });
  afterAll(() => {
    delete process.env.GITHUB_STEP_SUMMARY;
    rmSync(dir, { recursive: true, force: true });
  });

  it('says what failed, redacts masked secrets, and never adds a second summary', async () => {
    const file = path.join(dir, 'summary.md');
    writeFileSync(file, '');
    process.env.GITHUB_STEP_SUMMARY = file;
    const c = capture();
    // Without an action name (a post step) nothing is written.
    await runAction(async () => {
      throw new ConfigError('post failed');
    });
    const afterPost = readFileSync(file, 'utf8');
    maskSecret('hunter2-password');
    await runAction(async () => {
      throw new ConfigError('cannot connect as admin:hunter2-password@db');
    }, 'flyway-migrate');
    const afterMain = readFileSync(file, 'utf8');
    // The next failure in this process finds a summary already written and leaves it alone.
    await runAction(async () => {
      throw new TypeError('second failure');
    }, 'flyway-migrate');
    c.restore();
    expect(afterPost).toBe('');
    expect(afterMain).toContain('### ❌ flyway-migrate failed');
    expect(afterMain).toContain('| **Error** | cannot connect as admin:***@db |');
    expect(afterMain).not.toContain('hunter2');
    expect(readFileSync(file, 'utf8')).toBe(afterMain);
    expect(c.out()).toContain('::add-mask::hunter2-password');
  });
});
