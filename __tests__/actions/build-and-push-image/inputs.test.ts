import { afterEach, describe, expect, it } from '@jest/globals';
import type { EventFacts } from '../../../src/actions/build-and-push-image/event.js';
import { getInputs } from '../../../src/actions/build-and-push-image/inputs.js';
import { withInputs } from '../../helpers/inputs.js';

let restore: () => void = () => undefined;
afterEach(() => restore());

const PUSH: EventFacts = {
  eventName: 'push',
  ref: 'refs/heads/main',
  sha: 'abc',
  serverUrl: 'https://github.com'
};
const PR: EventFacts = { ...PUSH, eventName: 'pull_request', ref: 'refs/pull/1/merge', prNumber: 1 };

function read(values: Record<string, string>, facts: EventFacts = PUSH) {
  restore = withInputs({ image: 'acme/api', ...values });
  return getInputs(facts);
}

describe('getInputs', () => {
  it('has sensible defaults', () => {
    const inputs = read({});
    expect(inputs).toEqual(
      expect.objectContaining({
        context: '.',
        file: undefined,
        push: true,
        cache: 'none',
        provenance: 'auto',
        sourceDateEpoch: 'auto',
        builder: 'auto',
        buildahStorageDriver: 'vfs',
        buildahIsolation: 'chroot',
        tlsVerify: true,
        platforms: []
      })
    );
    expect(inputs.tagRules.map((r) => r.type)).toEqual([
      'branch',
      'pr',
      'semver',
      'semver',
      'semver',
      'schedule',
      'sha',
      'latest'
    ]);
  });

  it('does not push on pull requests unless told to', () => {
    expect(read({}, PR).push).toBe(false);
    expect(read({ push: 'true' }, PR).push).toBe(true);
    expect(read({ push: 'false' }).push).toBe(false);
  });

  it('turns TLS verification off by default only for loopback registries', () => {
    expect(read({ image: '127.0.0.1:5000/app' }).tlsVerify).toBe(false);
    expect(read({ image: 'localhost:5000/app' }).tlsVerify).toBe(false);
    expect(read({ image: '127.0.0.1:5000/app', 'tls-verify': 'true' }).tlsVerify).toBe(true);
    expect(read({ image: 'registry.internal:5000/app', 'tls-verify': 'false' }).tlsVerify).toBe(false);
  });

  it('reads lists and maps', () => {
    const inputs = read({
      platforms: 'linux/amd64, linux/arm64\nlinux/arm/v7',
      'build-args': 'A=1\r\nB=x=y',
      labels: 'com.example.team=backend',
      secrets: 'npm=tok=en',
      'source-date-epoch': '1700000000'
    });
    expect(inputs.platforms).toEqual(['linux/amd64', 'linux/arm64', 'linux/arm/v7']);
    expect([...inputs.buildArgs]).toEqual([
      ['A', '1'],
      ['B', 'x=y']
    ]);
    expect([...inputs.secrets]).toEqual([['npm', 'tok=en']]);
    expect(inputs.sourceDateEpoch).toBe(1700000000);
  });

  it('treats an unexpanded ${{ github.token }} default as no token', () => {
    expect(read({ 'github-token': '${{ github.token }}' }).githubToken).toBeUndefined();
    expect(read({ 'github-token': 'ghs_abc' }).githubToken).toBe('ghs_abc');
  });

  it.each([
    [{ image: '' }, "Input 'image': is required"],
    [{ image: 'acme/api:latest' }, "Input 'image': 'acme/api:latest' has a tag"],
    [{ tags: 'sha\nbogus' }, "Input 'tags': line 2: 'bogus': unknown rule 'bogus'"],
    [{ platforms: 'amd64' }, "Input 'platforms': 'amd64' is not a platform"],
    [{ push: 'yes' }, "Input 'push': 'yes' is not a boolean"],
    [{ cache: 's3' }, "Input 'cache': 's3' is not allowed; expected one of: gha, registry, none."],
    [{ 'cache-ref': 'Not A Ref' }, "Input 'cache-ref': 'Not A Ref' is not an image reference"],
    [{ provenance: 'yes' }, "Input 'provenance': 'yes' is not allowed"],
    [{ 'source-date-epoch': 'yesterday' }, "Input 'source-date-epoch': 'yesterday' is not allowed"],
    [
      { 'registry-username': 'me' },
      "Input 'registry-password': is required when registry-username is given."
    ],
    [
      { 'registry-password': 'pw' },
      "Input 'registry-username': is required when registry-password is given."
    ],
    [{ builder: 'podman' }, "Input 'builder': 'podman' is not allowed"],
    [
      { 'buildah-storage-driver': 'over lay' },
      "Input 'buildah-storage-driver': 'over lay' is not a storage driver"
    ],
    [{ 'buildah-isolation': 'none' }, "Input 'buildah-isolation': 'none' is not allowed"],
    [{ 'tls-verify': 'off' }, "Input 'tls-verify': 'off' is not allowed"],
    [{ 'aws-region': 'Seoul' }, "Input 'aws-region': 'Seoul' is not an AWS region"],
    [{ 'endpoint-url': 'ftp://x' }, "Input 'endpoint-url': 'ftp://x' must use http or https."],
    [{ target: 'my stage' }, "Input 'target': 'my stage' is not a build stage name."],
    [{ 'build-args': 'NOEQUALS' }, "Input 'build-args': item 1 ('NOEQUALS') is not key=value."],
    [{ secrets: 'bad id=x' }, "Input 'secrets': secret id 'bad id' may only hold"]
  ])('rejects %j', (values, message) => {
    expect(() => read(values)).toThrow(message);
  });

  it('does not echo a malformed secret line', () => {
    let message = '';
    try {
      read({ secrets: 'hunter2-no-equals' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^Input 'secrets': item 1 is not key=value/);
    expect(message).not.toContain('hunter2');
  });
});
