// `dbss lab up|fault|status|down`: the lab of real processes that proves the drivers (issue 5),
// laid out like the paper's experimental system (Sec. 5.1, Fig. 13). Root only: it makes
// network namespaces, bridges and libvirt domains.
import { parseCommandLine } from '../config/command-line.ts';
import { isSafeAbsolutePath } from '../drivers/paths.ts';
import { UsageError } from '../config/usage-error.ts';
import { parseIntOption } from '../config/options.ts';
import { DEFAULT_LAB_DIR, DEFAULT_SERVERS, parseServerList } from '../lab/layout.ts';
import { labDown } from '../lab/lab-down.ts';
import { labFault, parseFault } from '../lab/lab-fault.ts';
import { formatStatus, labStatus } from '../lab/lab-status.ts';
import { LabAlreadyUpError, labUp } from '../lab/lab-up.ts';
import type { VmAccel } from '../lab/virtual-servers.ts';

/** DEFAULT_BOOT_DELAY_MS stands in for Table 1's 31.07 s real server start time, short to keep tests short. */
export const DEFAULT_BOOT_DELAY_MS = 3000;

export const LAB_HELP = `Usage: dbss lab <up|fault|status|down> [options]   (root only)

A lab of real processes laid out like the paper's experimental system (Sec. 5.1, Fig. 13):
one network namespace per server (dbss-<server>) with sshd, chronyd -x and its service, and
dbss-infra with the service bridge (198.18.0.0/24, client 198.18.0.250, gateway .254), the
management bridge (198.18.1.0/24, time server and power controller at 198.18.1.254) and a
power controller that boots a powered-off server on a Wake-on-LAN magic packet. Where
/dev/kvm and libvirtd are usable, every target whose protocol busybox can serve (FTP, SMTP,
HTTP) gets its virtual server: a tiny libvirt domain dbss-vs-<target>b (Debian kernel, busybox)
at 198.18.0.(110+i), booted and then suspended, as the paper's virtual servers wait (auto: KVM,
falling back to TCG when this host's KVM cannot boot it). Resume one with
\`dbss agent vs resume dbss-vs-FTPb\`; its VIP is set over the guest's control line.

  dbss lab up [--servers Mail,FTP,Web1,Web2,Proxy,Login] [--dir ${DEFAULT_LAB_DIR}]
              [--boot-delay-ms ${DEFAULT_BOOT_DELAY_MS}] [--on-boot /path/to/hook]
              [--no-kvm | --vm-accel auto|kvm|tcg]
  dbss lab fault <server> St|Nt [--dir DIR]   St: kill the service; Nt: power the server off
  dbss lab status [--json] [--dir DIR]        power, service, VIPs and chrony sync per server
  dbss lab down [--dir DIR]                   remove everything the lab made (idempotent)`;

function parseAccel(text: string): VmAccel {
  if (text === 'kvm' || text === 'auto') return text;
  if (text === 'tcg') return 'qemu';
  throw new UsageError(`--vm-accel: expected auto, kvm or tcg, got ${JSON.stringify(text)}`);
}

function parseOnBoot(text: string | undefined): string | null {
  if (text === undefined) return null;
  if (!isSafeAbsolutePath(text)) throw new UsageError(`--on-boot: expected an absolute path of an executable, got ${JSON.stringify(text)}`);
  return text;
}

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

const log = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

export async function labCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine('lab', {
    args: argv,
    options: {
      servers: { type: 'string' },
      dir: { type: 'string' },
      'boot-delay-ms': { type: 'string' },
      'on-boot': { type: 'string' },
      'no-kvm': { type: 'boolean' },
      'vm-accel': { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: true,
    strict: true,
  });
  const [sub, ...rest] = positionals;
  if (values.help === true || sub === undefined) {
    process.stdout.write(`${LAB_HELP}\n`);
    return sub === undefined && values.help !== true ? 2 : 0;
  }
  if (!isRoot()) {
    process.stderr.write('error: dbss lab must run as root (it creates network namespaces, bridges and libvirt domains)\n');
    return 2;
  }
  const dir = values.dir ?? DEFAULT_LAB_DIR;
  switch (sub) {
    case 'up':
      try {
        await labUp({
          dir,
          servers: values.servers === undefined ? [...DEFAULT_SERVERS] : parseServerList(values.servers),
          bootDelayMs: values['boot-delay-ms'] === undefined ? DEFAULT_BOOT_DELAY_MS : parseIntOption('--boot-delay-ms', values['boot-delay-ms'], 0),
          onBoot: parseOnBoot(values['on-boot']),
          kvm: values['no-kvm'] !== true,
          vmAccel: parseAccel(values['vm-accel'] ?? 'auto'),
          readyTimeoutMs: 30_000,
          log,
        });
      } catch (error) {
        if (error instanceof UsageError) throw error;
        if (error instanceof LabAlreadyUpError) {
          process.stderr.write(`error: ${error.message}\n`);
          return 1;
        }
        process.stderr.write(`error: lab up failed: ${(error as Error).message.split('\n')[0]}\nrun "dbss lab down${dir === DEFAULT_LAB_DIR ? '' : ` --dir ${dir}`}" to remove what was made\n`);
        return 1;
      }
      return 0;
    case 'fault': {
      const [server, fault] = rest;
      if (server === undefined || fault === undefined) throw new UsageError('usage: dbss lab fault <server> St|Nt');
      await labFault({ dir, server, fault: parseFault(fault), log });
      return 0;
    }
    case 'status': {
      const status = await labStatus(dir);
      process.stdout.write(`${values.json === true ? JSON.stringify(status, null, 2) : formatStatus(status)}\n`);
      return status.up ? 0 : 1;
    }
    case 'down':
      await labDown({ dir, log });
      return 0;
    default:
      throw new UsageError(`unknown lab command ${JSON.stringify(sub)}; expected up, fault, status or down`);
  }
}
