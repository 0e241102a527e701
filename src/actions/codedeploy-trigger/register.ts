/** Registers the uploaded revision with the application, so it is listed under Revisions in the console. */
import {
  RegisterApplicationRevisionCommand,
  type CodeDeployClient,
  type RevisionLocation
} from '@aws-sdk/client-codedeploy';
import type { Logger } from '../../core/logger.js';

/** Best effort: a refusal (say, a role without the permission) is a warning, not a failed deployment. */
export async function registerRevision(
  client: CodeDeployClient,
  application: string,
  description: string,
  revision: RevisionLocation,
  logger: Logger
): Promise<void> {
  try {
    await client.send(
      new RegisterApplicationRevisionCommand({ applicationName: application, description, revision })
    );
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    logger.warning(
      `Could not register the revision with '${application}' (${message}); deploying it anyway.`
    );
  }
}
