import { describe, expect, it } from '@jest/globals';
import {
  emptyManifest,
  metadataDigest,
  parseManifest,
  serializeManifest
} from '../../../src/actions/s3-static-sync/manifest.js';

describe('manifest', () => {
  it('round-trips, with sorted paths', () => {
    const manifest = emptyManifest();
    manifest.files['b.js'] = { sha256: 'b', size: 1, etag: '"x"', meta: 'm' };
    manifest.files['a/한글.txt'] = { sha256: 'a', size: 2, etag: null, meta: 'm' };
    const text = serializeManifest(manifest);
    expect(text.indexOf('a/한글.txt')).toBeLessThan(text.indexOf('b.js'));
    expect(parseManifest(text)).toEqual({ manifest });
  });

  it.each([
    ['not JSON', '{', 'not valid JSON'],
    ['another version', '{"version":2,"files":{}}', 'not a version 1 manifest'],
    ['no files', '{"version":1}', 'not a version 1 manifest'],
    ['null', 'null', 'not a version 1 manifest']
  ])('treats %s as empty', (_, text, problem) => {
    expect(parseManifest(text)).toEqual({
      manifest: emptyManifest(),
      problem: expect.stringContaining(problem)
    });
  });

  it('drops malformed entries and keeps the rest', () => {
    const text = JSON.stringify({
      version: 1,
      files: { ok: { sha256: 's', size: 1, etag: '"e"', meta: 'm' }, bad: { sha256: 1 }, worse: null }
    });
    expect(Object.keys(parseManifest(text).manifest.files)).toEqual(['ok']);
  });

  it('digests every metadata field', () => {
    const base = { contentType: 'text/html', cacheControl: 'no-cache' };
    const digests = new Set([
      metadataDigest(base),
      metadataDigest({ ...base, cacheControl: undefined }),
      metadataDigest({ ...base, contentType: 'text/plain' }),
      metadataDigest({ ...base, acl: 'public-read' }),
      metadataDigest({ ...base, storageClass: 'STANDARD_IA' }),
      metadataDigest({ ...base, serverSideEncryption: 'aws:kms' }),
      metadataDigest({ ...base, serverSideEncryption: 'aws:kms', kmsKeyId: 'k' })
    ]);
    expect(digests.size).toBe(7);
    expect(metadataDigest(base)).toBe(metadataDigest({ ...base }));
  });
});
