import * as v from 'valibot';
import { errorMessage, shownValue } from '../common/errors';

/**
 * The field types the messages are made of, each with a message in the project's words ("must be ..., got ...")
 * naming what arrived, so that a refused message says what was wrong with it.
 */

function show(value: unknown): string {
  if (value instanceof Uint8Array) return `${value.length} bytes`;
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  const s = shownValue(value);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

export const got = (expected: string) => (issue: v.BaseIssue<unknown>) => `must be ${expected}, got ${show(issue.input)}`;

export const string = v.string(got('a string'));
export const boolean = v.boolean(got('true or false'));
/** Finite only: the values are drawn or printed, and JSON (the webview's channel) has no NaN or Infinity. */
export const number = v.pipe(v.number(got('a finite number')), v.finite(got('a finite number')));
/** A whole number of at least `min`. */
export function wholeFrom(min: number) {
  const problem = got(`a whole number >= ${min}`);
  return v.pipe(v.number(problem), v.integer(problem), v.minValue(min, problem));
}
export const count = wholeFrom(0);
export const bytes = v.custom<Uint8Array>((x) => x instanceof Uint8Array, got('bytes'));

export function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return v.picklist(values, got(`one of ${values.join(', ')}`));
}

/** A missing key is reported at the key (valibot reports it with the object's message). */
const objectIssue = (issue: v.BaseIssue<unknown>) =>
  issue.input === undefined && (issue.path?.length ?? 0) > 0 && issue.expected?.startsWith('"') ? 'is missing' : got('an object')(issue);

export function object<const E extends v.ObjectEntries>(entries: E) {
  return v.object(entries, objectIssue);
}

export function array<const S extends v.GenericSchema>(item: S) {
  return v.array(item, got('a list'));
}

/** Messages told apart by their `type`. */
export function tagged<const O extends v.VariantOptions<'type'>>(options: O) {
  const types = options.map((o) => (o as unknown as { entries: { type: { literal: string } } }).entries.type.literal).join(', ');
  return v.variant('type', options, (issue) => `has an unknown type ${show(issue.input)} (expected ${types})`);
}

/** One variant of `tagged`. */
export function message<const T extends string, const E extends v.ObjectEntries>(type: T, entries: E) {
  return v.object({ type: v.literal(type), ...entries }, objectIssue);
}

/** A message or state that does not fit its schema: a bug or a version mismatch, never the user's doing. */
export class ProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProtocolError';
  }
}

/** `value` checked against `schema`, or a ProtocolError saying where (`what`, then the path) and what is wrong. */
export function parse<const S extends v.GenericSchema>(schema: S, value: unknown, what: string): v.InferOutput<S> {
  const result = v.safeParse(schema, value);
  if (result.success) return result.output;
  const issue = result.issues[0];
  const where = (issue.path ?? []).map((p) => (typeof p.key === 'number' ? `[${p.key}]` : `.${String(p.key)}`)).join('');
  throw new ProtocolError(`${what}${where} ${issue.message}`);
}

/**
 * A receiver of raw messages: each one that passes `schema` goes to `handle`, one that does not goes to `refuse` with
 * the reason, so that a bad message is logged or answered and never ends its receiver.
 */
export function checked<const S extends v.GenericSchema>(
  schema: S,
  what: string,
  handle: (message: v.InferOutput<S>) => void,
  refuse: (problem: string) => void,
): (raw: unknown) => void {
  return (raw) => {
    let message: v.InferOutput<S>;
    try {
      message = parse(schema, raw, what);
    } catch (e) {
      refuse(errorMessage(e));
      return;
    }
    handle(message);
  };
}
