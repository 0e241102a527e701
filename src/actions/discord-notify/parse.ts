/** Pure parsers for this action's structured inputs; each returns a value or a reason for an InputError. */
import { parseKeyValues } from '../../core/inputs.js';

export interface Field {
  name: string;
  value: string;
  inline?: boolean;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const bad = <T>(reason: string): Parsed<T> => ({ ok: false, reason });

/** `fields`: multiline `Name=Value` (first `=` separates), or a JSON object `{"Name": "Value"}`. */
export function parseFields(text: string): Parsed<Field[]> {
  const trimmed = text.trim();
  if (trimmed === '') return ok([]);
  if (trimmed.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch (error) {
      return bad(`looks like JSON but does not parse (${(error as Error).message}).`);
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
      return bad('must be a JSON object of name → value.');
    const fields: Field[] = [];
    for (const [name, value] of Object.entries(parsed)) {
      if (name.trim() === '') return bad('a field name is empty.');
      if (!['string', 'number', 'boolean'].includes(typeof value))
        return bad(`the value of '${name}' is ${value === null ? 'null' : typeof value}; expected text.`);
      fields.push({ name: name.trim(), value: String(value) });
    }
    return ok(fields);
  }
  const map = parseKeyValues(trimmed, 'Name=Value');
  if (typeof map === 'string') return bad(`${map} Expected one Name=Value per line, or a JSON object.`);
  return ok([...map].map(([name, value]) => ({ name, value })));
}

export interface Mention {
  kind: 'user' | 'role';
  id: string;
}

const SNOWFLAKE = /^\d{15,21}$/;

/**
 * `mention-on-failure`: ids separated by whitespace or commas, each written so its kind is known:
 * `<@&id>`, `role:id` or `&id` for a role; `<@id>`, `<@!id>`, `user:id` or `@id` for a user.
 * A bare id is ambiguous (Discord cannot tell a role from a user) and `@everyone` / `@here` are refused.
 */
export function parseMentions(text: string): Parsed<Mention[]> {
  const mentions: Mention[] = [];
  const seen = new Set<string>();
  for (const item of text.split(/[\s,]+/).filter(Boolean)) {
    if (/^@?(everyone|here)$/i.test(item))
      return bad(`'${item}' is not allowed: this action never pings @everyone or @here.`);
    const match =
      /^(?:<@(?<role>&)(?<id1>\d+)>|<@!?(?<id2>\d+)>|(?<kind>role|user):(?<id3>\d+)|(?<sigil>[&@])(?<id4>\d+))$/i.exec(
        item
      );
    if (!match?.groups) {
      if (/^\d+$/.test(item))
        return bad(
          `'${item}' is a bare id, and Discord cannot tell a role from a user; write role:${item} or user:${item}.`
        );
      return bad(`'${item}' is not a mention; expected role:<id>, user:<id>, <@&id> or <@id>.`);
    }
    const g = match.groups;
    const id = (g.id1 ?? g.id2 ?? g.id3 ?? g.id4) as string;
    const kind: Mention['kind'] =
      g.role || g.sigil === '&' || g.kind?.toLowerCase() === 'role' ? 'role' : 'user';
    if (!SNOWFLAKE.test(id)) return bad(`'${item}': '${id}' is not a Discord id (15 to 21 digits).`);
    if (!seen.has(`${kind}:${id}`)) mentions.push({ kind, id });
    seen.add(`${kind}:${id}`);
  }
  if (
    mentions.filter((m) => m.kind === 'user').length > 100 ||
    mentions.filter((m) => m.kind === 'role').length > 100
  )
    return bad('Discord allows at most 100 user and 100 role mentions.');
  return ok(mentions);
}

/** The Discord epoch (2015-01-01T00:00:00Z) in Unix milliseconds. */
export const DISCORD_EPOCH_MS = 1_420_070_400_000;

/** A message, channel or thread id. */
export function isSnowflake(text: string): boolean {
  return SNOWFLAKE.test(text);
}

/** When a snowflake id was created: its top 42 bits are milliseconds since the Discord epoch. */
export function snowflakeTime(id: string): Date {
  return new Date(Number(BigInt(id) >> 22n) + DISCORD_EPOCH_MS);
}

/** `started-at`: an ISO 8601 time, or Unix seconds (10 digits) or milliseconds (13 digits). */
export function parseTime(text: string): Parsed<Date> {
  const value = text.trim();
  let ms: number;
  if (/^\d{9,11}(\.\d+)?$/.test(value)) ms = Number(value) * 1000;
  else if (/^\d{12,14}$/.test(value)) ms = Number(value);
  else if (/^\d{4}-\d{2}-\d{2}T/.test(value)) ms = Date.parse(value);
  else ms = Number.NaN;
  if (Number.isNaN(ms))
    return bad(`'${value}' is not a time; expected ISO 8601 (2024-05-01T12:00:00Z) or Unix seconds.`);
  return ok(new Date(ms));
}
