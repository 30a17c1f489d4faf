// InputError is the one error every parser in the project throws for bad input.

/**
 * InputError reports bad input as one line, `file:line: field: expected X, got "Y"`, so the
 * CLI can print `error: <message>` and exit 2 and the reader can go straight to the line.
 * `line` is 1-based; it is null when the problem is not on one line (an empty file, a CLI
 * flag). `got` is left out when there is nothing to show (a missing line).
 */
export class InputError extends Error {
  constructor(
    public readonly file: string,
    public readonly line: number | null,
    public readonly field: string,
    public readonly expected: string,
    public readonly got?: string,
  ) {
    super(inputErrorMessage(file, line, field, expected, got));
    this.name = 'InputError';
  }
}

/** inputErrorMessage builds the single-line message; kept apart so it never depends on `this`. */
function inputErrorMessage(
  file: string,
  line: number | null,
  field: string,
  expected: string,
  got: string | undefined,
): string {
  const where = line === null ? file : `${file}:${line}`;
  const gotText = got !== undefined ? `, got ${shown(got)}` : '';
  return `${where}: ${field}: expected ${expected}${gotText}`;
}

/** GOT_SHOWN is how many characters of a bad value a message quotes: a one-line file of megabytes must not become the line. */
const GOT_SHOWN = 200;

function shown(got: string): string {
  const chars = Array.from(got);
  return chars.length <= GOT_SHOWN ? JSON.stringify(got) : `${JSON.stringify(chars.slice(0, GOT_SHOWN).join(''))} (and ${chars.length - GOT_SHOWN} more characters)`;
}

/** listed names the items of a list in a message: all of a short one, the first ten of a long one (a ring of 10,000 servers) and how many in all. */
export function listed(items: readonly string[]): string {
  return items.length <= 12 ? items.join(', ') : `${items.slice(0, 10).join(', ')}, ... (${items.length} in all)`;
}
