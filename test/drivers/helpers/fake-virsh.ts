// A stand-in for virsh: it records its argv and keeps domain states in $FAKEBIN_DIR/domains.json,
// answering domstate, define, start, suspend, resume, destroy and undefine as libvirt would,
// including virsh's errors for operations that do not apply to the current state.
import { nodeScript } from './fake-bin.ts';

export const FAKE_VIRSH = nodeScript(
  'virsh',
  String.raw`
const file = path.join(dir, 'domains.json');
const db = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : { domains: {}, staleOnce: {} };
const save = () => fs.writeFileSync(file, JSON.stringify(db));
const fail = (msg) => { process.stderr.write('error: ' + msg + '\n'); process.exit(1); };
if (args[0] !== '-c' || !args[1]) fail('fake virsh wants -c URI first');
const cmd = args[2];
const opt = (flag) => { const i = args.indexOf(flag); return i < 0 ? undefined : args[i + 1]; };
if (cmd === 'define') {
  const xml = fs.readFileSync(opt('--file'), 'utf8');
  const name = /<name>([^<]+)<\/name>/.exec(xml)[1];
  if (!(name in db.domains)) db.domains[name] = 'shut off';
  save();
  console.log('Domain \'' + name + '\' defined from ' + opt('--file'));
  process.exit(0);
}
const name = opt('--domain');
if (!(name in db.domains)) fail("failed to get domain '" + name + "'");
let state = db.domains[name];
const needs = (allowed, message) => { if (!allowed.includes(state)) fail('Failed to ' + cmd + " domain '" + name + "'\nerror: Requested operation is not valid: " + message); };
switch (cmd) {
  case 'domstate':
    if (db.staleOnce && name in db.staleOnce) { state = db.staleOnce[name]; delete db.staleOnce[name]; save(); }
    console.log(state + '\n');
    process.exit(0);
  case 'start': needs(['shut off'], 'domain is already active'); db.domains[name] = 'running'; break;
  case 'suspend': needs(['running'], 'domain is not running'); db.domains[name] = 'paused'; break;
  case 'resume': needs(['paused'], 'domain is not paused'); db.domains[name] = 'running'; break;
  case 'destroy': needs(['running', 'paused'], 'domain is not running'); db.domains[name] = 'shut off'; break;
  case 'undefine': delete db.domains[name]; break;
  default: fail('unknown command ' + cmd);
}
save();
console.log('Domain \'' + name + '\' ' + cmd + ' done');
`,
);
