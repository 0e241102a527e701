/** appspec.yml validation: table-driven, every rule, with the line each problem points at. */
import { describe, expect, it } from '@jest/globals';
import {
  bundlePath,
  validateAppSpec,
  type BundleEntry
} from '../../../src/actions/codedeploy-trigger/appspec.js';

const script = (text = '#!/bin/bash\necho hi\n', mode = 0o755): BundleEntry => ({
  type: 'file',
  mode,
  head: Buffer.from(text)
});

const bundle = new Map<string, BundleEntry>([
  ['appspec.yml', { type: 'file', mode: 0o644 }],
  ['scripts', { type: 'dir', mode: 0o755 }],
  ['scripts/start.sh', script()],
  ['scripts/stop.sh', script()],
  ['scripts/plain.sh', script('#!/bin/bash\n', 0o644)],
  ['scripts/crlf.sh', script('#!/bin/bash\r\necho hi\r\n')],
  ['scripts/noshebang.sh', script('echo hi\n')],
  ['scripts/binary', script('\x7fELF\x02\x01\x01')],
  ['scripts/시작.sh', script()],
  ['app', { type: 'dir', mode: 0o755 }],
  ['app/server.jar', { type: 'file', mode: 0o644 }]
]);

const VALID = `version: 0.0
os: linux
files:
  - source: /
    destination: /opt/app
  - source: app/server.jar
    destination: /opt/app/lib
hooks:
  ApplicationStop:
    - location: scripts/stop.sh
      timeout: 60
  ApplicationStart:
    - location: scripts/start.sh
      timeout: 3600
      runas: root
`;

function errors(text: string) {
  return validateAppSpec(text, bundle).problems.map((p) => [p.severity, p.line, p.message]);
}

