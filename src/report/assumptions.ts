// The report's "Model assumptions" section: every parameter whose default the paper does not print,
// with its source, from src/paper/params.ts (PARAM_SOURCES) and src/paper/testbed.ts
// (SIM_PARAM_SOURCES, which mirrors the doc comments of src/sim/sim-params.ts).
import type { Params } from '../core/model/params.ts';
import { defaultParams, PARAM_SOURCES } from '../paper/params.ts';
import { paramSource } from '../paper/sources.ts';
import type { SourceKind } from '../paper/sources.ts';
import { defaultSimParams, SIM_PARAM_SOURCES } from '../paper/testbed.ts';
import type { SimParams } from '../sim/sim-params.ts';
import { fixed } from './format.ts';

/** ModelAssumption is one line of the report's "Model assumptions" section. */
export interface ModelAssumption {
  owner: 'Params' | 'SimParams';
  name: string;
  value: string;
  kind: SourceKind;
  reason: string;
}

/** MechanismReading is a reading of ours of the paper's text that shapes a mechanism rather than a parameter. */
export interface MechanismReading {
  what: string;
  reading: string;
  text: string;
}

/** MECHANISM_READINGS are readings of the paper's text that shape a mechanism: when P2P monitors, what a P2's take-over starts, what several DBSSs on one server cost. */
export const MECHANISM_READINGS: readonly MechanismReading[] = [
  {
    what: 'P2P monitoring times (the S.file)',
    reading:
      'the S.file sets the schedule every server monitors on: each monitors at every tick of it (UNIX-time multiples ' +
      'of the interval), whether or not that interval\'s S.file arrived; the first running server of the group file ' +
      'broadcasts it. Replaces our earlier reading (a server waited for the S.file, at most half an interval, ' +
      'Params.syncWaitMaxUs, now removed), under which a failed broadcaster delayed every detection by 5 s',
    text:
      'Sec. 2.3: "the synchronization processing is executed to synchronize the monitoring times of all the management ' +
      'servers, and the S.file ... is regularly broadcast"; Sec. 5.3: "if the login server detects a network problem in ' +
      'the mail server, the management program is started to manage the FTP server after a lapse of Tnd. Thereafter, ' +
      'the program detects network trouble in the FTP server after a lapse of Tnd", with Mail (the broadcaster) down ' +
      'and no wait for the S.file in the chain',
  },
  {
    what: 'P2P take-over: the program starts of the P2 that acts as P1',
    reading:
      'a P2 that takes over because the target\'s P1 failed too performs the P1 operation with its two program starts ' +
      'before the virtual server, for the roles the two failed servers held: the running server before the failed P1 ' +
      'is asked to start the program that manages the P2 with P1, and the P2 starts the one that manages that server ' +
      'with P2 (one remote and one local start, SimParams.programStartUs and remoteCommandUs, as a P1\'s). Replaces our ' +
      'earlier reading, under which the P2 started nothing since the server after the target is the P2 itself',
    text:
      'Sec. 2.3: "S1 executes the background job ... Server S1 executes a new program that manages S3 with P1. This ' +
      'program also starts a separate program that manages S1 with P2. Next, S1 creates S2b ..."; "If S1 is determined ' +
      'to be in an abnormal state, then S3, rather than S1, performs an operation with P1"',
  },
  {
    what: 'several DBSSs on one management server (ring)',
    reading:
      'the steps that use the management server itself, A3 load collection, A4 edit of the shared management files ' +
      'and the procedure file send of the original server method (Sec. 3.1, after the activation on the host), run one ' +
      'at a time on that server in the order they are issued (src/sim/world/host-queue.ts); examinations, activation ' +
      'and VIP moves run side by side. A step that finds its server free takes its own time, so one DBSS at work is ' +
      'timed as before',
    text:
      'Sec. 4.2, Fig. 10(b)(c): one server\'s DBSS starts the next ones by dynamic management extension and each ' +
      'creates its virtual server; Sec. 5.3 on Table 2 lower: "a slight delay ... due to the time required to deal with ' +
      'simultaneous failures such as the management server selection processing necessary to create the virtual server"',
  },
  {
    what: 'A5 with several failures on one server (ring)',
    reading:
      'A5 places no virtual server on a target another DBSS of the same server has found failing, even before that ' +
      'DBSS\'s A4 separates it (with the queued A4, the first DBSS would otherwise pick the second target as host and ' +
      'lose that virtual server an interval later)',
    text: 'Sec. 5.3: "the management server selection processing necessary to create the virtual server" under simultaneous failures',
  },
];

/** modelAssumptions lists every parameter whose default is an assumption, a figure reading or a derivation. */
export function modelAssumptions(params: Params = defaultParams(), sim: SimParams = defaultSimParams()): ModelAssumption[] {
  const core = (Object.keys(PARAM_SOURCES) as (keyof Params)[]).map((name): ModelAssumption => {
    const source = paramSource(PARAM_SOURCES[name]);
    return { owner: 'Params', name, value: formatParam(name, params[name]), ...source };
  });
  const world = (Object.keys(SIM_PARAM_SOURCES) as (keyof SimParams)[]).map((name): ModelAssumption => {
    const source = SIM_PARAM_SOURCES[name];
    return { owner: 'SimParams', name, value: formatParam(name, sim[name]), ...source };
  });
  return [...core, ...world].filter((a) => a.kind !== 'paper');
}

/** formatParam prints a parameter value in the unit its name carries (Us, Kb, BytesPerS, Pct, Fraction, UnixS). */
export function formatParam(name: string, value: number | Record<string, number>): string {
  if (typeof value !== 'number') {
    return Object.entries(value)
      .map(([k, v]) => `${k} ${formatParam('valueUs', v)}`)
      .join(', ');
  }
  if (name.endsWith('Us')) return `${trimZeros(fixed(value / 1e6, 3))} s`;
  if (name.endsWith('Kb')) return `${value / 1024} MB`;
  if (name.endsWith('BytesPerS')) return `${value} B/s`;
  if (name.endsWith('Pct')) return `${value} %`;
  if (name.endsWith('Fraction')) return `${value} (${trimZeros(fixed(value * 100, 1))} %)`;
  if (name.endsWith('UnixS')) return `${value} (${new Date(value * 1000).toISOString().replace('.000Z', 'Z')})`;
  return String(value);
}

function trimZeros(text: string): string {
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}
