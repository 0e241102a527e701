import { afterEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { getInputs } from '../../../src/actions/cloudfront-invalidate/inputs.js';
import { withInputs } from '../../helpers/inputs.js';

let restore: (() => void) | undefined;
afterEach(() => restore?.());
const read = (values: Record<string, string>) => {
  restore = withInputs(values);
  return getInputs();
};
const ID = { 'distribution-id': 'E2EXAMPLE12345' };

describe('getInputs', () => {
  it('has the documented defaults', () => {
    expect(read({ ...ID, 'changed-paths': '["/a.html"]' })).toEqual({
      distributionId: 'E2EXAMPLE12345',
      distributionAlias: undefined,
      paths: [],
      changedPaths: ['/a.html'],
      sitePaths: undefined,
      originPath: undefined,
      maxPaths: 15,
      wait: true,
      timeoutMs: 20 * 60_000,
      failOnTimeout: false,
      callerReference: undefined,
      dryRun: false,
      awsRegion: 'us-east-1',
      endpointUrl: undefined
    });
  });

  it('encodes user paths and keeps already-encoded ones', () => {
    expect(read({ ...ID, paths: '/*\r\n/새 글.html\n# a comment\n/a%20b' }).paths).toEqual([
      '/*',
      '/%EC%83%88%20%EA%B8%80.html',
      '/a%20b'
    ]);
  });

  it('joins changed-paths with changed-paths-file (JSON or one per line, CRLF too)', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cf-inputs-'));
    try {
      writeFileSync(path.join(dir, 'a.txt'), '/x.js\r\n/y.js\r\n');
      writeFileSync(path.join(dir, 'b.json'), '["/z.js"]');
      expect(
        read({ ...ID, 'changed-paths': '["/w.js"]', 'changed-paths-file': path.join(dir, 'a.txt') })
          .changedPaths
      ).toEqual(['/w.js', '/x.js', '/y.js']);
      expect(read({ ...ID, 'site-paths-file': path.join(dir, 'b.json'), paths: '/*' }).sitePaths).toEqual([
        '/z.js'
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('accepts an empty change list (nothing to do) as given', () => {
    expect(read({ ...ID, 'changed-paths': '[]' }).changedPaths).toEqual([]);
  });

  it.each([
    [
      {},
      "Input 'distribution-id': is required (or give distribution-alias, the CNAME such as www.example.com)."
    ],
    [
      { ...ID, 'distribution-alias': 'a.example.com' },
      "Input 'distribution-alias': give either distribution-id or distribution-alias, not both."
    ],
    [
      { 'distribution-id': 'e2example' },
      "Input 'distribution-id': 'e2example' is not a CloudFront distribution id; expected upper-case letters and digits like E2QWRUHAPOMQZL."
    ],
    [
      ID,
      "Input 'changed-paths': nothing to invalidate: give changed-paths (the s3-static-sync output), changed-paths-file or paths."
    ],
    [
      { ...ID, 'changed-paths': '{"a":1}' },
      'Input \'changed-paths\': must be a JSON array of strings, like ["/index.html", "/assets/app.js"].'
    ],
    [
      { ...ID, 'changed-paths': '["/a", 3]' },
      'Input \'changed-paths\': must be a JSON array of strings, like ["/index.html", "/assets/app.js"].'
    ],
    [{ ...ID, 'site-paths': 'nope', paths: '/*' }, "Input 'site-paths': is not valid JSON"],
    [
      { ...ID, paths: 'index.html' },
      "Input 'paths': 'index.html' does not start with '/'; expected paths like /index.html or /assets/*."
    ],
    [
      { ...ID, paths: '/a*/b' },
      "Input 'paths': '/a*/b' has a '*' that is not the last character; expected paths like /index.html or /assets/*."
    ],
    [
      { ...ID, paths: '/*', 'max-paths': '3001' },
      "Input 'max-paths': 3001 is out of range; expected a whole number from 1 to 3000."
    ],
    [{ ...ID, paths: '/*', timeout: 'soon' }, "Input 'timeout': 'soon' is not a duration"],
    [{ ...ID, paths: '/*', timeout: '7h' }, "Input 'timeout': '7h' is too long"],
    [{ ...ID, paths: '/*', wait: 'yes' }, "Input 'wait': 'yes' is not a boolean; expected true or false."],
    [
      { ...ID, paths: '/*', 'fail-on-timeout': '1' },
      "Input 'fail-on-timeout': '1' is not a boolean; expected true or false."
    ],
    [
      { ...ID, paths: '/*', 'endpoint-url': 'ftp://x' },
      "Input 'endpoint-url': 'ftp://x' must use http or https."
    ],
    [
      { ...ID, 'changed-paths-file': '/nonexistent/c.json' },
      "Input 'changed-paths-file': cannot read '/nonexistent/c.json' (ENOENT)."
    ]
  ])('%j → %s', (values, message) => {
    expect(() => read(values)).toThrow(message);
  });
});
