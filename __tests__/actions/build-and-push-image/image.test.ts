import { describe, expect, it } from '@jest/globals';
import { isLoopbackRegistry, parseImageName } from '../../../src/actions/build-and-push-image/image.js';

describe('parseImageName', () => {
  it.each([
    ['user/app', { name: 'user/app', registry: 'docker.io', path: 'user/app', kind: 'dockerhub' }],
    ['nginx', { name: 'nginx', registry: 'docker.io', path: 'library/nginx', kind: 'dockerhub' }],
    [
      'docker.io/user/app',
      { name: 'docker.io/user/app', registry: 'docker.io', path: 'user/app', kind: 'dockerhub' }
    ],
    ['ghcr.io/Org/App', { name: 'ghcr.io/org/app', registry: 'ghcr.io', path: 'org/app', kind: 'ghcr' }],
    [
      '123456789012.dkr.ecr.ap-northeast-2.amazonaws.com/team/app',
      {
        name: '123456789012.dkr.ecr.ap-northeast-2.amazonaws.com/team/app',
        registry: '123456789012.dkr.ecr.ap-northeast-2.amazonaws.com',
        path: 'team/app',
        kind: 'ecr',
        ecr: { account: '123456789012', region: 'ap-northeast-2' }
      }
    ],
    [
      '123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com/app',
      expect.objectContaining({ kind: 'ecr', ecr: { account: '123456789012', region: 'us-gov-west-1' } })
    ],
    [
      '123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/app',
      expect.objectContaining({ kind: 'ecr', ecr: { account: '123456789012', region: 'cn-north-1' } })
    ],
    [
      'localhost:5000/app',
      { name: 'localhost:5000/app', registry: 'localhost:5000', path: 'app', kind: 'other' }
    ],
    ['localhost/app', { name: 'localhost/app', registry: 'localhost', path: 'app', kind: 'other' }],
    [
      '127.0.0.1:5000/a/b/c',
      { name: '127.0.0.1:5000/a/b/c', registry: '127.0.0.1:5000', path: 'a/b/c', kind: 'other' }
    ],
    [
      'registry.example.com/my_team/my-app.v2',
      expect.objectContaining({ path: 'my_team/my-app.v2', kind: 'other' })
    ],
    ['  user/app  ', expect.objectContaining({ name: 'user/app' })]
  ])('%j', (input, expected) => {
    expect(parseImageName(input)).toEqual(expected);
  });

  it.each([
    ['user/app:latest', 'has a tag'],
    ['ghcr.io/org/app:v1', 'has a tag'],
    ['user/app@sha256:abc', 'has a digest'],
    ['user//app', 'is not a valid image name'],
    ['user/app-', 'is not a valid image name'],
    ['user/앱', 'is not a valid image name'],
    ['', 'is not a valid image name'],
    ['ghcr.io/', 'is not a valid image name'],
    ['bad_host.example.com/app', 'is not a valid registry host']
  ])('rejects %j', (input, message) => {
    expect(parseImageName(input)).toEqual(expect.stringContaining(message));
  });
});

describe('isLoopbackRegistry', () => {
  it.each([
    ['127.0.0.1:5000', true],
    ['127.1.2.3', true],
    ['localhost:5000', true],
    ['[::1]:5000', true],
    ['ghcr.io', false],
    ['10.0.0.5:5000', false],
    ['localhost.example.com', false]
  ])('isLoopbackRegistry(%j) is %s', (registry, expected) => {
    expect(isLoopbackRegistry(registry)).toBe(expected);
  });
});
