// Moving a virtual IP in the simulated world (Sec. 2.1: the VIP goes to the virtual server and back):
// release from the old holder, duplicate-address detection, claim with a gratuitous ARP.
import type { CommandResult, HostCommand, VipHolder } from '../../core/program/commands.ts';
import type { NodeRunner } from './node-runner.ts';
import { afterThen, FAIL, OK } from './replies.ts';
import { holderKey } from './vip-table.ts';
import type { World } from './world.ts';

/** setVip releases the VIP from `from` when that holder still answers, then claims it for `to` with a gratuitous ARP. */
export function setVip(world: World, runner: NodeRunner, command: Extract<HostCommand, { type: 'setVip' }>): void {
  const me = runner.server;
  const sim = world.sim;
  const releasing = command.from !== null && world.holderLive(command.from);
  // Hardened (readmission): a suspend in the release's step takes its time from the hardened stream.
  const suspendUs = releasing && command.suspendFrom === true ? world.varyHardened(sim.vsSuspendUs, me) : 0;
  const delayUs = (releasing ? world.vary(sim.vipReleaseUs, me) : 0) + suspendUs + world.vary(sim.vipSetUs, me);
  // A move between holders on this server itself (a fenced server taking its VIPs back) needs no management network.
  const local = hostOf(command.to) === me.name && (command.from === null || hostOf(command.from) === me.name);
  afterThen(world.kernel, runner, delayUs, command.id, () => {
    // Hardened (readmission): a failed hand-back's move that released (so suspended) nothing says so.
    const untouched = command.suspendFrom === true ? UNTOUCHED : FAIL;
    if (!me.managementLinkUp && !local) return untouched;
    let released = false;
    if (command.from !== null && holderReachable(world, command.from, me.name)) {
      world.vips.release(command.vip, command.from);
      if (command.suspendFrom === true) suspendReleased(world, command.from);
      released = true;
    }
    // Hardened (fencing): a source host that could not be told must answer a ping, or the duplicate-address
    // check below proves nothing (cut off both networks between two internal checks, it has not fenced).
    else if (command.from !== null && command.fromIpr !== undefined && !hostTold(world, command.from, me.name)) {
      if (!me.serviceLinkUp || !world.server(hostOf(command.from)).answersNetwork) return untouched;
    }
    const failed = released ? FAIL : untouched;
    if (!holderReachable(world, command.to, me.name)) return failed;
    // Duplicate-address detection before claiming, as the VIP driver does (src/drivers/vip.ts):
    // a live holder that still answers ARP on the service network keeps the address.
    const toKey = holderKey(command.to);
    const answering = world.vips.holders(command.vip).some((h) => holderKey(h) !== toKey && world.holderLive(h) && answersArp(world, h));
    if (answering) {
      world.trace.record(world.kernel.nowUs, me.name, `vip-in-use ${command.vip}`);
      return failed;
    }
    world.vips.claim(command.vip, command.to);
    world.changed(null);
    return OK;
  });
}

const UNTOUCHED: CommandResult = { kind: 'done', ok: false, released: false };

/** suspendReleased suspends the virtual server a hand-back's move released the VIP from, on its host (hardened ring, readmission). */
function suspendReleased(world: World, h: VipHolder): void {
  if (h.kind !== 'virtual') return;
  world.server(h.host).runningVs.delete(h.vsName);
  world.vips.releaseWhere((x) => x.kind === 'virtual' && x.host === h.host && x.vsName === h.vsName);
  world.changed(world.server(h.host));
}

/** answersArp tells whether a holder's host is on the service network to answer for the address. */
function answersArp(world: World, h: VipHolder): boolean {
  return world.server(h.kind === 'real' ? h.server : h.host).serviceLinkUp;
}

function hostOf(h: VipHolder): string {
  return h.kind === 'real' ? h.server : h.host;
}

/** hostTold tells whether a holder's host can be told anything: itself, or powered and on the management network (live or not, the agent cannot tell). */
function hostTold(world: World, h: VipHolder, self: string): boolean {
  const host = world.server(hostOf(h));
  return host.name === self || ((host.power === 'on' || host.power === 'shuttingDown') && host.managementLinkUp);
}

/** holderReachable tells whether a holder is live and its host can be told to move the address: itself, or over the management network. */
function holderReachable(world: World, h: VipHolder, self: string): boolean {
  const host = world.server(hostOf(h));
  return world.holderLive(h) && (host.name === self || host.managementLinkUp);
}
