import { afterAll, afterEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { getInputs } from '../../../src/actions/s3-static-sync/inputs.js';
import { withInputs } from '../../helpers/inputs.js';

const source = mkdtempSync(path.join(tmpdir(), 's3-static-sync-inputs-'));
const aFile = path.join(source, 'file.txt');
writeFileSync(aFile, 'x');

let restore: () => void = () => undefined;
afterEach(() => restore());
afterAll(() => rmSync(source, { recursive: true, force: true }));

function read(values: Record<string, string>) {
  restore = withInputs({ source, bucket: 'my-site', ...values });
  return getInputs();
}

describe('getInputs', () => {
  it('applies the defaults', () => {
    const inputs = read({});
    expect(inputs).toMatchObject({
      source,
      bucket: 'my-site',
      prefix: '',
      delete: false,
      include: [],
      exclude: [],
      includeHidden: false,
      cacheControl: [],
      contentType: [],
      concurrency: 16,
      dryRun: false,
      maxDelete: { share: 0.5 },
      forcePathStyle: false,
      multipartThreshold: 8 * 1024 * 1024
    });
    expect(inputs.acl).toBeUndefined();
  });

  it('reads everything given', () => {
    const inputs = read({
      prefix: '/app/',
      delete: 'true',
      exclude: '*.map\n.DS_Store',
      include: '**/*',
      'include-hidden': 'true',
      'cache-control': '*.html: no-cache',
      'content-type': '*.wasm: application/wasm',
      concurrency: '4',
      'dry-run': 'true',
      'max-delete': '10',
      'endpoint-url': 'http://127.0.0.1:9000',
      'force-path-style': 'true',
      acl: 'public-read',
      'storage-class': 'STANDARD_IA',
      'server-side-encryption': 'aws:kms',
      'kms-key-id': 'alias/site',
      'multipart-threshold': '5MiB'
    });
    expect(inputs).toMatchObject({
      prefix: 'app/',
      delete: true,
      exclude: ['*.map', '.DS_Store'],
      include: ['**/*'],
      includeHidden: true,
      concurrency: 4,
      dryRun: true,
      maxDelete: { count: 10 },
      endpoint: 'http://127.0.0.1:9000',
      forcePathStyle: true,
      checksums: 'when-required',
      acl: 'public-read',
      storageClass: 'STANDARD_IA',
      serverSideEncryption: 'aws:kms',
      kmsKeyId: 'alias/site',
      multipartThreshold: 5 * 1024 * 1024
    });
    expect(inputs.cacheControl.map((r) => r.value)).toEqual(['no-cache']);
  });

  it('sends checksums when supported on AWS, only when required elsewhere, unless told', () => {
    expect(read({}).checksums).toBe('when-supported');
    expect(read({ 'endpoint-url': 'https://r2.example.com' }).checksums).toBe('when-required');
    expect(read({ 'endpoint-url': 'https://r2.example.com', checksums: 'when-supported' }).checksums).toBe(
      'when-supported'
    );
  });

  it.each([
    [{ source: '' }, "Input 'source': is required"],
    [{ source: path.join(source, 'nope') }, "Input 'source': '"],
    [{ source: aFile }, "Input 'source': '" + aFile + "' is a file"],
    [{ bucket: 's3://my-site/app' }, "Input 'bucket': 's3://my-site/app' is a URL"],
    [{ bucket: 'a' }, "Input 'bucket': 'a' is not a bucket name"],
    [{ prefix: 'a/../b' }, "Input 'prefix': 'a/../b' has an empty"],
    [{ 'max-delete': 'lots' }, "Input 'max-delete': 'lots' is not a limit"],
    [{ 'max-delete': '150%' }, "Input 'max-delete': '150%' is not a limit"],
    [
      { 'cache-control': '*.html no-cache' },
      "Input 'cache-control': line 1 ('*.html no-cache') is not a rule"
    ],
    [
      { 'content-type': '*.wasm: wasm' },
      "Input 'content-type': line 1 ('*.wasm: wasm'): 'wasm' is not a content type"
    ],
    [{ concurrency: '0' }, "Input 'concurrency': 0 is out of range"],
    [{ delete: 'yes' }, "Input 'delete': 'yes' is not a boolean"],
    [{ 'endpoint-url': 'minio:9000' }, "Input 'endpoint-url': 'minio:9000' must use http or https"],
    [{ acl: 'public' }, "Input 'acl': 'public' is not allowed"],
    [{ 'server-side-encryption': 'kms' }, "Input 'server-side-encryption': 'kms' is not allowed"],
    [{ 'kms-key-id': 'alias/x' }, "Input 'kms-key-id': needs server-side-encryption: aws:kms"],
    [{ 'multipart-threshold': '1MiB' }, "Input 'multipart-threshold': '1MiB' is not a size from 5MiB"],
    [{ checksums: 'always' }, "Input 'checksums': 'always' is not allowed"]
  ])('refuses %j', (values, message) => {
    expect(() => read(values)).toThrow(message);
  });
});
