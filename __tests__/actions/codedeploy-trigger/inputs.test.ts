/** getInputs: every input validated, named in its error, before anything happens. */
import { afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { commitContext, getInputs } from '../../../src/actions/codedeploy-trigger/inputs.js';
import { withInputs } from '../../helpers/inputs.js';

let dir: string;
let restore: () => void = () => undefined;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'codedeploy-inputs-'));
});
afterEach(() => restore());

function inputs(values: Record<string, string>) {
  restore = withInputs({ application: 'app', 'deployment-group': 'web', ...values });
  return getInputs();
}

describe('getInputs', () => {
  it('reads a bundle run with its defaults', () => {
    const result = inputs({ bundle: dir, 's3-bucket': 'artifacts' });
    expect(result).toMatchObject({
      application: 'app',
      deploymentGroup: 'web',
      revision: { kind: 'bundle', directory: dir, bucket: 'artifacts', prefix: 'codedeploy/' },
      fileExistsBehavior: 'DISALLOW',
      ignoreApplicationStopFailures: false,
      autoRollback: 'group-default',
      wait: true,
      timeoutMs: 30 * 60_000,
      onActiveDeployment: 'wait',
      stopOnCancel: true
    });
    expect(result.deploymentConfig).toBeUndefined();
  });

  it('reads an existing revision', () => {
    expect(inputs({ 'revision-s3-uri': 's3://bkt/r/app.tgz' }).revision).toEqual({
      kind: 's3',
      location: { bucket: 'bkt', key: 'r/app.tgz', bundleType: 'tgz' }
    });
  });

  it('cuts a given description to 512 characters', () => {
    expect(
      inputs({ bundle: dir, 's3-bucket': 'artifacts', description: 'x'.repeat(600) }).description
    ).toHaveLength(512);
  });

  it.each([
    [{ application: '' }, "Input 'application': is required"],
    [{}, "Input 'bundle': is required unless revision-s3-uri is given"],
    [{ bundle: '.', 'revision-s3-uri': 's3://b/k.zip' }, "Input 'bundle': give either bundle"],
    [
      { 'revision-s3-uri': 's3://bkt/app.jar' },
      "Input 'revision-s3-uri': 's3://bkt/app.jar' does not end in .zip"
    ],
    [{ bundle: 'does-not-exist' }, "Input 'bundle': 'does-not-exist' is not a directory"],
    [{ bundle: 'DIR' }, "Input 's3-bucket': is required with bundle"],
    [
      { bundle: 'DIR', 's3-bucket': 'Bad_Bucket' },
      "Input 's3-bucket': 'Bad_Bucket' is not a valid S3 bucket name"
    ],
    [{ bundle: 'DIR', 's3-bucket': 'ok-bucket', 's3-prefix': 'a/../b' }, "Input 's3-prefix'"],
    [
      { 'revision-s3-uri': 's3://b12/k.zip', 'file-exists-behavior': 'overwrite' },
      "Input 'file-exists-behavior': 'overwrite' is not allowed"
    ],
    [
      { 'revision-s3-uri': 's3://b12/k.zip', 'auto-rollback': 'yes' },
      "Input 'auto-rollback': 'yes' is not allowed"
    ],
    [{ 'revision-s3-uri': 's3://b12/k.zip', wait: 'yes' }, "Input 'wait': 'yes' is not a boolean"],
    [
      { 'revision-s3-uri': 's3://b12/k.zip', timeout: 'forever' },
      "Input 'timeout': 'forever' is not a duration"
    ],
    [{ 'revision-s3-uri': 's3://b12/k.zip', timeout: '0s' }, "Input 'timeout': must be at least 1s"],
    [{ 'revision-s3-uri': 's3://b12/k.zip', timeout: '7h' }, "Input 'timeout': '7h' is too long"],
    [
      { 'revision-s3-uri': 's3://b12/k.zip', 'on-active-deployment': 'queue' },
      "Input 'on-active-deployment'"
    ],
    [{ 'revision-s3-uri': 's3://b12/k.zip', 'stop-on-cancel': 'no' }, "Input 'stop-on-cancel'"],
    [
      { 'revision-s3-uri': 's3://b12/k.zip', 'ignore-application-stop-failures': '1' },
      "Input 'ignore-application-stop-failures'"
    ],
    [{ 'revision-s3-uri': 's3://b12/k.zip', 'endpoint-url': 'ftp://x' }, "Input 'endpoint-url'"]
  ])('rejects %j', (values, message) => {
    const resolved = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v === 'DIR' ? dir : v]));
    expect(() => inputs(resolved)).toThrow(message);
  });
});

describe('commitContext', () => {
  it('reads the head commit message from the event payload', () => {
    const event = path.join(dir, 'event.json');
    writeFileSync(event, JSON.stringify({ head_commit: { message: 'Ship it' } }));
    expect(commitContext({ GITHUB_EVENT_PATH: event, GITHUB_SHA: 'abc' })).toMatchObject({
      message: 'Ship it',
      sha: 'abc'
    });
  });

  it('ignores a missing or unreadable payload', () => {
    const bad = path.join(dir, 'bad.json');
    writeFileSync(bad, '{not json');
    expect(commitContext({ GITHUB_EVENT_PATH: bad }).message).toBeUndefined();
    expect(commitContext({ GITHUB_EVENT_PATH: path.join(dir, 'none.json') }).message).toBeUndefined();
    expect(commitContext({}).message).toBeUndefined();
  });
});
