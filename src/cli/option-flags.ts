import { Command, Option } from 'commander';
import { UserError } from '../common/errors';
import { optionProblem, STYLE_OPTION_DEFS, type OptionDef, type StyleOptionKey, type StyleOptions } from '../common/options';

/** styleWeight -> --style-weight: the flags mirror the settings' names. */
export function flagName(key: string): string {
  return '--' + key.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());
}

function placeholder(def: OptionDef): string {
  switch (def.kind) {
    case 'number': return def.integer ? '<int>' : '<number>';
    case 'enum': return '<name>';
    case 'layers': return '<layer,...>';
    case 'numbers': return '<number,...>';
    case 'boolean': return '';
  }
}

/**
 * A flag that names a file or folder. Given empty (`-o ""`, `--weights "$UNSET"`) it is refused while the command
 * line is read, rather than taken as not given (the default, a download) or found wrong after the work.
 */
export function pathOption(flags: string, description: string, what: string): Option {
  const name = flags.split(/[ ,]+/)[0];
  return new Option(flags, description).argParser((value: string) => {
    if (value.trim() === '') throw new UserError(`${name} is empty; give ${what}`);
    return value;
  });
}

/** Adds one flag per run option (booleans get --x and --no-x), described and defaulted from the option table. */
export function addStyleOptionFlags(cmd: Command): Command {
  for (const [key, def] of Object.entries(STYLE_OPTION_DEFS) as Array<[StyleOptionKey, OptionDef]>) {
    const flag = flagName(key);
    if (def.kind === 'boolean') {
      cmd.addOption(new Option(flag, def.description));
      cmd.addOption(new Option(flag.replace('--', '--no-'), `the opposite of ${flag}`));
      continue;
    }
    const opt = new Option(`${flag} ${placeholder(def)}`, def.description);
    if (def.kind === 'enum') opt.choices(def.values);
    cmd.addOption(opt);
  }
  return cmd;
}

/** Decimal numbers only: Number() would also take "0x10", "0b11" or "" (as 16, 3 and 0). */
const DECIMAL = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i;

function parseNumber(raw: string): number {
  const s = raw.trim();
  return DECIMAL.test(s) ? Number(s) : NaN;
}

function parseValue(def: OptionDef, raw: unknown): unknown {
  if (typeof raw !== 'string') return raw;
  const list = () => raw.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  switch (def.kind) {
    case 'number': return parseNumber(raw);
    // An entry that is no finite number stays text, so that the message quotes it rather than showing NaN.
    case 'numbers': return list().map((s) => {
      const n = parseNumber(s);
      return Number.isFinite(n) ? n : s;
    });
    case 'layers': return list();
    default: return raw;
  }
}

/** Numbers are shown in messages as typed, so that one that did not parse is named by its text rather than as NaN. */
function asTyped(def: OptionDef, raw: unknown): string | undefined {
  if (typeof raw !== 'string') return undefined;
  if (def.kind === 'number') return DECIMAL.test(raw.trim()) ? raw.trim() : JSON.stringify(raw);
  return def.kind === 'numbers' ? JSON.stringify(raw) : undefined;
}

/** The text of `flag` (`raw`) parsed as `def` says and checked against it; a bad one is a UserError naming `flag`. */
export function parseFlag(flag: string, def: OptionDef, raw: unknown): unknown {
  const value = parseValue(def, raw);
  const problem = optionProblem(def, value, asTyped(def, raw));
  if (problem) throw new UserError(`${flag} ${problem}`);
  return value;
}

/** The options given on the command line (only those), parsed and checked; a bad one is a UserError naming its flag. */
export function explicitStyleOptions(cmd: Command): Partial<StyleOptions> {
  const values = cmd.opts();
  const out: Record<string, unknown> = {};
  for (const [key, def] of Object.entries(STYLE_OPTION_DEFS) as Array<[StyleOptionKey, OptionDef]>) {
    if (cmd.getOptionValueSource(key) === 'cli') out[key] = parseFlag(flagName(key), def, values[key]);
  }
  return out as Partial<StyleOptions>;
}
