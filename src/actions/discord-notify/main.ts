import * as core from '@actions/core';
import { ConfigError } from '../../core/errors.js';
import { getInputs } from './inputs.js';

export async function main(): Promise<void> {
  const inputs = getInputs();
  if (!inputs.webhookUrl) {
    core.notice(
      'discord-notify: no webhook-url was given (for example a pull request from a fork); skipping.'
    );
    return;
  }
  throw new ConfigError('discord-notify is not implemented yet.');
}
