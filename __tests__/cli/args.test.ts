import { describe, expect, it } from '@jest/globals';
import { parseArgs, TerminalRenderer } from '../../src/cli/args.js';
import { evaluateDefault, parseCommandFile } from '../../src/cli/runner.js';

describe('parseArgs', () => {
  it.each([
    [[], { help: false, raw: false, inputs: {} }],
    [['--help'], { help: true, raw: false, inputs: {} }],
    [['s3-static-sync', '--help'], { action: 's3-static-sync', help: true, raw: false, inputs: {} }],
    [
      ['s3-static-sync', '--source', 'build', '--bucket=my=bucket', '--raw'],
      { action: 's3-static-sync', help: false, raw: true, inputs: { source: 'build', bucket: 'my=bucket' } }
    ],
    [['x', '--prefix', ''], { action: 'x', help: false, raw: false, inputs: { prefix: '' } }],
    [['x', '--paths', '/a\n/b'], { action: 'x', help: false, raw: false, inputs: { paths: '/a\n/b' } }]
  ])('%j', (argv, expected) => {
    expect(parseArgs(argv)).toEqual(expected);
  });

  it('rejects a dangling option and a second action', () => {
    expect(() => parseArgs(['x', '--source'])).toThrow('option --source needs a value');
    expect(() => parseArgs(['x', 'y'])).toThrow("unexpected argument 'y'");
  });
});

describe('TerminalRenderer', () => {
  it('hides masks, then masks their values in later lines', () => {
    const r = new TerminalRenderer();
    expect(r.render('::add-mask::hunter2')).toBeUndefined();
    expect(r.render('token is hunter2!')).toBe('token is ***!');
    expect(r.render('::error::bad hunter2')).toBe('error: bad ***');
  });

  it('renders groups and annotations, hides debug unless asked', () => {
    const r = new TerminalRenderer();
    expect(r.render('::group::Uploading 3 files')).toBe('▸ Uploading 3 files');
    expect(r.render('::endgroup::')).toBeUndefined();
    expect(r.render('::warning file=a.sql,line=3::two%0Alines')).toBe('warning: two\nlines');
    expect(r.render('::debug::noise')).toBeUndefined();
    expect(new TerminalRenderer(true).render('::debug::noise')).toBe('debug: noise');
    expect(r.render('plain line')).toBe('plain line');
  });
});

describe('parseCommandFile', () => {
  it('reads name=value and heredoc entries', () => {
    const text = 'a=1\nb<<ghadelimiter_1\nline1\nline2\nghadelimiter_1\nc=x=y\n';
    expect(parseCommandFile(text)).toEqual({ a: '1', b: 'line1\nline2', c: 'x=y' });
  });
  it('reads an empty heredoc value', () => {
    expect(parseCommandFile('e<<EOF\nEOF\n')).toEqual({ e: '' });
  });
});

describe('evaluateDefault', () => {
  it.each([
    ['${{ github.token }}', 'ghs_abc'],
    ['${{github.token}}', 'ghs_abc'],
    ['${{ job.status }}', ''],
    ['plain', 'plain'],
    ['prefix-${{ github.token }}-suffix', 'prefix-ghs_abc-suffix']
  ])('%j → %j', (value, expected) => {
    expect(evaluateDefault(value, { 'github.token': 'ghs_abc' })).toBe(expected);
  });
});
