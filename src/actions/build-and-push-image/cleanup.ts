/** The post step: removes the temporary registry-config directory (the logout), even when main was killed. */
import * as core from '@actions/core';
import { existsSync } from 'node:fs';
import { removeConfigDir } from './config-dir.js';
import { STATE } from './constants.js';

export async function post(): Promise<void> {
  const dir = core.getState(STATE.configDir);
  if (!dir) return;
  if (existsSync(dir)) {
    removeConfigDir(dir);
    core.info(`Removed the registry credentials in ${dir}.`);
  } else {
    core.debug(`Registry credentials already removed (${dir}).`);
  }
}
