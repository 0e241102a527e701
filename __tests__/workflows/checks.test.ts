/**
 * The workflow checks: each is proven to fail on a bad sample (fixtures/) and then run on the repository.
 */
import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { listActions, ROOT_ACTION as CLI_ROOT_ACTION } from '../../src/cli/manifest.js';
import { ROOT } from '../helpers/paths.js';
import {
  checkActionUsage,
  checkPwnRequest,
  checkWorkflowPolicy,
  findSsh,
  format,
  ourAction,
  ROOT_ACTION,
  withoutRegexLiterals,
  yamlBlocks,
  type ActionCatalog
} from './checks.js';

const FIXTURES = path.join(ROOT, '__tests__', 'workflows', 'fixtures');
const fixture = (name: string) => readFileSync(path.join(FIXTURES, name), 'utf8');

/** Our actions as the checks see them, from the action.yml files in the repository. */
const catalog: ActionCatalog = Object.fromEntries(
  listActions(ROOT).map((a) => [a.name === CLI_ROOT_ACTION ? ROOT_ACTION : a.name, a.manifest])
);

/** A small catalog for the pure tests, independent of the actions' current state. */
const sample: ActionCatalog = {
  's3-static-sync': {
    inputs: { source: { required: true }, bucket: { required: true }, delete: { default: 'false' } },
    outputs: { 'changed-paths': {}, uploaded: {} }
  },
  'cloudfront-invalidate': {
    inputs: { 'distribution-id': {}, 'changed-paths': {}, timeout: { required: true, default: '20m' } },
    outputs: { 'invalidation-id': {} }
  },
  [ROOT_ACTION]: { inputs: { source: { required: true } }, outputs: {} }
};

/** Tracked and new (not ignored) files of the repository, relative to ROOT. */
function repositoryFiles(): string[] {
  const out = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: ROOT,
    encoding: 'utf8'
  });
  return out
    .split('\0')
    .filter(Boolean)
    .filter((f) => existsSync(path.join(ROOT, f)));
}

function workflowFiles(): string[] {
  return ['workflows', '.github/workflows'].flatMap((dir) =>
    existsSync(path.join(ROOT, dir))
      ? readdirSync(path.join(ROOT, dir))
          .filter((f) => /\.ya?ml$/.test(f))
          .map((f) => `${dir}/${f}`)
      : []
  );
}

const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

describe('ourAction', () => {
  it.each([
    ['OWNER/REPO/actions/s3-static-sync@v1', 's3-static-sync'],
    ['OWNER/REPO/actions/discord-notify@0123456789abcdef0123456789abcdef01234567', 'discord-notify'],
    ['./actions/flyway-migrate', 'flyway-migrate'],
    ['./actions/flyway-migrate/', 'flyway-migrate'],
    ['OWNER/REPO@v1', ROOT_ACTION],
    ['./', ROOT_ACTION],
    ['.', ROOT_ACTION],
    ['actions/checkout@v4', undefined],
    ['aws-actions/configure-aws-credentials@v4', undefined],
    ['someone/else/actions/s3-static-sync@v1', undefined],
    ['./.github/actions/setup', undefined],
    ['docker://alpine:3', undefined]
  ])('%s → %s', (uses, expected) => {
    expect(ourAction(uses)).toBe(expected);
  });
});

