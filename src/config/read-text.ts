// Reading an input file as text. An unreadable file is bad input like any other: one InputError
// naming the file and what was expected, never a stack trace. Only regular files are read, and
// only up to a byte limit: a FIFO would block the read forever, /dev/zero would fill the memory.
// Standard input is the one pipe read (`dbss sim -`), to its end and within the same limit.
import { isUtf8 } from 'node:buffer';
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { InputError } from '../core/model/input-error.ts';
import { MAX_INPUT_BYTES } from './limits.ts';

/**
 * readText reads a UTF-8 regular file of at most maxBytes; anything else is an InputError without
 * a line, saying why. The file is opened without blocking (a FIFO answers at once) and checked by
 * its descriptor, so what is checked is what is read.
 */
export function readText(path: string, field: string, expected: string, maxBytes = MAX_INPUT_BYTES): string {
  return utf8Text(readBytes(path, field, expected, maxBytes), path, field);
}

/**
 * utf8Text decodes bytes that must be UTF-8 text; a line that is not is an InputError on that
 * line, rather than replacement characters read on as if they were what the file says.
 */
function utf8Text(bytes: Buffer, path: string, field: string): string {
  if (isUtf8(bytes)) return bytes.toString('utf8');
  let start = 0;
  for (let line = 1; ; line++) {
    // A line ends at a newline byte, which no multi-byte UTF-8 sequence holds: each line is checked alone.
    const end = bytes.indexOf(0x0a, start);
    const lineBytes = bytes.subarray(start, end < 0 ? bytes.length : end);
    if (!isUtf8(lineBytes)) throw new InputError(path, line, field, 'UTF-8 text', `${lineBytes.toString('latin1').replace(/[^\x20-\x7e]/g, '?').slice(0, 60)} (bytes that are not UTF-8)`);
    if (end < 0) throw new InputError(path, null, field, 'UTF-8 text', 'bytes that are not UTF-8');
    start = end + 1;
  }
}

/** readBytes is readText without the decoding: the file's bytes as they are (a key file need not be text). */
export function readBytes(path: string, field: string, expected: string, maxBytes = MAX_INPUT_BYTES): Buffer {
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
    return readUpTo(fd, path, field, expected, maxBytes);
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(path, null, field, expected, readFailure(e));
  } finally {
    closeSync(fd);
  }
}

/** STDIN_NAME names standard input in messages (`dbss sim -`). */
export const STDIN_NAME = 'stdin';

/**
 * readStdinText reads standard input to its end, up to maxBytes like a file: a pipe, a terminal
 * or a redirected file, but not a directory; an endless source (`< /dev/zero`) is cut at the
 * limit. Errors name it STDIN_NAME.
 */
export function readStdinText(field: string, expected: string, maxBytes = MAX_INPUT_BYTES): string {
  try {
    const stat = fstatSync(0);
    if (stat.isDirectory()) throw new InputError(STDIN_NAME, null, field, expected, 'a directory');
    if (stat.isFile() && stat.size > maxBytes) throw new InputError(STDIN_NAME, null, field, `${expected} of at most ${maxBytes} bytes`, `${stat.size} bytes`);
    return utf8Text(readUpTo(0, STDIN_NAME, field, expected, maxBytes), STDIN_NAME, field);
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(STDIN_NAME, null, field, expected, readFailure(e));
  }
}

/** readUpTo reads fd to its end; more than maxBytes is an InputError. */
function readUpTo(fd: number, path: string, field: string, expected: string, maxBytes: number): Buffer {
  // A file that grows while it is read (or lies about its size) is still cut at the limit.
  const buffer = Buffer.alloc(maxBytes + 1);
  let length = 0;
  while (length <= maxBytes) {
    const n = readRetrying(fd, buffer, length, buffer.length - length);
    if (n === 0) break;
    length += n;
  }
  if (length > maxBytes) throw new InputError(path, null, field, `${expected} of at most ${maxBytes} bytes`, 'more');
  return buffer.subarray(0, length);
}

/** PAUSE is what Atomics.wait sleeps on: a synchronous wait, without a busy loop. */
const PAUSE = new Int32Array(new SharedArrayBuffer(4));

/**
 * readRetrying is readSync that waits for data on a non-blocking descriptor: a pipe the parent
 * set O_NONBLOCK on (or a FIFO opened so) answers EAGAIN until its writer has written.
 */
function readRetrying(fd: number, buffer: Buffer, offset: number, length: number): number {
  for (;;) {
    try {
      return readSync(fd, buffer, offset, length, null);
    } catch (e) {
      if ((e as { code?: unknown } | null)?.code !== 'EAGAIN') throw e;
      Atomics.wait(PAUSE, 0, 0, 5);
    }
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
