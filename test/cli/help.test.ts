// dbss answers the questions a new user asks first: its version, its commands, one command's
// help, and the command they meant when they misspelt one.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/cli.ts';
import { dbssVersion } from '../../src/cli/version.ts';
import { REPRO_HELP } from '../../src/cli/repro-command.ts';
import { SIM_HELP } from '../../src/cli/sim-command.ts';

/** printed runs `dbss ARGS` in-process and returns its status and what reached stdout. */
async function printed(args: string[]): Promise<{ status: number; stdout: string }> {
  const out: string[] = [];
  const log = console.log;
  console.log = (...parts: unknown[]) => void out.push(`${parts.join(' ')}\n`);
  try {
    return { status: await main(args), stdout: out.join('') };
  } finally {
    console.log = log;
  }
}

describe('dbss --version, dbss help and the commands', () => {
  it('prints the version of package.json for --version and exits 0', async () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    const r = await printed(['--version']);
    expect(r).toEqual({ status: 0, stdout: `${pkg.version}\n` });
    expect(dbssVersion()).toBe(pkg.version);
  });

  it('prints a command\'s own help for "dbss help <command>", not the top-level help', async () => {
    expect(await printed(['help', 'sim'])).toEqual({ status: 0, stdout: `${SIM_HELP}\n` });
    expect(await printed(['help', 'repro'])).toEqual({ status: 0, stdout: `${REPRO_HELP}\n` });
  });

  it('prints a subcommand\'s help for "dbss help <command> <subcommand>", as "<command> <subcommand> --help" does', async () => {
    for (const [command, sub] of [['sweep', 'merge'], ['explore', 'merge'], ['agent', 'check'], ['agent', 'status']] as const) {
      const r = await printed(['help', command, sub]);
      expect(r).toEqual(await printed([command, sub, '--help']));
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^Usage: dbss ${command}`));
    }
  });

  it('lists every command with --help and with a bare "dbss help", and names --version', async () => {
    const r = await printed(['--help']);
    expect(r.status).toBe(0);
    for (const name of ['sim', 'explore', 'lab', 'bench', 'repro', 'agent']) expect(r.stdout).toMatch(new RegExp(`^  ${name} `, 'm'));
    expect(r.stdout).toContain('--version');
    expect(await printed(['help'])).toEqual(r);
  });

  it('exits 2 after the top-level help when no command is given', async () => {
    const r = await printed([]);
    expect(r.status).toBe(2);
    expect(r.stdout).toContain('Usage: dbss <command>');
  });

  it('has a help text for every command, the agent included', async () => {
    for (const name of ['sim', 'explore', 'lab', 'bench', 'repro', 'agent']) {
      const r = await printed(['help', name]);
      expect(r.stdout).toMatch(new RegExp(`^Usage: dbss ${name}`));
    }
  });
});
