/**
 * The local half of a bundle run: find and validate appspec.yml (errors annotated at their line), then
 * zip the directory deterministically into a temporary file. Nothing here talks to AWS.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { writeSummary } from '../../core/summary.js';
import { formatBytes } from '../../core/time.js';
import { validateAppSpec, type AppSpecResult } from './appspec.js';
import { listBundle, toListing, zipBundle, type ZipResult } from './bundle.js';
import { INPUTS } from './constants.js';
import { appSpecSummary } from './report.js';

export const APPSPEC_NAMES = ['appspec.yml', 'appspec.yaml'];

export interface PreparedBundle extends ZipResult {
  appspec: AppSpecResult;
}

/** Validates the bundle's appspec and zips it; throws a ConfigError (after annotating) when it is invalid. */
export async function prepareBundle(directory: string, logger: Logger): Promise<PreparedBundle> {
  const name = APPSPEC_NAMES.find((n) => existsSync(path.join(directory, n)));
  if (!name)
    throw new ConfigError(
      `Input '${INPUTS.bundle}': ${directory} has no appspec.yml at its top level; CodeDeploy needs one there.`
    );
  const appspecPath = path.join(directory, name);
  const files = await listBundle(directory);
  const result = validateAppSpec(readFileSync(appspecPath, 'utf8'), toListing(files));
  const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd();
  const relative = path.relative(workspace, appspecPath);
  // Annotations point at files in the workspace; a bundle elsewhere is named by its absolute path.
  const shown = (relative.startsWith('..') ? appspecPath : relative).split(path.sep).join('/');
  for (const problem of result.problems) {
    const properties = {
      title: `appspec: ${problem.message}`.slice(0, 120),
      file: shown,
      startLine: problem.line
    };
    const text = `${shown}:${problem.line}:${problem.column}: ${problem.message}`;
    if (problem.severity === 'error') logger.error(text, properties);
    else logger.warning(text, properties);
  }
  const errors = result.problems.filter((p) => p.severity === 'error');
  if (errors.length) {
    await writeSummary(appSpecSummary(shown, result.problems), logger);
    throw new ConfigError(
      `${shown} has ${errors.length} problem${errors.length === 1 ? '' : 's'} (first: line ${errors[0]?.line}: ${errors[0]?.message}). Nothing was uploaded.`
    );
  }
  const hooks = result.hooks.map((h) => `${h.event}→${h.location}`).join(', ');
  logger.info(`${shown}: valid (os ${result.os}; hooks: ${hooks || 'none'}).`);
  const out = path.join(mkdtempSync(path.join(tmpdir(), 'codedeploy-bundle-')), 'bundle.zip');
  const zip = await zipBundle(files, out);
  logger.info(`Zipped ${zip.entries} entries into ${formatBytes(zip.size)}; sha256 ${zip.sha256}.`);
  return { ...zip, appspec: result };
}
