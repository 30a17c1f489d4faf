// Command templates of agent.yaml: argv arrays (never a shell string) whose arguments may hold
// placeholders such as {vip} or {server}. A template is checked when the configuration is read
// (known program form, known placeholders, no control characters); a value is checked when it
// is substituted, so a host or virtual-server name carrying shell syntax is refused before any
// program runs, locally through execFile or remotely through SSH's single-quoted command line.
import { isHostName, isIpv4 } from '../core/model/validate.ts';
import { isInterfaceName } from '../drivers/vip.ts';

/** ActionName is a world action the agent carries out with a configured command. */
export type ActionName = 'restart' | 'vipClaim' | 'vipRelease' | 'virtualVipClaim' | 'virtualVipRelease' | 'vsResume' | 'vsSuspend';

/** ArgvTemplate is a sequence of commands run one after the other; each must exit 0. */
export type ArgvTemplate = string[][];

export type Placeholder = 'server' | 'serverLower' | 'vip' | 'prefix' | 'iface' | 'vs' | 'target';

const HOST_VALUES: readonly Placeholder[] = ['server', 'serverLower', 'iface'];
const VIP_VALUES: readonly Placeholder[] = [...HOST_VALUES, 'vip', 'prefix'];

/** ACTION_PLACEHOLDERS says which values each action can give its template. */
export const ACTION_PLACEHOLDERS: Readonly<Record<ActionName, readonly Placeholder[]>> = {
  restart: VIP_VALUES,
  vipClaim: VIP_VALUES,
  vipRelease: VIP_VALUES,
  virtualVipClaim: [...VIP_VALUES, 'vs'],
  virtualVipRelease: [...VIP_VALUES, 'vs'],
  vsResume: [...HOST_VALUES, 'vs', 'target'],
  vsSuspend: [...HOST_VALUES, 'vs'],
};

const PROGRAM_RE = /^[A-Za-z0-9_./+][A-Za-z0-9_./+-]*$/;
const PLACEHOLDER_RE = /\{([A-Za-z]+)\}/g;

/** checkTemplate returns what is wrong with one argv of a template, or null. */
export function checkTemplate(action: ActionName, argv: readonly string[]): string | null {
  const [program] = argv;
  if (program === undefined || !PROGRAM_RE.test(program) || program.includes('{')) {
    return 'a command whose first item is a program name or absolute path (no placeholders, no shell syntax)';
  }
  for (const arg of argv) {
    if (/[\0\r\n]/.test(arg)) return 'arguments without NUL, CR or LF';
    for (const m of arg.matchAll(PLACEHOLDER_RE)) {
      const name = m[1] as Placeholder;
      if (!ACTION_PLACEHOLDERS[action].includes(name)) {
        return `placeholders of ${action} only: ${ACTION_PLACEHOLDERS[action].map((p) => `{${p}}`).join(', ')} (got {${m[1]}})`;
      }
    }
  }
  return null;
}

/** TemplateValueError says that a value to substitute is not what its placeholder allows. */
export class TemplateValueError extends Error {
  override readonly name = 'TemplateValueError';
}

const VALID: Record<Placeholder, (v: string) => boolean> = {
  server: isHostName,
  serverLower: isHostName,
  target: isHostName,
  vs: isHostName,
  vip: isIpv4,
  prefix: (v) => /^(?:[1-9]|[12][0-9]|3[0-2])$/.test(v),
  iface: isInterfaceName,
};

/**
 * expandTemplate substitutes values into every argument. Each value is validated for its
 * placeholder first (a host name, an IPv4 address, ...), so nothing from the management files
 * or a peer can bring a space, quote, semicolon or dollar sign into a command.
 */
export function expandTemplate(action: ActionName, template: ArgvTemplate, values: Partial<Record<Placeholder, string>>): string[][] {
  for (const [name, value] of Object.entries(values) as [Placeholder, string][]) {
    if (!VALID[name](value)) throw new TemplateValueError(`${action}: refusing ${JSON.stringify(value)} as {${name}}`);
  }
  return template.map((argv) =>
    argv.map((arg) =>
      arg.replace(PLACEHOLDER_RE, (_all, name: string) => {
        const value = values[name as Placeholder];
        if (value === undefined) throw new TemplateValueError(`${action}: no value for {${name}}`);
        return value;
      }),
    ),
  );
}
