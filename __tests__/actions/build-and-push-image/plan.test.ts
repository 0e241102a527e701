import { describe, expect, it } from '@jest/globals';
import { parseImageName, type ImageName } from '../../../src/actions/build-and-push-image/image.js';
import {
  buildahBudArgs,
  buildahCacheRepo,
  buildahLoginArgs,
  buildahPushArgs,
  dockerBuildArgs,
  dockerLoginArgs,
  imageRefs,
  type BuildPlan
} from '../../../src/actions/build-and-push-image/plan.js';

function image(name: string): ImageName {
  const parsed = parseImageName(name);
  if (typeof parsed === 'string') throw new Error(parsed);
  return parsed;
}

const ECR = '123456789012.dkr.ecr.ap-northeast-2.amazonaws.com/api';

function plan(overrides: Partial<BuildPlan> = {}): BuildPlan {
  const img = overrides.image ?? image('acme/api');
  return {
    image: img,
    refs: imageRefs(img, ['main', 'sha-0123456']),
    context: '.',
    labels: { 'org.opencontainers.image.revision': 'abc' },
    buildArgs: [],
    secrets: [],
    platforms: [],
    push: true,
    cache: 'none',
    provenance: 'auto',
    tlsVerify: true,
    ...overrides
  };
}

const META = '/tmp/cfg/metadata.json';
const BASE = [
  'buildx',
  'build',
  '--tag',
  'acme/api:main',
  '--tag',
  'acme/api:sha-0123456',
  '--label',
  'org.opencontainers.image.revision=abc'
];

