// The system log is data; its text is rendered in the paper's vocabulary (Fig. 14) for people.
import { describe, expect, it } from 'vitest';
import { BACKGROUND_EVENTS, LOG_WORDS, logTarget, renderLogEvent } from '../../../src/core/program/log-events.ts';
import type { LogEvent } from '../../../src/core/program/log-events.ts';

describe('renderLogEvent', () => {
  it.each<[LogEvent, string]>([
    [{ event: 'programStart' }, 'Management_program_start'],
    [{ event: 'startDbss', target: 'FTP', role: null }, 'Start_DBSS FTP'],
    [{ event: 'endDbss', target: 'FTP', role: 'P2' }, 'End_DBSS FTP P2'],
    [{ event: 'networkProblemDetected', target: 'FTP', address: '172.21.14.2' }, 'IPR_network_is_problem FTP 172.21.14.2'],
    [{ event: 'serviceProblemDetected', target: 'FTP', address: null }, 'IPR_service_is_problem FTP P2'],
    [{ event: 'restartCheck', target: 'FTP', address: '172.21.14.2' }, '__Restart_check_(IPR) FTP 172.21.14.2'],
    [{ event: 'wait', target: 'FTP' }, '__Wait FTP'],
    [{ event: 'createVirtualServer', target: 'FTP', virtualServer: 'FTPb', host: 'Web2' }, 'Create_virtual_server_(IPV) FTP FTPb@Web2'],
    [{ event: 'virtualServerFailed', target: 'FTP', virtualServer: 'FTPb', host: null }, 'Virtual_server_failed_(IPV) FTP FTPb@null'],
    [{ event: 'virtualIpSet', target: 'FTP', vip: '172.21.14.202', virtualServer: 'FTPb', host: 'Web2' }, 'Virtual_IP:_VIP_(IPV) FTP 172.21.14.202 FTPb@Web2'],
    [{ event: 'virtualIpBack', target: 'FTP', vip: '172.21.14.202' }, 'Virtual_IP:_VIP_(IPV->IPR) FTP 172.21.14.202'],
    [{ event: 'sendUpFile', target: 'FTP', to: 'Web1' }, 'Send_U.file FTP Web1'],
  ])('writes %j as the line %s', (event, line) => {
    expect(renderLogEvent(event)).toBe(line);
  });
});

describe('the log vocabulary', () => {
  it('gives every event its own word, so a rendered line names its event', () => {
    const words = Object.values(LOG_WORDS);
    expect(new Set(words).size).toBe(words.length);
  });

  it('marks exactly the background job words, those starting with "__" (Sec. 5.2)', () => {
    expect([...BACKGROUND_EVENTS].sort()).toEqual(['backgroundNormal', 'makeDownFile', 'makeUpFile', 'restartCheck', 'restartRequested', 'startForcibly', 'wait']);
  });

  it('names the target of an event about a server and none for the program itself', () => {
    expect(logTarget({ event: 'wait', target: 'FTP' })).toBe('FTP');
    expect(logTarget({ event: 'internalProblem' })).toBeNull();
  });
});
