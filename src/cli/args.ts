/** Parses `deploy-actions <action> --<input> <value> …` into an action name and its inputs (pure). */

export interface ParsedArgs {
  action?: string;
  help: boolean;
  /** Print workflow commands (`::error::…`) untouched instead of rendering them for a terminal. */
  raw: boolean;
  inputs: Record<string, string>;
}

export function parseArgs(argv: string[]): ParsedArgs {
  const result: ParsedArgs = { help: false, raw: false, inputs: {} };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--help' || arg === '-h') {
      result.help = true;
    } else if (arg === '--raw') {
      result.raw = true;
    } else if (arg.startsWith('--')) {
      const body = arg.slice(2);
      const eq = body.indexOf('=');
      if (eq > 0) {
        result.inputs[body.slice(0, eq)] = body.slice(eq + 1);
      } else {
        const value = argv[i + 1];
        if (value === undefined)
          throw new Error(`option --${body} needs a value (use --${body} "" for an empty one)`);
        result.inputs[body] = value;
        i++;
      }
    } else if (result.action === undefined) {
      result.action = arg;
    } else {
      throw new Error(`unexpected argument '${arg}': inputs are given as --<input-name> <value>`);
    }
  }
  return result;
}

/**
 * Renders the workflow commands an action prints for a terminal: hides `::add-mask::` lines and masks
 * their values everywhere after, shows groups and annotations readably. Stateful: one per run.
 */
export class TerminalRenderer {
  private readonly masks: string[] = [];
  constructor(private readonly debug = false) {}

  render(line: string): string | undefined {
    const command = /^::([a-z-]+)( [^:]*)?::(.*)$/.exec(line);
    if (!command) return this.mask(line);
    const [, name, , message = ''] = command;
    switch (name) {
      case 'add-mask':
        if (message) this.masks.push(message);
        return undefined;
      case 'group':
        return this.mask(`▸ ${message}`);
      case 'endgroup':
        return undefined;
      case 'debug':
        return this.debug ? this.mask(`debug: ${message}`) : undefined;
      case 'error':
      case 'warning':
      case 'notice':
        return this.mask(`${name}: ${decode(message)}`);
      default:
        return this.mask(line);
    }
  }

  mask(text: string): string {
    let out = text;
    for (const secret of this.masks) out = out.split(secret).join('***');
    return out;
  }
}

function decode(message: string): string {
  return message.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
}
