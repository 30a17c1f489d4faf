// A newc ("070701") cpio writer, the format the Linux kernel unpacks as an initramfs. Written
// here rather than run through cpio(1) so that the tiny guest's initramfs is built from a list of
// entries, device nodes included, without a shell pipeline and without root-only mknod.

/** CpioEntry is one file, directory, symlink or character device of the archive. */
export type CpioEntry =
  | { kind: 'dir'; path: string; mode?: number }
  | { kind: 'file'; path: string; data: Uint8Array; mode?: number }
  | { kind: 'symlink'; path: string; target: string }
  | { kind: 'chardev'; path: string; major: number; minor: number; mode?: number };

const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;
const S_IFCHR = 0o020000;

function hex8(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new RangeError(`cpio field out of range: ${n}`);
  return n.toString(16).padStart(8, '0');
}

function pad4(length: number): Buffer {
  return Buffer.alloc((4 - (length % 4)) % 4);
}

function record(ino: number, mode: number, name: string, data: Uint8Array, rdev: [number, number] = [0, 0]): Buffer[] {
  if (name.includes('\0') || name === '' || name.startsWith('/')) throw new TypeError(`invalid cpio path ${JSON.stringify(name)}`);
  const nameBytes = Buffer.from(`${name}\0`, 'utf8');
  // Fields: ino mode uid gid nlink mtime filesize devmajor devminor rdevmajor rdevminor namesize check.
  const header = `070701${[ino, mode, 0, 0, 1, 0, data.length, 0, 0, rdev[0], rdev[1], nameBytes.length, 0].map(hex8).join('')}`;
  const head = Buffer.concat([Buffer.from(header, 'latin1'), nameBytes]);
  return [head, pad4(head.length), Buffer.from(data), pad4(data.length)];
}

/** cpioArchive packs entries (paths relative, without a leading slash) and the TRAILER!!! record. */
export function cpioArchive(entries: readonly CpioEntry[]): Buffer {
  const parts: Buffer[] = [];
  entries.forEach((e, i) => {
    const ino = i + 1;
    switch (e.kind) {
      case 'dir':
        parts.push(...record(ino, S_IFDIR | (e.mode ?? 0o755), e.path, new Uint8Array()));
        break;
      case 'file':
        parts.push(...record(ino, S_IFREG | (e.mode ?? 0o644), e.path, e.data));
        break;
      case 'symlink':
        parts.push(...record(ino, S_IFLNK | 0o777, e.path, Buffer.from(e.target, 'utf8')));
        break;
      case 'chardev':
        parts.push(...record(ino, S_IFCHR | (e.mode ?? 0o600), e.path, new Uint8Array(), [e.major, e.minor]));
        break;
    }
  });
  parts.push(...record(0, 0, 'TRAILER!!!', new Uint8Array()));
  return Buffer.concat(parts);
}
