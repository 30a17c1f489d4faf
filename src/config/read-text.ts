// Reading an input file as text. An unreadable file is bad input like any other: one InputError
// naming the file and what was expected, never a stack trace.
import { readFileSync } from 'node:fs';
import { InputError } from '../core/model/input-error.ts';

/** readText reads a UTF-8 file; an unreadable one is an InputError without a line, saying why. */
export function readText(path: string, field: string, expected: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new InputError(path, null, field, expected, readFailure(e));
  }
}

/** readFailure names why a file could not be read, in words. */
function readFailure(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EISDIR':
      return 'a directory';
    case 'EACCES':
      return 'permission denied';
    default:
      return typeof code === 'string' ? code : String(e);
  }
}
