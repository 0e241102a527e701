/**
 * Discord's message limits, and fitting a message inside them: every text cut by code points with an
 * ellipsis, at most 25 fields, and 6000 characters across all embeds (title, description, field names
 * and values, footer text, author name). Pure: returns the fitted message and what was cut.
 */
import { codePointLength, ELLIPSIS, truncate } from './text.js';

export const LIMITS = {
  content: 2000,
  embeds: 10,
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  authorName: 256,
  total: 6000,
  username: 80
} as const;

export interface EmbedField {
  name: string;
  value: string;
  inline?: boolean;
}

export interface Embed {
  title?: string;
  description?: string;
  url?: string;
  color?: number;
  timestamp?: string;
  author?: { name: string; url?: string; icon_url?: string };
  footer?: { text: string; icon_url?: string };
  fields?: EmbedField[];
}

export interface AllowedMentions {
  parse: Array<'users' | 'roles' | 'everyone'>;
  users?: string[];
  roles?: string[];
}

/** The JSON body of an execute-webhook (POST) or edit-message (PATCH) request. */
export interface WebhookMessage {
  content?: string;
  username?: string;
  avatar_url?: string;
  embeds?: Embed[];
  allowed_mentions?: AllowedMentions;
  thread_name?: string;
}

/** The characters of one embed that count towards the 6000 total, as Discord counts them. */
export function embedLength(embed: Embed): number {
  let total = codePointLength(embed.title ?? '') + codePointLength(embed.description ?? '');
  total += codePointLength(embed.footer?.text ?? '') + codePointLength(embed.author?.name ?? '');
  for (const field of embed.fields ?? []) total += codePointLength(field.name) + codePointLength(field.value);
  return total;
}

export function messageLength(message: WebhookMessage): number {
  return (message.embeds ?? []).reduce((sum, embed) => sum + embedLength(embed), 0);
}

/** A field value shortened to fit the total keeps at least this much, or the field goes. */
const MIN_FIELD_VALUE = 20;

/** Discord refuses an empty field name or value; this keeps the field visible instead. */
const EMPTY_NAME = '\u200b';
const EMPTY_VALUE = '—';

export interface Fitted {
  message: WebhookMessage;
  /** One line per cut, e.g. "description: 5000 → 4096 characters". */
  cuts: string[];
}

function cut(label: string, text: string, limit: number, cuts: string[]): string {
  const result = truncate(text, limit);
  if (result !== text)
    cuts.push(`${label}: ${codePointLength(text)} → ${codePointLength(result)} characters`);
  return result;
}

function fitEmbed(embed: Embed, index: number, cuts: string[]): Embed {
  const at = (what: string) => (index === 0 ? what : `embed ${index + 1} ${what}`);
  const out: Embed = { ...embed };
  if (out.title !== undefined) out.title = cut(at('title'), out.title, LIMITS.title, cuts);
  if (out.description !== undefined)
    out.description = cut(at('description'), out.description, LIMITS.description, cuts);
  if (out.author)
    out.author = { ...out.author, name: cut(at('author name'), out.author.name, LIMITS.authorName, cuts) };
  if (out.footer)
    out.footer = { ...out.footer, text: cut(at('footer'), out.footer.text, LIMITS.footer, cuts) };
  if (out.fields) {
    let fields = out.fields.map((field, i) => ({
      ...field,
      name: cut(
        at(`field ${i + 1} name`),
        field.name.trim() === '' ? EMPTY_NAME : field.name,
        LIMITS.fieldName,
        cuts
      ),
      value: cut(
        at(`field ${i + 1} value`),
        field.value.trim() === '' ? EMPTY_VALUE : field.value,
        LIMITS.fieldValue,
        cuts
      )
    }));
    if (fields.length > LIMITS.fields) {
      const hidden = fields.length - (LIMITS.fields - 1);
      cuts.push(
        `${at('fields')}: ${fields.length} → ${LIMITS.fields} (the last one says ${hidden} more are not shown)`
      );
      fields = [
        ...fields.slice(0, LIMITS.fields - 1),
        { name: ELLIPSIS, value: `${hidden} more field${hidden === 1 ? '' : 's'} not shown`, inline: false }
      ];
    }
    out.fields = fields;
  }
  return out;
}

/**
 * Brings a message over the 6000 total back under it, giving up the least important text first:
 * the description, then the last field (shortened while 20 characters of it remain, else dropped), and so on up,
 * then the footer, the author name and finally the title.
 */
function fitTotal(embeds: Embed[], cuts: string[]): Embed[] {
  const before = embeds.reduce((sum, embed) => sum + embedLength(embed), 0);
  if (before <= LIMITS.total) return embeds;
  const result = embeds.map((embed) => ({ ...embed, fields: embed.fields?.map((f) => ({ ...f })) }));
  const excess = () => result.reduce((sum, embed) => sum + embedLength(embed), 0) - LIMITS.total;
  /** Shrinks one text by the current excess; a text that cannot shrink enough is cut to `floor`. */
  const shrink = (text: string, floor: number) =>
    truncate(text, Math.max(floor, codePointLength(text) - excess()));
  for (const embed of [...result].reverse()) {
    if (excess() > 0 && embed.description) {
      embed.description = shrink(embed.description, 0);
      if (embed.description === '') delete embed.description;
    }
    // From the last field up: shorten a value while a useful part of it remains, else drop the field.
    while (excess() > 0 && embed.fields?.length) {
      const last = embed.fields[embed.fields.length - 1] as EmbedField;
      if (codePointLength(last.value) - excess() >= MIN_FIELD_VALUE) last.value = shrink(last.value, 1);
      else embed.fields.pop();
    }
    if (excess() > 0 && embed.footer) embed.footer = { ...embed.footer, text: shrink(embed.footer.text, 1) };
    if (excess() > 0 && embed.author) embed.author = { ...embed.author, name: shrink(embed.author.name, 1) };
    if (excess() > 0 && embed.title) embed.title = shrink(embed.title, 1);
  }
  const after = result.reduce((sum, embed) => sum + embedLength(embed), 0);
  cuts.push(
    `whole message: ${before} → ${after} characters (Discord allows ${LIMITS.total} across all embeds)`
  );
  return result;
}

/** The message with every limit applied; `cuts` is empty when nothing had to change. */
export function fitMessage(message: WebhookMessage): Fitted {
  const cuts: string[] = [];
  const out: WebhookMessage = { ...message };
  if (out.content !== undefined) out.content = cut('content', out.content, LIMITS.content, cuts);
  if (out.username !== undefined) out.username = cut('username', out.username, LIMITS.username, cuts);
  if (out.embeds) {
    let embeds = out.embeds.map((embed, index) => fitEmbed(embed, index, cuts));
    if (embeds.length > LIMITS.embeds) {
      cuts.push(`embeds: ${embeds.length} → ${LIMITS.embeds}`);
      embeds = embeds.slice(0, LIMITS.embeds);
    }
    out.embeds = fitTotal(embeds, cuts);
  }
  return { message: out, cuts };
}
