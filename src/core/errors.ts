/**
 * User errors are not bugs: a bad input or a misconfiguration throws one of these and the action fails
 * with its message alone. Anything else is a bug and shows its stack under debug.
 */
export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** An input is missing or malformed. The message names the input, the value (unless secret) and the expected form. */
export class InputError extends UserError {
  constructor(
    readonly input: string,
    message: string
  ) {
    super(`Input '${input}': ${message}`);
  }
}

/** The inputs are individually valid but the setup they describe is not (a missing bucket, a bad appspec, …). */
export class ConfigError extends UserError {}

export function isUserError(error: unknown): error is UserError {
  return error instanceof UserError;
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
