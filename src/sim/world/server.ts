// SimServer is one simulated machine of the cluster: its power, its service, its links to the
// two networks (Fig. 13: a service switch and a management switch), the virtual servers it
// runs, and the management program (a ProtocolNode) while it is up.
import type { ManagementData } from '../../core/model/management-data.ts';
import type { Rng } from '../kernel/rng.ts';
import type { NodeRunner } from './node-runner.ts';

/**
 * ServerDraws are the random streams of what happens on one server: its durations, those only the
 * hardened ring has, and its load measurements. In a run they are the run's shared streams; in a
 * stretch of a long run each server has its own, keyed by interval (run.ts, kernel/rng.ts).
 */
export interface ServerDraws {
  durations: Rng;
  hardenedDurations: Rng;
  loads: Rng;
}

/** Power follows a machine through a restart: on, shutting down, off, booting. */
export type Power = 'on' | 'shuttingDown' | 'off' | 'booting';

export class SimServer {
  power: Power = 'on';
  /** serviceBroken is an St fault: the service program has a problem until the server restarts. */
  serviceBroken = false;
  serviceLinkUp = true;
  managementLinkUp = true;
  /** runningVs holds the virtual servers running on this host, by name, with the target each stands in for. */
  readonly runningVs = new Map<string, string>();
  runner: NodeRunner | null = null;
  /** bootSeq counts power-ons, so that events meant for an earlier life are dropped. */
  bootSeq = 0;
  /** clockOffsetUs is how far this server's clock is off (chrony not synchronised); 0 normally. Its runner keeps a copy (World.setClockOffset sets both). */
  clockOffsetUs = 0;
  /** bookedUs holds the intervals its management work is booked for, start and end in turn (host-queue.ts); emptied when it stops. */
  readonly bookedUs: number[] = [];
  /** fenced is true from a fence landing until its lift (hardened ring, fencing): a resume landing here fails. */
  fenced = false;
  /** vmCapacity is how many virtual servers the host can run (a fault may take it to 0). */
  vmCapacity: number;
  /** name is the host name of its management data, kept here: it is read at nearly every event. */
  readonly name: string;

  constructor(
    readonly no: number,
    readonly data: ManagementData,
    vmCapacity: number,
    /** draws are this server's random streams (ServerDraws). */
    readonly draws: ServerDraws,
  ) {
    this.vmCapacity = vmCapacity;
    this.name = data.hostName;
  }


  /** answersNetwork tells whether a ping to the server on the service network gets a reply. */
  get answersNetwork(): boolean {
    return (this.power === 'on' || this.power === 'shuttingDown') && this.serviceLinkUp;
  }

  /** reachableForManagement tells whether SSH, SEM and file transfers reach it. */
  get reachableForManagement(): boolean {
    return (this.power === 'on' || this.power === 'shuttingDown') && this.managementLinkUp;
  }

  /** serviceUp tells whether its own service answers (not during shutdown, not with an St fault). */
  get serviceUp(): boolean {
    return this.power === 'on' && !this.serviceBroken;
  }
}
