import { describe, expect, it } from '@jest/globals';
import { ConfigError } from '../../../src/core/errors.js';
import { MemoryLogger } from '../../../src/core/logger.js';
import { connect, explainConnectError, isNetworkError } from '../../../src/actions/flyway-migrate/connect.js';
import { javaHashCode, mysqlLockName, postgresLockKey } from '../../../src/actions/flyway-migrate/dialect.js';
import { parseDatabaseUrl, type DatabaseUrl } from '../../../src/actions/flyway-migrate/url.js';

const url = (raw: string) => parseDatabaseUrl(raw) as DatabaseUrl;
const err = (code: string, message: string) => Object.assign(new Error(message), { code });

describe('Flyway lock keys (§6)', () => {
  it('uses Java String.hashCode', () => {
    expect(javaHashCode('')).toBe(0);
    expect(javaHashCode('hello')).toBe(99162322);
    expect(javaHashCode('polygenelubricants')).toBe(-2147483648);
  });

  it('matches the spec examples', () => {
    expect(mysqlLockName('`flyway`.`flyway_schema_history`')).toBe('Flyway-205212893');
    expect(postgresLockKey('"public"."flyway_schema_history"')).toBe('77433833903597');
  });
});

describe('connection errors', () => {
  it.each([
    ['ECONNREFUSED', true],
    ['ETIMEDOUT', true],
    ['ENOTFOUND', true],
    ['57P03', true],
    ['28P01', false],
    ['ER_ACCESS_DENIED_ERROR', false]
  ])('%s is a network error: %s', (code, expected) => {
    expect(isNetworkError(err(code, 'x'))).toBe(expected);
  });

  it('explains an unreachable private database and scrubs the password', () => {
    const message = explainConnectError(
      err('ETIMEDOUT', 'connect ETIMEDOUT 10.0.1.5:3306 s3cret'),
      url('jdbc:mysql://10.0.1.5:3306/app'),
      4,
      's3cret'
    );
    expect(message).toContain(
      'Could not connect to the MySQL/MariaDB database at 10.0.1.5:3306 after 4 attempts: 10.0.1.5:3306 did not answer (ETIMEDOUT).'
    );
    expect(message).toContain('cannot be reached from GitHub-hosted runners');
    expect(message).toContain('self-hosted runner inside the VPC');
    expect(message).not.toContain('s3cret');
  });

  it('explains a host that does not resolve and a refused login', () => {
    expect(
      explainConnectError(
        err('ENOTFOUND', 'getaddrinfo ENOTFOUND db.internal'),
        url('postgres://db.internal/app'),
        1
      )
    ).toContain('the host name db.internal does not resolve from this runner');
    expect(
      explainConnectError(
        err('28P01', 'password authentication failed for user "app"'),
        url('postgres://db/app'),
        1
      )
    ).toMatch(
      /^The database at db:5432 refused the login: password authentication failed for user "app"\nCheck the user and password/
    );
  });

  it('retries a refused connection with doubling backoff, then fails with the explanation', async () => {
    const waits: number[] = [];
    const logger = new MemoryLogger();
    const attempt = connect({
      url: url('jdbc:postgresql://127.0.0.1:1/app'),
      user: 'u',
      password: 'pw-secret',
      retries: 3,
      retryIntervalCapSec: 2,
      timeoutMs: 2000,
      logger,
      sleep: async (ms) => {
        waits.push(ms);
      }
    });
    await expect(attempt).rejects.toThrow(ConfigError);
    await expect(attempt).rejects.toThrow(
      'Could not connect to the PostgreSQL database at 127.0.0.1:1 after 4 attempts: nothing accepted the connection on 127.0.0.1:1 (ECONNREFUSED).'
    );
    expect(waits).toEqual([1000, 2000, 2000]);
    expect(logger.messages('info')).toHaveLength(3);
    expect(logger.text()).not.toContain('pw-secret');
  });
});