describe('docker buildx build arguments', () => {
  it.each<[string, Partial<BuildPlan>, string[]]>([
    ['the defaults: push, metadata file, context', {}, [...BASE, '--push', '--metadata-file', META, '.']],
    ['push false: no --push', { push: false }, [...BASE, '--metadata-file', META, '.']],
    [
      'file and context',
      { file: 'docker/api.Dockerfile', context: 'services/api' },
      [
        'buildx',
        'build',
        '--file',
        'docker/api.Dockerfile',
        ...BASE.slice(2),
        '--push',
        '--metadata-file',
        META,
        'services/api'
      ]
    ],
    [
      'build args in order, then SOURCE_DATE_EPOCH',
      {
        buildArgs: [
          ['NODE_ENV', 'production'],
          ['VERSION', '1.2.3']
        ],
        sourceDateEpoch: 1700000000
      },
      [
        ...BASE,
        '--build-arg',
        'NODE_ENV=production',
        '--build-arg',
        'VERSION=1.2.3',
        '--build-arg',
        'SOURCE_DATE_EPOCH=1700000000',
        '--push',
        '--metadata-file',
        META,
        '.'
      ]
    ],
    [
      'a SOURCE_DATE_EPOCH build arg of the user wins',
      { buildArgs: [['SOURCE_DATE_EPOCH', '0']], sourceDateEpoch: 1700000000 },
      [...BASE, '--build-arg', 'SOURCE_DATE_EPOCH=0', '--push', '--metadata-file', META, '.']
    ],
    [
      'secrets by environment variable',
      {
        secrets: [
          { id: 'npm', env: 'S0' },
          { id: 'github_token', env: 'S1' }
        ]
      },
      [
        ...BASE,
        '--secret',
        'id=npm,env=S0',
        '--secret',
        'id=github_token,env=S1',
        '--push',
        '--metadata-file',
        META,
        '.'
      ]
    ],
    [
      'target',
      { target: 'runtime' },
      [...BASE, '--target', 'runtime', '--push', '--metadata-file', META, '.']
    ],
    [
      'one platform',
      { platforms: ['linux/arm64'] },
      [...BASE, '--platform', 'linux/arm64', '--push', '--metadata-file', META, '.']
    ],
    [
      'two platforms',
      { platforms: ['linux/amd64', 'linux/arm64/v8'] },
      [...BASE, '--platform', 'linux/amd64,linux/arm64/v8', '--push', '--metadata-file', META, '.']
    ],
    [
      'gha cache, scoped to the image, export errors ignored',
      { cache: 'gha' },
      [
        ...BASE,
        '--cache-from',
        'type=gha,scope=acme-api',
        '--cache-to',
        'type=gha,scope=acme-api,mode=max,ignore-error=true',
        '--push',
        '--metadata-file',
        META,
        '.'
      ]
    ],
    [
      'registry cache with the default ref',
      { cache: 'registry' },
      [
        ...BASE,
        '--cache-from',
        'type=registry,ref=acme/api:buildcache',
        '--cache-to',
        'type=registry,ref=acme/api:buildcache,mode=max,ignore-error=true',
        '--push',
        '--metadata-file',
        META,
        '.'
      ]
    ],
    [
      'registry cache with cache-ref',
      { cache: 'registry', cacheRef: 'ghcr.io/acme/cache:api' },
      [
        ...BASE,
        '--cache-from',
        'type=registry,ref=ghcr.io/acme/cache:api',
        '--cache-to',
        'type=registry,ref=ghcr.io/acme/cache:api,mode=max,ignore-error=true',
        '--push',
        '--metadata-file',
        META,
        '.'
      ]
    ],
    [
      'provenance true',
      { provenance: 'true' },
      [...BASE, '--provenance=true', '--push', '--metadata-file', META, '.']
    ],
    [
      'provenance false',
      { provenance: 'false' },
      [...BASE, '--provenance=false', '--push', '--metadata-file', META, '.']
    ],
    [
      'provenance mode=max',
      { provenance: 'mode=max' },
      [...BASE, '--provenance=mode=max', '--push', '--metadata-file', META, '.']
    ],
    [
      'no tags at all (push false)',
      { refs: [], push: false, labels: {} },
      ['buildx', 'build', '--metadata-file', META, '.']
    ]
  ])('%s', (_name, overrides, expected) => {
    expect(dockerBuildArgs(plan(overrides), META)).toEqual(expected);
  });

  it('ECR: provenance off by default, registry cache as an OCI image manifest', () => {
    const img = image(ECR);
    expect(
      dockerBuildArgs(
        plan({ image: img, refs: imageRefs(img, ['main']), labels: {}, cache: 'registry' }),
        META
      )
    ).toEqual([
      'buildx',
      'build',
      '--tag',
      `${ECR}:main`,
      '--cache-from',
      `type=registry,ref=${ECR}:buildcache`,
      '--cache-to',
      `type=registry,ref=${ECR}:buildcache,mode=max,ignore-error=true,image-manifest=true,oci-mediatypes=true`,
      '--provenance=false',
      '--push',
      '--metadata-file',
      META,
      '.'
    ]);
  });

  it('ECR: provenance can be asked for', () => {
    const img = image(ECR);
    const args = dockerBuildArgs(
      plan({ image: img, refs: imageRefs(img, ['main']), provenance: 'mode=min' }),
      META
    );
    expect(args).toContain('--provenance=mode=min');
    expect(args).not.toContain('--provenance=false');
  });

  it.each<[string, Partial<BuildPlan>, string[]]>([
    ['gha', { cache: 'gha' }, ['--cache-from', 'type=gha,scope=acme-api']],
    ['registry', { cache: 'registry' }, ['--cache-from', 'type=registry,ref=acme/api:buildcache']],
    ['none', {}, []]
  ])(
    'without cache export (the retry after a failed export), %s: only --cache-from',
    (_name, overrides, cache) => {
      expect(dockerBuildArgs(plan(overrides), META, false)).toEqual([
        ...BASE,
        ...cache,
        '--push',
        '--metadata-file',
        META,
        '.'
      ]);
    }
  );

  it('login takes the password on stdin', () => {
    expect(dockerLoginArgs('ghcr.io', 'octocat')).toEqual([
      'login',
      '--username',
      'octocat',
      '--password-stdin',
      'ghcr.io'
    ]);
  });
});