describe('checkActionUsage', () => {
  it('fails on a misspelt with: key, an unknown output, an unknown action and a missing required input', () => {
    const problems = checkActionUsage('bad.yml', fixture('bad-with-keys.yml'), sample).map(format);
    expect(problems).toEqual([
      "bad.yml:13: 'buckett' is not an input of s3-static-sync; its inputs are: bucket, delete, source",
      "bad.yml:11: s3-static-sync requires input 'bucket', which is not given",
      "bad.yml:18: 'OWNER/REPO/actions/no-such-action@v1' is not one of our actions (., cloudfront-invalidate, s3-static-sync)",
      "bad.yml:17: step 'sync' (s3-static-sync) has no output 'changed-files'; its outputs are: changed-paths, uploaded"
    ]);
  });

  it('passes a correct use, and leaves other actions and required inputs with defaults alone', () => {
    const good = [
      'jobs:',
      '  deploy:',
      '    steps:',
      '      - id: sync',
      '        uses: OWNER/REPO/actions/s3-static-sync@v1 # pin: @<sha> # v1.0.0',
      '        with: { source: build, bucket: site, delete: true }',
      '      - uses: OWNER/REPO/actions/cloudfront-invalidate@v1',
      '        with:',
      '          changed-paths: ${{ steps.sync.outputs.changed-paths }}',
      '      - uses: actions/checkout@v4',
      '        with: { whatever: 1 }'
    ].join('\n');
    expect(checkActionUsage('good.yml', good, sample)).toEqual([]);
  });

  it('checks a step with no with: at all, the root action, steps snippets and composite action.yml steps', () => {
    expect(
      checkActionUsage('a.yml', '- uses: OWNER/REPO/actions/s3-static-sync@v1\n', sample).map(format)
    ).toEqual([
      "a.yml:1: s3-static-sync requires input 'source', which is not given",
      "a.yml:1: s3-static-sync requires input 'bucket', which is not given"
    ]);
    expect(checkActionUsage('b.yml', 'uses: OWNER/REPO@v1\nwith:\n  src: x\n', sample).map(format)).toEqual([
      "b.yml:3: 'src' is not an input of the root action; its inputs are: source",
      "b.yml:2: the root action requires input 'source', which is not given"
    ]);
    const composite =
      'runs:\n  using: composite\n  steps:\n    - uses: ./actions/s3-static-sync\n      with: { source: a, bucket: b, acl: x }\n';
    expect(checkActionUsage('action.yml', composite, sample).map(format)).toEqual([
      "action.yml:5: 'acl' is not an input of s3-static-sync; its inputs are: bucket, delete, source"
    ]);
  });

  it('lets a documentation snippet elide its inputs with a `# …` comment, and only then', () => {
    const elided = '- uses: OWNER/REPO/actions/s3-static-sync@v1\n  with:\n    # …\n';
    expect(checkActionUsage('a.md', elided, sample)).toEqual([]);
    expect(checkActionUsage('a.md', elided.replace('# …', '# ...'), sample)).toEqual([]);
    expect(checkActionUsage('a.md', elided.replace('# …', '# the usual'), sample)).toHaveLength(2);
    expect(checkActionUsage('a.md', `${elided}    nope: 1\n`, sample).map((p) => p.message)).toEqual([
      "'nope' is not an input of s3-static-sync; its inputs are: bucket, delete, source",
      "s3-static-sync requires input 'source', which is not given",
      "s3-static-sync requires input 'bucket', which is not given"
    ]);
  });

  it('reports line numbers inside Markdown and invalid YAML instead of crashing', () => {
    const markdown =
      'Intro\n\n```yaml\n- uses: OWNER/REPO/actions/s3-static-sync@v1\n  with: { source: a, bucket: b, nope: 1 }\n```\n';
    const [block] = yamlBlocks(markdown);
    expect(block).toEqual({
      text: '- uses: OWNER/REPO/actions/s3-static-sync@v1\n  with: { source: a, bucket: b, nope: 1 }',
      offset: 3
    });
    expect(checkActionUsage('README.md', block!.text, sample, { offset: block!.offset }).map(format)).toEqual(
      ["README.md:5: 'nope' is not an input of s3-static-sync; its inputs are: bucket, delete, source"]
    );
    expect(checkActionUsage('x.yml', 'jobs: [\n', sample)[0]?.message).toMatch(/^not valid YAML/);
  });
});

describe('checkPwnRequest', () => {
  it.each([
    ['pwn-pull-request-target.yml', /pull_request_target with a checkout of the pull request's code/],
    ['pwn-workflow-run.yml', /workflow_run with a step that fetches the pull request's code/]
  ])('fails on %s', (name, message) => {
    const problems = checkPwnRequest(name, fixture(name));
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]?.message).toMatch(message);
  });

  it('fails on workflow_run running the triggering run’s artifacts', () => {
    const text = [
      'on: { workflow_run: { workflows: [CI], types: [completed] } }',
      'jobs:',
      '  deploy:',
      '    steps:',
      '      - uses: actions/download-artifact@d3f86a106a0bac45b974a628896c90dbdf5c8093 # v4.3.0',
      '        with: { run-id: "${{ github.event.workflow_run.id }}", github-token: "${{ github.token }}" }',
      '      - run: ./dist/deploy.sh'
    ].join('\n');
    expect(checkPwnRequest('w.yml', text).map((p) => p.line)).toEqual([5]);
  });

  it('passes pull_request_target that only runs the base branch, and pull_request that checks out the head', () => {
    expect(checkPwnRequest('safe.yml', fixture('safe-pull-request-target.yml'))).toEqual([]);
    const pullRequest = fixture('pwn-pull-request-target.yml').replace('pull_request_target', 'pull_request');
    expect(checkPwnRequest('pr.yml', pullRequest)).toEqual([]);
  });
});

