import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ROOT } from '../helpers/paths.js';

function cli(...args: string[]) {
  const result = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'deploy-actions.js'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, GITHUB_ACTIONS: '' }
  });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

describe('deploy-actions (bundled CLI)', () => {
  it('--help lists every action', () => {
    const { code, out } = cli('--help');
    expect(code).toBe(0);
    for (const name of [
      'build-and-push-image',
      'codedeploy-trigger',
      's3-static-sync',
      'cloudfront-invalidate',
      'discord-notify',
      'flyway-migrate'
    ]) {
      expect(out).toContain(`  ${name}`);
    }
  });

  it('<action> --help lists its inputs and outputs from action.yml', () => {
    const { code, out } = cli('s3-static-sync', '--help');
    expect(code).toBe(0);
    expect(out).toMatch(/--source \(required\)/);
    expect(out).toMatch(/--bucket \(required\)/);
    expect(out).toContain('Outputs:');
    expect(out).toContain('changed-paths:');
  });

  it('rejects an unknown action and an undeclared input', () => {
    expect(cli('nope').code).toBe(2);
    const { code, err } = cli('s3-static-sync', '--sauce', 'x');
    expect(code).toBe(2);
    expect(err).toContain('s3-static-sync has no input --sauce');
  });

  it('runs the action with the same validation and renders its error', () => {
    const { code, out } = cli('flyway-migrate');
    expect(code).toBe(1);
    expect(out).toContain("error: Input 'url': is required but was not given.");
  });
});
