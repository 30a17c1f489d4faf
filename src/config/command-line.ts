// Command lines read with node:util's parseArgs, its errors said in the project's words: one line
// naming the option and what was expected, with the closest option for a misspelt one.
import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';
import { closeMatches } from './parameters.ts';
import { UsageError } from './usage-error.ts';

/** parseCommandLine is parseArgs for `dbss <command>`; a bad option becomes a UsageError. */
export function parseCommandLine<T extends ParseArgsConfig>(command: string, config: T): ReturnType<typeof parseArgs<T>> {
  try {
    // The same config with its arguments rewritten: parseArgs' result type is the caller's.
    return parseArgs({ ...config, args: withNegativeNumbers(config) } as T);
  } catch (e) {
    throw usageErrorOf(command, Object.keys(config.options ?? {}), e);
  }
}

/** withNegativeNumbers joins `--runs -1` into `--runs=-1`, so that the value is checked (and refused) as a number, not taken for an option. */
function withNegativeNumbers(config: ParseArgsConfig): string[] | undefined {
  const args = config.args;
  if (args === undefined) return undefined;
  const takesValue = (arg: string): boolean => arg.startsWith('--') && config.options?.[arg.slice(2)]?.type === 'string';
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const next = args[i + 1];
    if (takesValue(arg) && next !== undefined && /^-[\d.]/.test(next)) {
      out.push(`${arg}=${next}`);
      i++;
    } else {
      out.push(arg);
    }
  }
  return out;
}

function usageErrorOf(command: string, options: readonly string[], e: unknown): unknown {
  const code = (e as { code?: unknown } | null)?.code;
  const message = e instanceof Error ? e.message : '';
  // Node names an option as '--runs', '-h, --help' (short and long) or '--runs <value>'; a short
  // option given a value with = (-h=1) comes as '-=', which names nothing: then say what was typed.
  const quoted = /'([^']*)'/.exec(message)?.[1] ?? '';
  const named = /(?:^|, )(-{1,2}[^\s,<=]+)(?: <value>)?$/.exec(quoted)?.[1];
  const option = named ?? quoted;
  const help = `see dbss ${command} --help`;
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION': {
      if (/^-[^-]*=/.test(option)) return new UsageError(`a short option takes no =VALUE (write -x VALUE, or the long option as --name=VALUE); ${help}`);
      const close = closeMatches(option.replace(/^-+/, ''), options).map((o) => `--${o}`);
      return new UsageError(`unknown option ${option}${close.length > 0 ? ` (did you mean ${close.join(' or ')}?)` : ''}; ${help}`);
    }
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      if (message.includes('ambiguous')) return new UsageError(`${option}: expected a value; for one that starts with "-", write ${option}=VALUE`);
      if (message.includes('does not take')) return new UsageError(`${option}: takes no value; ${help}`);
      return new UsageError(`${option}: expected a value; ${help}`);
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return new UsageError(`dbss ${command} takes no argument ${JSON.stringify(/'([^']*)'/.exec(message)?.[1] ?? '')}; ${help}`);
    default:
      return e;
  }
}