describe('checkWorkflowPolicy', () => {
  const deploy = (steps: string, extra = '') =>
    [
      'on: push',
      'permissions: { contents: read }',
      extra,
      'jobs:',
      '  deploy:',
      '    runs-on: ubuntu-24.04',
      '    concurrency: deploy-production',
      '    permissions: { contents: read, id-token: write }',
      '    steps:',
      steps
    ].join('\n');
  const oidc =
    '      - uses: aws-actions/configure-aws-credentials@e3dd6a429d7300a6a4c196c26e071d42e0343502 # v4.0.2\n        with: { role-to-assume: arn:aws:iam::1:role/r, aws-region: eu-west-1 }';

  it('passes a pinned OIDC deploy job with concurrency', () => {
    expect(checkWorkflowPolicy('ok.yml', deploy(oidc))).toEqual([]);
  });

  it.each([
    [
      'an unpinned action',
      deploy(`${oidc}\n      - uses: actions/checkout@v4`),
      /'actions\/checkout@v4' is not pinned by full commit SHA/
    ],
    [
      'a SHA without a version comment',
      deploy(`${oidc}\n      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683`),
      /not pinned by full commit SHA with a version comment/
    ],
    [
      'long-lived keys',
      deploy(oidc.replace('role-to-assume: arn:aws:iam::1:role/r', 'aws-access-key-id: x')),
      /long-lived AWS keys/
    ],
    [
      'no id-token: write',
      deploy(oidc).replace(', id-token: write', ''),
      /does not grant permissions: id-token: write/
    ],
    [
      'no concurrency',
      deploy(oidc).replace('    concurrency: deploy-production\n', ''),
      /deploys without concurrency/
    ],
    [
      'no top-level permissions',
      deploy(oidc).replace('permissions: { contents: read }\n', ''),
      /no top-level permissions/
    ],
    [
      'our action without a pinning comment',
      deploy('      - uses: OWNER/REPO/actions/s3-static-sync@v1'),
      /add a comment saying how to pin it/
    ]
  ])('fails on %s', (_name, text, message) => {
    expect(
      checkWorkflowPolicy('bad.yml', text)
        .map((p) => p.message)
        .join('\n')
    ).toMatch(message);
  });
});

