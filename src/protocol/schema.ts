/**
 * Runtime shapes for the messages that cross a process or frame boundary. A schema both checks a value that
 * arrives and gives its TypeScript type (`Infer`), so a message is described once and its type cannot drift
 * from its check.
 */
export interface Schema<T> {
  /** Why `value` does not fit, naming where (`at`), or undefined when it does. */
  readonly problem: (value: unknown, at: string) => string | undefined;
  /** Marks a property that may be absent (see `optional`). */
  readonly optional?: boolean;
  /** Carries T for `Infer`; never set. */
  readonly __type?: T;
}

export type Infer<S> = S extends Schema<infer T> ? T : never;

type Props = Record<string, Schema<unknown>>;
type OptionalKeys<P extends Props> = { [K in keyof P]: P[K] extends { optional: true } ? K : never }[keyof P];
type ObjectOf<P extends Props> = { [K in Exclude<keyof P, OptionalKeys<P>>]: Infer<P[K]> } & {
  [K in OptionalKeys<P>]?: Infer<P[K]>;
};
type Flat<T> = { [K in keyof T]: T[K] };

function show(v: unknown): string {
  if (v instanceof Uint8Array) return `${v.length} bytes`;
  const s = typeof v === 'string' ? JSON.stringify(v) : (JSON.stringify(v) ?? String(v));
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

function simple<T>(expected: string, test: (v: unknown) => boolean): Schema<T> {
  return { problem: (v, at) => (test(v) ? undefined : `${at} must be ${expected}, got ${show(v)}`) };
}

export const string = simple<string>('a string', (v) => typeof v === 'string');
export const boolean = simple<boolean>('true or false', (v) => typeof v === 'boolean');
/** Finite only: the values are drawn or printed, and JSON (the webview's channel) has no NaN or Infinity. */
export const number = simple<number>('a finite number', (v) => typeof v === 'number' && Number.isFinite(v));
export const count = simple<number>('a whole number >= 0', (v) => Number.isInteger(v) && (v as number) >= 0);
export const bytes = simple<Uint8Array>('bytes', (v) => v instanceof Uint8Array);

export function literal<const L extends string>(value: L): Schema<L> {
  return simple<L>(JSON.stringify(value), (v) => v === value);
}

export function oneOf<const V extends readonly string[]>(values: V): Schema<V[number]> {
  return simple<V[number]>(`one of ${values.join(', ')}`, (v) => typeof v === 'string' && values.includes(v));
}

export function optional<T>(s: Schema<T>): Schema<T> & { optional: true } {
  return { problem: (v, at) => (v === undefined ? undefined : s.problem(v, at)), optional: true };
}

export function array<T>(item: Schema<T>, maxLength = Infinity): Schema<T[]> {
  return {
    problem(v, at) {
      if (!Array.isArray(v)) return `${at} must be a list, got ${show(v)}`;
      if (v.length > maxLength) return `${at} must have at most ${maxLength} entries, got ${v.length}`;
      for (let i = 0; i < v.length; i++) {
        const p = item.problem(v[i], `${at}[${i}]`);
        if (p) return p;
      }
      return undefined;
    },
  };
}

export function object<P extends Props>(props: P): Schema<Flat<ObjectOf<P>>> {
  return {
    problem(v, at) {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) return `${at} must be an object, got ${show(v)}`;
      const record = v as Record<string, unknown>;
      for (const [key, s] of Object.entries(props)) {
        const p = s.problem(record[key], `${at}.${key}`);
        if (p) return p;
      }
      return undefined;
    },
  };
}

/** A value checked by a function of its own (e.g. the option table's `optionProblem`). */
export function custom<T>(problem: (v: unknown, at: string) => string | undefined): Schema<T> {
  return { problem };
}

type Variants = Record<string, Props>;
type Tagged<V extends Variants> = { [K in keyof V & string]: Flat<{ type: K } & ObjectOf<V[K]>> }[keyof V & string];

/** Messages told apart by their `type`; each variant lists its other properties. */
export function tagged<V extends Variants>(variants: V): Schema<Tagged<V>> {
  const shapes = Object.fromEntries(Object.entries(variants).map(([k, props]) => [k, object(props)]));
  return {
    problem(v, at) {
      const type = (v as { type?: unknown } | null)?.type;
      if (typeof type !== 'string' || !Object.hasOwn(shapes, type)) {
        return `${at} has an unknown type ${show(type)} (expected ${Object.keys(variants).join(', ')})`;
      }
      return shapes[type].problem(v, at);
    },
  };
}

/** A message or state that does not fit its schema: a bug or a version mismatch, never the user's doing. */
export class ProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProtocolError';
  }
}

/** `value` typed by `schema`, or a ProtocolError saying what is wrong with it. */
export function parse<T>(schema: Schema<T>, value: unknown, what: string): T {
  const p = schema.problem(value, what);
  if (p) throw new ProtocolError(p);
  return value as T;
}