describe('validateAppSpec', () => {
  it('accepts a valid appspec and lists its hooks in order', () => {
    const result = validateAppSpec(VALID, bundle);
    expect(result.problems).toEqual([]);
    expect(result.os).toBe('linux');
    expect(result.hooks).toEqual([
      { event: 'ApplicationStop', location: 'scripts/stop.sh', timeoutSeconds: 60 },
      { event: 'ApplicationStart', location: 'scripts/start.sh', timeoutSeconds: 3600, runas: 'root' }
    ]);
  });

  it('accepts Windows line endings in the appspec itself, and a quoted version', () => {
    expect(
      validateAppSpec(VALID.replace('version: 0.0', "version: '0.0'").replace(/\n/g, '\r\n'), bundle).problems
    ).toEqual([]);
  });

  it('accepts non-ASCII script names, ELF binaries and leading slashes', () => {
    const text = `version: 0.0\nos: linux\nhooks:\n  AfterInstall:\n    - location: /scripts/시작.sh\n    - location: ./scripts/binary\n`;
    expect(validateAppSpec(text, bundle).problems).toEqual([]);
  });

  it.each([
    [
      'version 1.0',
      VALID.replace('version: 0.0', 'version: 1.0'),
      1,
      "'version' is 1.0; EC2/on-premises deployments need version: 0.0."
    ],
    ['version written 0', VALID.replace('version: 0.0', 'version: 0'), 1, "'version' is 0;"],
    ['no version', VALID.replace('version: 0.0\n', ''), 1, "'version' is missing"],
    ['bad os', VALID.replace('os: linux', 'os: ubuntu'), 2, "'os' is 'ubuntu'; expected linux or windows."],
    [
      'missing source',
      VALID.replace('app/server.jar', 'app/missing.jar'),
      6,
      "'source' app/missing.jar does not exist in the bundle."
    ],
    ['escaping source', VALID.replace('app/server.jar', '../etc/passwd'), 6, 'leaves the bundle'],
    [
      'relative destination',
      VALID.replace('destination: /opt/app/lib', 'destination: opt/app'),
      7,
      "'destination' 'opt/app' must be an absolute path"
    ],
    [
      'unknown hook',
      VALID.replace('ApplicationStop:', 'AfterDeploy:'),
      9,
      "'AfterDeploy' is not an EC2/on-premises lifecycle hook"
    ],
    [
      'ECS-only hook',
      VALID.replace('ApplicationStop:', 'AfterAllowTestTraffic:'),
      9,
      'it exists only for ECS and Lambda'
    ],
    [
      'reserved event',
      VALID.replace('ApplicationStop:', 'DownloadBundle:'),
      9,
      "'DownloadBundle' is run by the CodeDeploy agent itself"
    ],
    [
      'missing script',
      VALID.replace('scripts/stop.sh', 'scripts/gone.sh'),
      10,
      'ApplicationStop script scripts/gone.sh does not exist in the bundle.'
    ],
    [
      'not executable',
      VALID.replace('scripts/stop.sh', 'scripts/plain.sh'),
      10,
      'scripts/plain.sh is not executable; run chmod +x scripts/plain.sh'
    ],
    ['CRLF script', VALID.replace('scripts/stop.sh', 'scripts/crlf.sh'), 10, 'Windows line endings (CRLF)'],
    ['no shebang', VALID.replace('scripts/stop.sh', 'scripts/noshebang.sh'), 10, 'has no #! line'],
    [
      'directory as script',
      VALID.replace('scripts/stop.sh', 'scripts'),
      10,
      'scripts is a directory, not a script.'
    ],
    [
      'timeout 0',
      VALID.replace('timeout: 60', 'timeout: 0'),
      11,
      "'timeout' of a ApplicationStop script is '0'; expected whole seconds from 1 to 3600."
    ],
    [
      'timeout 3601',
      VALID.replace('timeout: 3600', 'timeout: 3601'),
      14,
      "'timeout' of a ApplicationStart script is '3601'"
    ],
    ['timeout text', VALID.replace('timeout: 60', 'timeout: soon'), 11, "is 'soon'"],
    [
      'typo in a script key',
      VALID.replace('timeout: 60', 'timout: 60'),
      11,
      "unknown key 'timout' in a ApplicationStop script"
    ],
    [
      'empty runas',
      VALID.replace('runas: root', 'runas: ""'),
      15,
      "'runas' of a ApplicationStart script is empty."
    ],
    ['duplicate key', VALID.replace('os: linux', 'os: linux\nos: windows'), 3, 'Map keys must be unique'],
    [
      'broken YAML',
      VALID.replace('  ApplicationStop:', ' ApplicationStop:\n  - :'),
      13,
      'All mapping items must start at the same column'
    ],
    [
      'bad file_exists_behavior',
      `${VALID}file_exists_behavior: REPLACE\n`,
      16,
      "'file_exists_behavior' is 'REPLACE'"
    ]
  ])('rejects %s at line %s', (_name, text, line, message) => {
    const found = errors(text).filter(([severity]) => severity === 'error');
    expect(found.length).toBeGreaterThanOrEqual(1);
    expect(found[0]?.[1]).toBe(line);
    expect(found[0]?.[2]).toContain(message);
  });

  it("warns when a lifecycle event's explicit timeouts add up past an hour", () => {
    const text = `version: 0.0\nos: linux\nhooks:\n  AfterInstall:\n    - location: scripts/start.sh\n      timeout: 1800\n    - location: scripts/stop.sh\n      timeout: 1801\n`;
    expect(errors(text)).toEqual([
      [
        'warning',
        4,
        "the AfterInstall scripts' timeouts add up to 3601 s, but CodeDeploy stops a lifecycle event after 3600 s in all."
      ]
    ]);
  });

  it('rejects a document that is not a mapping, and an empty one', () => {
    expect(errors('- a\n- b\n')[0]?.[2]).toContain('must be a mapping');
    expect(errors('')[0]?.[2]).toContain('must be a mapping');
  });

  it('warns about unknown top-level keys and an appspec that does nothing', () => {
    expect(errors('version: 0.0\nos: linux\nresources: []\n')).toEqual([
      ['warning', 1, 'appspec.yml has neither files nor hooks: the deployment would do nothing.'],
      [
        'warning',
        3,
        "'resources' is not an EC2/on-premises appspec key (expected version, os, files, permissions, hooks, file_exists_behavior); the agent ignores it."
      ]
    ]);
  });

  it('skips the exec-bit and shebang checks on Windows, and wants drive-letter destinations', () => {
    const text = `version: 0.0\nos: windows\nfiles:\n  - source: /\n    destination: C:\\app\nhooks:\n  AfterInstall:\n    - location: scripts/plain.sh\n`;
    expect(errors(text)).toEqual([]);
    expect(errors(text.replace('C:\\app', '/opt/app'))[0]?.[2]).toContain('(C:\\…)');
  });

  it('reports every problem, sorted by line', () => {
    const text = VALID.replace('os: linux', 'os: mac').replace('scripts/stop.sh', 'scripts/gone.sh');
    expect(errors(text).map(([, line]) => line)).toEqual([2, 10]);
  });
});

describe('bundlePath', () => {
  it.each([
    ['scripts/a.sh', 'scripts/a.sh'],
    ['/scripts/a.sh', 'scripts/a.sh'],
    ['./scripts//a.sh', 'scripts/a.sh'],
    ['scripts\\a.sh', 'scripts/a.sh'],
    ['/', ''],
    ['../a.sh', undefined],
    ['scripts/../../a.sh', undefined]
  ])('%s → %s', (input, expected) => {
    expect(bundlePath(input)).toBe(expected);
  });
});
