import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MemoryLogger } from '../../src/core/logger.js';
import { escapeCell, renderSummary, writeSummary } from '../../src/core/summary.js';

describe('escapeCell', () => {
  it.each([
    ['plain', 'plain'],
    ['a|b', 'a\\|b'],
    ['<script>', '&lt;script&gt;'],
    ['line1\nline2', 'line1<br>line2'],
    ['crlf\r\nx', 'crlf<br>x'],
    ['한글 파일.html', '한글 파일.html']
  ])('%j → %j', (input, expected) => {
    expect(escapeCell(input)).toBe(expected);
  });
});

describe('renderSummary', () => {
  it('renders title, facts, tables, links, details and notes in order', () => {
    const md = renderSummary({
      title: '✅ s3-static-sync: 2 files uploaded',
      facts: [['Bucket', 'site']],
      tables: [
        {
          heading: 'Changed files',
          columns: ['Path', 'Size'],
          rows: [['/index.html', '1 KiB']],
          note: '… and 3 more'
        }
      ],
      links: [{ text: 'Console', href: 'https://console.aws.amazon.com/' }],
      details: [{ summary: 'Log tail', body: 'line with ``` fence' }],
      notes: ['Dry run: nothing was written.']
    });
    expect(md).toBe(
      [
        '### ✅ s3-static-sync: 2 files uploaded',
        '',
        '|  |  |\n| --- | --- |\n| **Bucket** | site |',
        '',
        '#### Changed files',
        '',
        '| Path | Size |\n| --- | --- |\n| /index.html | 1 KiB |',
        '',
        '… and 3 more',
        '',
        '- [Console](https://console.aws.amazon.com/)',
        '',
        '<details><summary>Log tail</summary>\n\n````\nline with ``` fence\n````\n\n</details>',
        '',
        '> Dry run: nothing was written.',
        ''
      ].join('\n')
    );
  });

  it('shows an empty table as _none_', () => {
    expect(renderSummary({ title: 't', tables: [{ columns: ['a'], rows: [] }] })).toContain('_none_');
  });
});

describe('writeSummary', () => {
  let dir: string;
  const saved = process.env.GITHUB_STEP_SUMMARY;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'summary-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
    if (saved === undefined) delete process.env.GITHUB_STEP_SUMMARY;
    else process.env.GITHUB_STEP_SUMMARY = saved;
  });

  it('appends to GITHUB_STEP_SUMMARY when it is set', async () => {
    const file = path.join(dir, 'summary.md');
    writeFileSync(file, 'earlier step\n');
    process.env.GITHUB_STEP_SUMMARY = file;
    const logger = new MemoryLogger();
    await writeSummary({ title: 'hello' }, logger);
    expect(readFileSync(file, 'utf8')).toBe('earlier step\n### hello\n\n');
    expect(logger.lines).toEqual([]);
  });

  it('prints to the log when GITHUB_STEP_SUMMARY is unset', async () => {
    delete process.env.GITHUB_STEP_SUMMARY;
    const logger = new MemoryLogger();
    const md = await writeSummary({ title: 'local run' }, logger);
    expect(logger.lines).toEqual([
      { level: 'group', message: 'Job summary' },
      { level: 'info', message: md }
    ]);
  });

  it('warns instead of failing when the summary file cannot be written', async () => {
    process.env.GITHUB_STEP_SUMMARY = path.join(dir, 'missing-dir', 'summary.md');
    const logger = new MemoryLogger();
    await writeSummary({ title: 't' }, logger);
    expect(logger.messages('warning')[0]).toMatch(/^Could not write the job summary: /);
  });
});
