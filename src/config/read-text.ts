// Reading an input file as text. An unreadable file is bad input like any other: one InputError
// naming the file and what was expected, never a stack trace. Only regular files are read, and
// only up to a byte limit: a FIFO would block the read forever, /dev/zero would fill the memory.
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { InputError } from '../core/model/input-error.ts';
import { MAX_INPUT_BYTES } from './limits.ts';

/**
 * readText reads a UTF-8 regular file of at most maxBytes; anything else is an InputError without
 * a line, saying why. The file is opened without blocking (a FIFO answers at once) and checked by
 * its descriptor, so what is checked is what is read.
 */
export function readText(path: string, field: string, expected: string, maxBytes = MAX_INPUT_BYTES): string {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    throw new InputError(path, null, field, expected, readFailure(e));
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) throw new InputError(path, null, field, expected, 'a directory');
    if (!stat.isFile()) throw new InputError(path, null, field, `${expected} (a regular file)`, 'a special file');
    if (stat.size > maxBytes) throw new InputError(path, null, field, `${expected} of at most ${maxBytes} bytes`, `${stat.size} bytes`);
    // A file that grows while it is read (or lies about its size) is still cut at the limit.
    const buffer = Buffer.alloc(maxBytes + 1);
    let length = 0;
    while (length <= maxBytes) {
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
    }
    if (length > maxBytes) throw new InputError(path, null, field, `${expected} of at most ${maxBytes} bytes`, 'more');
    return buffer.toString('utf8', 0, length);
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(path, null, field, expected, readFailure(e));
  } finally {
    closeSync(fd);
  }
}

/** readFailure names why a file could not be read, in words. */
function readFailure(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'ENOTDIR':
      return 'a path through something that is not a directory';
    case 'EISDIR':
      return 'a directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ELOOP':
      return 'a loop of symbolic links';
    case 'ENAMETOOLONG':
      return 'a name too long';
    default:
      return typeof code === 'string' ? code : String(e);
  }
}
