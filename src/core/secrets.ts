/**
 * Every secret this run has masked. `core.setSecret` hides a value in the log, but the job summary is a
 * file the runner does not scrub for us, so text bound for it is redacted against this list too.
 */
import * as core from '@actions/core';

const secrets = new Set<string>();

/** Masks the value in the log from now on and remembers it for redactSecrets(). */
export function maskSecret(value: string | undefined): void {
  if (!value) return;
  core.setSecret(value);
  secrets.add(value);
}

/** The text with every masked value replaced by `***` (longest first, so no fragment survives). */
export function redactSecrets(text: string): string {
  let out = text;
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) out = out.split(secret).join('***');
  return out;
}