describe('buildah arguments', () => {
  const options = {
    storageDriver: 'vfs',
    isolation: 'chroot',
    authFile: '/tmp/cfg/auth.json'
  };
  const HEAD = [
    '--storage-driver',
    'vfs',
    'bud',
    '--isolation',
    'chroot',
    '--format',
    'oci',
    '--identity-label=false',
    '--authfile',
    '/tmp/cfg/auth.json',
    '--tls-verify=true'
  ];
  const TAGS = ['--tag', 'docker.io/acme/api:main', '--tag', 'docker.io/acme/api:sha-0123456'];
  const LABEL = ['--label', 'org.opencontainers.image.revision=abc'];

  it.each<[string, Partial<BuildPlan>, string[]]>([
    ['the defaults, Docker Hub names fully qualified', {}, [...HEAD, ...TAGS, ...LABEL, '.']],
    [
      'everything at once',
      {
        file: 'Containerfile',
        buildArgs: [['A', '1']],
        sourceDateEpoch: 0,
        secrets: [{ id: 'npm', env: 'S0' }],
        target: 'runtime',
        platforms: ['linux/arm64'],
        tlsVerify: false
      },
      [
        ...HEAD.map((a) => (a === '--tls-verify=true' ? '--tls-verify=false' : a)),
        '--file',
        'Containerfile',
        ...TAGS,
        ...LABEL,
        '--build-arg',
        'A=1',
        '--timestamp',
        '0',
        '--secret',
        'id=npm,env=S0',
        '--target',
        'runtime',
        '--platform',
        'linux/arm64',
        '.'
      ]
    ],
    [
      'several platforms build a manifest list',
      { platforms: ['linux/amd64', 'linux/arm64'] },
      [
        ...HEAD,
        '--manifest',
        'docker.io/acme/api:main',
        ...LABEL,
        '--platform',
        'linux/amd64,linux/arm64',
        '.'
      ]
    ],
    [
      'registry cache: layers, cache from and to a repository',
      { cache: 'registry' },
      [
        ...HEAD,
        ...TAGS,
        ...LABEL,
        '--layers',
        '--cache-from',
        'docker.io/acme/api-buildcache',
        '--cache-to',
        'docker.io/acme/api-buildcache',
        '.'
      ]
    ],
    [
      'registry cache with cache-ref: its repository',
      { cache: 'registry', cacheRef: '127.0.0.1:5000/cache/api:ignored' },
      [
        ...HEAD,
        ...TAGS,
        ...LABEL,
        '--layers',
        '--cache-from',
        '127.0.0.1:5000/cache/api',
        '--cache-to',
        '127.0.0.1:5000/cache/api',
        '.'
      ]
    ]
  ])('bud: %s', (_name, overrides, expected) => {
    expect(buildahBudArgs(plan(overrides), options)).toEqual(expected);
  });

  it('bud without cache export (the retry after a failed export)', () => {
    const args = buildahBudArgs(plan({ cache: 'registry' }), options, false);
    expect(args).toContain('--cache-from');
    expect(args).not.toContain('--cache-to');
  });

  it('push writes the digest file', () => {
    expect(buildahPushArgs(plan(), options, 'acme/api:sha-0123456', '/tmp/cfg/digest-1')).toEqual([
      '--storage-driver',
      'vfs',
      'push',
      '--authfile',
      '/tmp/cfg/auth.json',
      '--tls-verify=true',
      '--digestfile',
      '/tmp/cfg/digest-1',
      'docker.io/acme/api:sha-0123456',
      'docker://docker.io/acme/api:sha-0123456'
    ]);
  });

  it('several platforms push the manifest list with all its images', () => {
    const p = plan({ platforms: ['linux/amd64', 'linux/arm64'] });
    expect(buildahPushArgs(p, options, 'acme/api:sha-0123456', '/tmp/d')).toEqual([
      '--storage-driver',
      'vfs',
      'manifest',
      'push',
      '--all',
      '--authfile',
      '/tmp/cfg/auth.json',
      '--tls-verify=true',
      '--digestfile',
      '/tmp/d',
      'docker.io/acme/api:main',
      'docker://docker.io/acme/api:sha-0123456'
    ]);
  });

  it('login takes the password on stdin', () => {
    expect(buildahLoginArgs('127.0.0.1:5000', 'ci', '/a.json', false)).toEqual([
      'login',
      '--authfile',
      '/a.json',
      '--tls-verify=false',
      '--username',
      'ci',
      '--password-stdin',
      '127.0.0.1:5000'
    ]);
  });

  it('cache repository of a cache-ref without a tag, with a registry port', () => {
    expect(buildahCacheRepo(plan({ cacheRef: 'localhost:5000/cache' }))).toBe('localhost:5000/cache');
  });
});
