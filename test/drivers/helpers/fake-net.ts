// Stand-ins for ip and for the two families of arping, for the VIP driver's tests. Addresses on
// interfaces live in $FAKEBIN_DIR/addrs.json; addresses that "another host" answers for are
// listed, one a line, in $FAKEBIN_DIR/taken; with $FAKEBIN_DIR/extack, ip words errors as Linux 6.1's does.
import { nodeScript } from './fake-bin.ts';

export const FAKE_IP = nodeScript(
  'ip',
  String.raw`
const file = path.join(dir, 'addrs.json');
const addrs = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {};
const save = () => fs.writeFileSync(file, JSON.stringify(addrs));
const a = args.join(' ');
let m;
if ((m = /^-o -4 addr show dev (\S+)$/.exec(a))) {
  (addrs[m[1]] || []).forEach((cidr, i) => console.log((i + 2) + ': ' + m[1] + '    inet ' + cidr + ' scope global ' + m[1] + '\\       valid_lft forever preferred_lft forever'));
  process.exit(0);
}
if ((m = /^addr add (\S+) dev (\S+)$/.exec(a))) {
  const list = addrs[m[2]] || (addrs[m[2]] = []);
  if (list.includes(m[1])) { process.stderr.write('RTNETLINK answers: File exists\n'); process.exit(2); }
  list.push(m[1]); save(); process.exit(0);
}
if ((m = /^addr del (\S+) dev (\S+)$/.exec(a))) {
  const list = addrs[m[2]] || [];
  // iproute2 before 5.x says "Cannot assign requested address"; with extended acks (Linux 6.1) "Address not found".
  const absent = fs.existsSync(path.join(dir, 'extack')) ? 'Error: ipv4: Address not found.\n' : 'RTNETLINK answers: Cannot assign requested address\n';
  if (!list.includes(m[1])) { process.stderr.write(absent); process.exit(2); }
  addrs[m[2]] = list.filter((x) => x !== m[1]); save(); process.exit(0);
}
process.stderr.write('fake ip: unsupported ' + a + '\n'); process.exit(255);
`,
);

const taken = String.raw`
const takenFile = path.join(dir, 'taken');
const taken = fs.existsSync(takenFile) ? fs.readFileSync(takenFile, 'utf8').split('\n').filter(Boolean) : [];
const target = args[args.length - 1];
`;

export const FAKE_ARPING_IPUTILS = nodeScript(
  'arping',
  taken +
    String.raw`
if (args[0] === '-V') { console.log('arping from iputils 20240905'); process.exit(0); }
if (args.includes('-D')) {
  console.log('ARPING ' + target + ' from 0.0.0.0 eth0');
  if (taken.includes(target)) { console.log('Unicast reply from ' + target + ' [52:54:00:12:34:56]  0.612ms'); console.log('Sent 1 probes (1 broadcast(s))'); console.log('Received 1 response(s)'); process.exit(1); }
  console.log('Sent 2 probes (2 broadcast(s))'); console.log('Received 0 response(s)'); process.exit(0);
}
if (args.includes('-U')) { console.log('ARPING ' + target + ' from ' + target + ' eth0'); console.log('Sent 1 probes (1 broadcast(s))'); console.log('Received 0 response(s)'); process.exit(0); }
process.exit(2);
`,
);

export const FAKE_ARPING_HABETS = nodeScript(
  'arping',
  taken +
    String.raw`
if (args[0] === '-V' || args[0] === '--help') {
  console.log('ARPing 2.23, by Thomas Habets <thomas@habets.se>');
  console.log('usage: arping [ -0aAbdDeFpPqrRuUv ] [ -w <sec> ] [ -W <sec> ] [ -S <host/ip> ]');
  process.exit(1);
}
const count = Number(args[args.indexOf('-c') + 1]);
const received = args.includes('-0') && taken.includes(target) ? count : 0;
console.log('ARPING ' + target);
for (let i = 0; i < received; i++) console.log('60 bytes from 52:54:00:12:34:56 (' + target + '): index=' + i + ' time=1.2 msec');
console.log('');
console.log('--- ' + target + ' statistics ---');
console.log(count + ' packets transmitted, ' + received + ' packets received, ' + (received ? '  0' : '100') + '% unanswered (0 extra)');
process.exit(received > 0 ? 0 : 1);
`,
);
