import { STYLE_OPTION_DEFS, type StyleOptionKey, type StyleOptions } from '../../src/common/options';
import { flagName } from '../../src/cli/option-flags';

/** The CLI flags of recorded options: each option the method uses that differs from its default. */
export function recordedFlags(o: StyleOptions): string[] {
  return (Object.keys(STYLE_OPTION_DEFS) as StyleOptionKey[])
    .filter((k) => !('for' in STYLE_OPTION_DEFS[k]) || (STYLE_OPTION_DEFS[k] as { for?: string }).for === o.method)
    .filter((k) => JSON.stringify(o[k]) !== JSON.stringify(STYLE_OPTION_DEFS[k].default))
    .flatMap((k) => (typeof o[k] === 'boolean' ? [flagName(k)] : [flagName(k), String(o[k])]));
}
