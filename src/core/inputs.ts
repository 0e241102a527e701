/**
 * Typed input readers. Every reader throws an InputError that names the input and the expected form;
 * nothing below an action's `getInputs()` reads inputs directly.
 */
import * as core from '@actions/core';
import { InputError } from './errors.js';
import { maskSecret } from './secrets.js';

/** Where inputs come from; `core.getInput` on GitHub, a map in unit tests. */
export type InputSource = (name: string) => string;

let source: InputSource = (name) => core.getInput(name);

/** Replaces the input source (tests); returns the previous one. */
export function setInputSource(next: InputSource): InputSource {
  const previous = source;
  source = next;
  return previous;
}

function raw(name: string): string {
  return source(name).trim();
}

export interface ReadOptions {
  /** Mask the value in logs the moment it is read. */
  secret?: boolean;
}

function mask(value: string, options?: ReadOptions): void {
  if (options?.secret) maskSecret(value);
}

/** A string that must be present. */
export function requiredInput(name: string, options?: ReadOptions): string {
  const value = raw(name);
  if (value === '') throw new InputError(name, 'is required but was not given.');
  mask(value, options);
  return value;
}

/** A string that may be absent: empty means undefined. */
export function optionalInput(name: string, options?: ReadOptions): string | undefined {
  const value = raw(name);
  if (value === '') return undefined;
  mask(value, options);
  return value;
}

const TRUE = new Set(['true', 'True', 'TRUE']);
const FALSE = new Set(['false', 'False', 'FALSE']);

/** A strict boolean: only the YAML 1.2 core spellings of true/false. */
export function booleanInput(name: string, defaultValue: boolean): boolean {
  const value = raw(name);
  if (value === '') return defaultValue;
  if (TRUE.has(value)) return true;
  if (FALSE.has(value)) return false;
  throw new InputError(name, `'${value}' is not a boolean; expected true or false.`);
}

export interface IntegerOptions {
  min?: number;
  max?: number;
}

/** A whole number within an optional range. */
export function integerInput(name: string, defaultValue: number, range: IntegerOptions = {}): number {
  const value = raw(name);
  if (value === '') return defaultValue;
  if (!/^[+-]?\d+$/.test(value)) throw new InputError(name, `'${value}' is not a whole number.`);
  const parsed = Number(value);
  const { min, max } = range;
  if ((min !== undefined && parsed < min) || (max !== undefined && parsed > max)) {
    const lo = min ?? '-∞';
    const hi = max ?? '∞';
    throw new InputError(name, `${parsed} is out of range; expected a whole number from ${lo} to ${hi}.`);
  }
  return parsed;
}

/** One of a fixed set of values (case-sensitive, as in action.yml). */
export function choiceInput<T extends string>(name: string, choices: readonly T[], defaultValue: T): T {
  const value = raw(name);
  if (value === '') return defaultValue;
  if ((choices as readonly string[]).includes(value)) return value as T;
  throw new InputError(name, `'${value}' is not allowed; expected one of: ${choices.join(', ')}.`);
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * Parses a duration such as `90s`, `10m`, `1h30m`, `500ms`; a bare number means seconds.
 * Returns milliseconds.
 */
export function parseDuration(text: string): number | undefined {
  const value = text.trim();
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  const re = /(\d+(?:\.\d+)?)(ms|h|m|s)/gy;
  let total = 0;
  let consumed = 0;
  let match: RegExpExecArray | null;
  while ((match = re.exec(value)) !== null) {
    total += Number(match[1]) * (UNIT_MS[match[2] as string] as number);
    consumed = re.lastIndex;
  }
  if (consumed === 0 || consumed !== value.length) return undefined;
  return Math.round(total);
}

/** A duration input in milliseconds (`90s`, `10m`, `1h30m`, `500ms`, or bare seconds). */
export function durationInput(name: string, defaultValue: string, range: { maxMs?: number } = {}): number {
  const value = raw(name) || defaultValue;
  const ms = parseDuration(value);
  if (ms === undefined) {
    throw new InputError(
      name,
      `'${value}' is not a duration; expected a number with a unit, like 90s, 10m or 1h30m.`
    );
  }
  if (range.maxMs !== undefined && ms > range.maxMs) {
    throw new InputError(name, `'${value}' is too long; the most allowed is ${range.maxMs / 1000}s.`);
  }
  return ms;
}

/** Splits multiline text into trimmed, non-empty lines, dropping `#` comment lines. */
export function parseList(text: string, { commas = false }: { commas?: boolean } = {}): string[] {
  const lines = text.split(/\r\n|\r|\n/);
  const items = commas ? lines.flatMap((line) => line.split(',')) : lines;
  return items.map((item) => item.trim()).filter((item) => item !== '' && !item.startsWith('#'));
}

/** A multiline list (one item per line; with `commas`, commas separate items too). */
export function listInput(name: string, options: { commas?: boolean } = {}): string[] {
  return parseList(raw(name), options);
}

/** Parses `key=value` lines into an ordered map; the first `=` separates key from value. */
export function parseKeyValues(text: string, describe = 'key=value'): Map<string, string> | string {
  const result = new Map<string, string>();
  for (const [index, line] of parseList(text).entries()) {
    const eq = line.indexOf('=');
    if (eq <= 0) return `item ${index + 1} ('${line}') is not ${describe}.`;
    result.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim());
  }
  return result;
}

/** A multiline `key=value` map. */
export function mapInput(name: string, options: ReadOptions = {}): Map<string, string> {
  const parsed = parseKeyValues(raw(name), options.secret ? 'key=value (value hidden: secret)' : 'key=value');
  if (typeof parsed === 'string') {
    const where = options.secret ? parsed.replace(/ \('.*'\)/, '') : parsed;
    throw new InputError(name, `${where} Expected one key=value per line.`);
  }
  if (options.secret) for (const value of parsed.values()) mask(value, options);
  return parsed;
}

/** A JSON value; `undefined` when empty. */
export function jsonInput<T = unknown>(name: string): T | undefined {
  const value = raw(name);
  if (value === '') return undefined;
  try {
    return JSON.parse(value) as T;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new InputError(name, `is not valid JSON (${reason}).`);
  }
}
