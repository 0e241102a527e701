import { afterEach, describe, expect, it } from '@jest/globals';
import { InputError } from '../../src/core/errors.js';
import {
  booleanInput,
  choiceInput,
  durationInput,
  integerInput,
  jsonInput,
  listInput,
  mapInput,
  optionalInput,
  parseDuration,
  parseKeyValues,
  parseList,
  requiredInput
} from '../../src/core/inputs.js';
import { withInputs } from '../helpers/inputs.js';

let restore: () => void = () => undefined;
afterEach(() => restore());

function given(value: string): void {
  restore = withInputs({ x: value });
}

function errorOf(fn: () => unknown): InputError {
  try {
    fn();
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('expected an InputError');
}

describe('requiredInput / optionalInput', () => {
  it.each([
    ['value', 'value'],
    ['  padded  ', 'padded']
  ])('required %j reads %j', (raw, expected) => {
    given(raw);
    expect(requiredInput('x')).toBe(expected);
  });

  it.each(['', '   ', '\n'])('required %j is an error naming the input', (raw) => {
    given(raw);
    const error = errorOf(() => requiredInput('x'));
    expect(error.input).toBe('x');
    expect(error.message).toBe("Input 'x': is required but was not given.");
  });

  it.each([
    ['', undefined],
    ['  ', undefined],
    ['v', 'v']
  ])('optional %j reads %j', (raw, expected) => {
    given(raw);
    expect(optionalInput('x')).toBe(expected);
  });
});

describe('booleanInput', () => {
  it.each([
    ['true', false, true],
    ['True', false, true],
    ['TRUE', false, true],
    ['false', true, false],
    ['False', true, false],
    ['FALSE', true, false],
    ['', true, true],
    ['', false, false]
  ])('%j with default %s is %s', (raw, fallback, expected) => {
    given(raw);
    expect(booleanInput('x', fallback)).toBe(expected);
  });

  it.each(['yes', 'no', '1', '0', 'on', 'tru'])('%j is rejected with the expected form', (raw) => {
    given(raw);
    expect(errorOf(() => booleanInput('x', false)).message).toBe(
      `Input 'x': '${raw}' is not a boolean; expected true or false.`
    );
  });
});

describe('integerInput', () => {
  it.each([
    ['', 7, 7],
    ['0', 7, 0],
    ['42', 7, 42],
    ['+3', 7, 3],
    ['-3', 7, -3]
  ])('%j (default %d) is %d', (raw, fallback, expected) => {
    given(raw);
    expect(integerInput('x', fallback)).toBe(expected);
  });

  it.each(['1.5', 'ten', '1e3', '0x10'])('%j is not a whole number', (raw) => {
    given(raw);
    expect(errorOf(() => integerInput('x', 1)).message).toBe(`Input 'x': '${raw}' is not a whole number.`);
  });

  it.each([
    ['0', "Input 'x': 0 is out of range; expected a whole number from 1 to 64."],
    ['65', "Input 'x': 65 is out of range; expected a whole number from 1 to 64."]
  ])('%j outside 1..64 is rejected', (raw, message) => {
    given(raw);
    expect(errorOf(() => integerInput('x', 16, { min: 1, max: 64 })).message).toBe(message);
  });

  it('accepts the exact bounds', () => {
    given('1');
    expect(integerInput('x', 16, { min: 1, max: 64 })).toBe(1);
    given('64');
    expect(integerInput('x', 16, { min: 1, max: 64 })).toBe(64);
  });

  it('names an open bound', () => {
    given('-1');
    expect(errorOf(() => integerInput('x', 0, { min: 0 })).message).toContain('from 0 to ∞');
  });
});

describe('choiceInput', () => {
  const choices = ['wait', 'fail'] as const;
  it('defaults when empty and accepts a listed value', () => {
    given('');
    expect(choiceInput('x', choices, 'wait')).toBe('wait');
    given('fail');
    expect(choiceInput('x', choices, 'wait')).toBe('fail');
  });
  it('lists the choices when the value is not one of them', () => {
    given('Fail');
    expect(errorOf(() => choiceInput('x', choices, 'wait')).message).toBe(
      "Input 'x': 'Fail' is not allowed; expected one of: wait, fail."
    );
  });
});

describe('parseDuration / durationInput', () => {
  it.each([
    ['90', 90_000],
    ['1.5', 1500],
    ['90s', 90_000],
    ['10m', 600_000],
    ['1h', 3_600_000],
    ['1h30m', 5_400_000],
    ['2m30s', 150_000],
    ['500ms', 500],
    ['1m500ms', 60_500],
    ['0s', 0]
  ])('%j is %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', 'm', '10x', '10 m', '-5s', 's10', '10m junk', '1d'])('%j is not a duration', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });

  it('uses the default when empty and names the input when wrong', () => {
    given('');
    expect(durationInput('x', '20m')).toBe(1_200_000);
    given('forever');
    expect(errorOf(() => durationInput('x', '20m')).message).toBe(
      "Input 'x': 'forever' is not a duration; expected a number with a unit, like 90s, 10m or 1h30m."
    );
  });

  it('enforces a maximum', () => {
    given('7h');
    expect(errorOf(() => durationInput('x', '1m', { maxMs: 6 * 3_600_000 })).message).toBe(
      "Input 'x': '7h' is too long; the most allowed is 21600s."
    );
  });
});

describe('parseList / listInput', () => {
  it.each([
    ['', []],
    ['a', ['a']],
    ['a\nb', ['a', 'b']],
    ['a\r\nb\r\n', ['a', 'b']],
    ['a\rb', ['a', 'b']],
    ['  a  \n\n  b  ', ['a', 'b']],
    ['# comment\na', ['a']],
    ['한글/파일.html\n', ['한글/파일.html']]
  ])('%j splits into %j', (text, expected) => {
    expect(parseList(text)).toEqual(expected);
  });

  it('splits on commas when asked', () => {
    expect(parseList('a, b\nc', { commas: true })).toEqual(['a', 'b', 'c']);
    given('db/migration,filesystem:sql');
    expect(listInput('x', { commas: true })).toEqual(['db/migration', 'filesystem:sql']);
  });
});

describe('parseKeyValues / mapInput', () => {
  it('keeps order and splits at the first =', () => {
    const parsed = parseKeyValues('b=2\na = x=y\n');
    expect(parsed).toEqual(
      new Map([
        ['b', '2'],
        ['a', 'x=y']
      ])
    );
  });

  it('allows an empty value', () => {
    expect(parseKeyValues('EMPTY=')).toEqual(new Map([['EMPTY', '']]));
  });

  it.each(['novalue', '=value'])('%j names the bad item', (line) => {
    given(`ok=1\n${line}`);
    expect(errorOf(() => mapInput('x')).message).toBe(
      `Input 'x': item 2 ('${line}') is not key=value. Expected one key=value per line.`
    );
  });

  it('does not echo a secret line', () => {
    given('TOKEN hunter2');
    const message = errorOf(() => mapInput('x', { secret: true })).message;
    expect(message).not.toContain('hunter2');
    expect(message).toContain('item 1');
  });
});

describe('jsonInput', () => {
  it('parses JSON and is undefined when empty', () => {
    given('["/a","/b"]');
    expect(jsonInput('x')).toEqual(['/a', '/b']);
    given('');
    expect(jsonInput('x')).toBeUndefined();
  });
  it('names the input on bad JSON', () => {
    given('[1,');
    const message = errorOf(() => jsonInput('x')).message;
    expect(message).toMatch(/^Input 'x': is not valid JSON \(.+\)\.$/);
  });
});
