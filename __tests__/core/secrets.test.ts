import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { mapInput, optionalInput, requiredInput } from '../../src/core/inputs.js';
import { withInputs } from '../helpers/inputs.js';

let restore: () => void = () => undefined;
afterEach(() => restore());

/** Captures what @actions/core writes to stdout (where ::add-mask:: goes). */
function captureStdout(fn: () => void): string {
  const writes: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    writes.push(String(chunk));
    return true;
  });
  try {
    fn();
  } finally {
    spy.mockRestore();
  }
  return writes.join('');
}

describe('secret inputs are masked the moment they are read', () => {
  it.each([
    ['requiredInput', () => requiredInput('token', { secret: true })],
    ['optionalInput', () => optionalInput('token', { secret: true })]
  ])('%s issues ::add-mask:: for the value', (_name, read) => {
    restore = withInputs({ token: 's3cr3t-value' });
    expect(captureStdout(read)).toContain('::add-mask::s3cr3t-value');
  });

  it('masks every value of a secret map', () => {
    restore = withInputs({ secrets: 'A=one-secret\nB=two-secret' });
    const out = captureStdout(() => mapInput('secrets', { secret: true }));
    expect(out).toContain('::add-mask::one-secret');
    expect(out).toContain('::add-mask::two-secret');
  });

  it('does not mask a non-secret input', () => {
    restore = withInputs({ bucket: 'my-bucket' });
    expect(captureStdout(() => requiredInput('bucket'))).not.toContain('add-mask');
  });
});