describe('findSsh', () => {
  it.each([
    ['ssh-deploy.yml', [7, 10, 11, 12, 13]],
    ['ssh-script.sh', [3]],
    ['open-port-22.json', [1]],
    ['ssh-in-readme.md', [4]]
  ])('fails on %s', (name, lines) => {
    expect(findSsh(name, fixture(name)).map((p) => p.line)).toEqual(lines);
  });

  it.each([
    'ssh user@host',
    '  - run: scp a b:c',
    'run: sftp host',
    'git pull && ssh host uptime',
    'out=$(ssh host cat /etc/hostname)',
    'sudo ssh -i key host',
    "spawn('ssh', ['host'])",
    'exec("scp file host:/tmp")',
    'rsync -az -e "ssh -i key" build/ host:/srv',
    'rsync -az build/ deploy@web:/srv',
    'rsync -az build/ web.example.com:/srv',
    'rsync --rsh=ssh a b',
    '- uses: webfactory/ssh-agent@v0.9.0',
    '- uses: easingthemes/ssh-deploy@main',
    '  ssh-key: ${{ secrets.DEPLOY_KEY }}',
    '  key: ${{ secrets.EC2_SSH_KEY }}',
    'FromPort: 22',
    '"from_port" = 22',
    'ingress { port = 22 }',
    'aws ec2 authorize-security-group-ingress --port 22',
    'nc -z 10.0.0.5:22',
    'ssh-keyscan github.com >> ~/.ssh/known_hosts'
  ])('catches %s', (line) => {
    expect(findSsh('x.sh', line)).toHaveLength(1);
  });

  it.each([
    '# Ships a web service to AWS with no SSH anywhere in the path.',
    '// no ssh: CodeDeploy agents poll over HTTPS',
    'port 22 stays closed',
    'rsync -a build/ /tmp/copy/',
    'rsync -a rsync://mirror.example.com/pub/ ./pub',
    'port: 2222',
    'localhost:2200',
    'started at 12:22:01',
    '"postgres": "127.0.0.1:5432"',
    'passwordless: true',
    'const sshless = true;'
  ])('does not flag %s', (line) => {
    expect(findSsh('x.sh', line)).toEqual([]);
  });

  it('ignores regular-expression literals in JavaScript and TypeScript, and only there', () => {
    const line = 'expect(/\\bssh\\b|scp /.test(text)).toBe(false);';
    expect(findSsh('a.test.ts', line)).toEqual([]);
    expect(findSsh('a.mjs', 'const found = text.match(/[;&] *ssh /g);')).toEqual([]);
    expect(findSsh('a.sh', line)).toHaveLength(1);
    expect(findSsh('a.ts', "const re = /x/; spawn('ssh', [host]);")).toHaveLength(1);
    expect(withoutRegexLiterals('a = b / c; d = e / f')).toBe('a = b / c; d = e / f');
  });

  it('reads only the code blocks of Markdown', () => {
    expect(findSsh('a.md', 'ssh user@host is how it was done.\n')).toEqual([]);
    expect(findSsh('a.md', '~~~sh\nssh user@host\n~~~\n').map((p) => p.line)).toEqual([2]);
  });
});

describe('the repository', () => {
  const workflows = workflowFiles();

  it('has the example and callable workflows', () => {
    expect(workflows).toEqual(
      expect.arrayContaining([
        'workflows/ci.yml',
        'workflows/deploy-backend.yml',
        'workflows/deploy-frontend.yml',
        'workflows/pr-preview.yml',
        '.github/workflows/deploy-backend.yml',
        '.github/workflows/deploy-frontend.yml',
        '.github/workflows/pr-preview.yml',
        '.github/workflows/release.yml'
      ])
    );
  });

  it('gives our actions only inputs they declare, every required one, and reads only their outputs', () => {
    const problems = workflows.flatMap((f) => checkActionUsage(f, read(f), catalog));
    // Usage examples in the docs (yaml code blocks) and composite action.yml steps are held to the same rule.
    for (const file of repositoryFiles().filter(
      (f) => /\.md$/.test(f) && !f.startsWith('__tests__/workflows/')
    )) {
      for (const block of yamlBlocks(read(file))) {
        if (!/uses:/.test(block.text)) continue;
        problems.push(...checkActionUsage(file, block.text, catalog, { offset: block.offset }));
      }
    }
    for (const action of listActions(ROOT))
      problems.push(
        ...checkActionUsage(path.relative(ROOT, action.file), readFileSync(action.file, 'utf8'), catalog)
      );
    expect(problems.map(format)).toEqual([]);
  });

  it('has no pwn request: pull_request_target and workflow_run never touch the pull request’s code', () => {
    expect(workflows.flatMap((f) => checkPwnRequest(f, read(f))).map(format)).toEqual([]);
  });

  it('pins third-party actions, grants least permissions, uses OIDC and serialises deployments', () => {
    expect(workflows.flatMap((f) => checkWorkflowPolicy(f, read(f))).map(format)).toEqual([]);
  });

  it('has no ssh, scp, rsync over ssh or port 22 in any workflow, script or example', () => {
    const skipped =
      /^(?:node_modules|dist|bench\/results)\/|^__tests__\/workflows\/(?:fixtures\/|checks(?:\.test)?\.ts$)|(?:^|\/)package-lock\.json$/;
    const files = repositoryFiles().filter((f) => !skipped.test(f));
    expect(files.length).toBeGreaterThan(20);
    const problems = files.flatMap((file) => {
      const buffer = readFileSync(path.join(ROOT, file));
      if (buffer.includes(0)) return []; // binary
      return findSsh(file, buffer.toString('utf8'));
    });
    expect(problems.map(format)).toEqual([]);
  });
});
