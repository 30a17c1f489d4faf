// YamlSource keeps a parsed YAML document together with its line numbers, so that every check
// made on the plain value (by zod or by hand) can name the line of the node it is about.
import { LineCounter, isAlias, isCollection, isMap, isScalar, isSeq, parseDocument, visit } from 'yaml';
import type { Document, Node, Pair } from 'yaml';
import type * as z from 'zod';
import { InputError } from '../core/model/input-error.ts';
import { MAX_YAML_ALIASES } from './limits.ts';

/** YamlPath addresses a node: mapping keys and sequence indexes from the document root. */
export type YamlPath = readonly (string | number)[];

/** GOT_MAX_CHARS caps how much of a node's source an error message quotes. */
const GOT_MAX_CHARS = 60;

/** formatPath writes a path as a field name: `faults[0].server`; the root is named root (`scenario`). */
export function formatPath(path: YamlPath, root = 'scenario'): string {
  let out = '';
  for (const seg of path) out += typeof seg === 'number' ? `[${seg}]` : out === '' ? seg : `.${seg}`;
  return out === '' ? root : out;
}

interface Walk {
  /** node is the node at the whole path, or null when the path leaves the document. */
  node: Node | null;
  /** deepest is the last node the walk reached: the node itself, or its nearest existing ancestor. */
  deepest: Node | null;
  /** pair is the mapping entry holding the node, when the last step was a mapping key. */
  pair: Pair | null;
}

export class YamlSource {
  private constructor(
    readonly file: string,
    private readonly text: string,
    private readonly doc: Document,
    private readonly lines: LineCounter,
    /** value is the document as plain JavaScript (maps as objects, sequences as arrays). */
    readonly value: unknown,
    /** root names the whole document in messages (`scenario`, `agent.yaml`). */
    private readonly root: string,
  ) {}

  /**
   * parse reads YAML text. A syntax error (the yaml parser's own message), a duplicate key or
   * an alias without its anchor throws an InputError at the line the parser names.
   */
  static parse(text: string, file: string, root = 'scenario'): YamlSource {
    const lines = new LineCounter();
    // logLevel error: the parser's warnings would reach stderr as Node warnings, beside our one line.
    const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true, strict: true, logLevel: 'error' });
    const first = doc.errors[0];
    if (first !== undefined) {
      const line = lines.linePos(first.pos[0]).line;
      // The parser recurses into nested collections; thousands of levels exhaust its stack.
      const why = first.message.includes('Maximum call stack')
        ? 'collections nested a few hundred levels deep at most'
        : first.message.includes('multiple documents')
          ? 'one document, without a second "---"'
          : first.message;
      throw new InputError(file, line, 'YAML', `well-formed YAML (${why})`, sourceLine(text, line));
    }
    const dangling = danglingAlias(doc);
    if (dangling !== null) {
      const line = dangling.range ? lines.linePos(dangling.range[0]).line : null;
      throw new InputError(file, line, 'YAML', 'an alias whose anchor is set before it', `*${dangling.source}`);
    }
    const complex = complexKey(doc);
    if (complex !== null) {
      const line = complex.range ? lines.linePos(complex.range[0]).line : null;
      throw new InputError(file, line, 'YAML', 'a key that is a plain name, not a list, a mapping or __proto__', sourceLine(text, line ?? 1));
    }
    return new YamlSource(file, text, doc, lines, plainValue(doc, file, lines), root);
  }

  /**
   * derived is this document with values set (or deleted, for undefined) at paths, named file: a
   * variant of a file checked like one (a sweep's point), without writing and re-reading YAML.
   * Nodes it sets have no line; errors about them fall on their nearest ancestor's.
   */
  derived(file: string, sets: readonly { path: YamlPath; value: unknown }[]): YamlSource {
    const doc = this.doc.clone();
    for (const { path, value } of sets) {
      if (value === undefined) doc.deleteIn(path);
      else doc.setIn(path, doc.createNode(value));
    }
    return new YamlSource(file, this.text, doc, this.lines, plainValue(doc, file, this.lines), this.root);
  }

  /**
   * lineOf gives the 1-based line of the node at path; for a path that is not in the document
   * (a missing key), the line of its nearest existing ancestor, the mapping the key belongs in.
   * Null for an empty document.
   */
  lineOf(path: YamlPath): number | null {
    return this.nodeLine(this.walk(path).deepest);
  }

  /** keyLineOf gives the line of the key of the mapping entry at path (an unknown key), else lineOf. */
  keyLineOf(path: YamlPath): number | null {
    const w = this.walk(path);
    const key = w.pair?.key;
    return isScalar(key) || isCollection(key) ? this.nodeLine(key) : this.nodeLine(w.deepest);
  }

  /** has tells whether the document holds a node at path. */
  has(path: YamlPath): boolean {
    return this.walk(path).node !== null;
  }

  /**
   * gotAt shows the node at path as written, for the `got` of a message: a scalar's value
   * (its source when null, so an empty value shows as ""), a collection's source on one line,
   * shortened. Undefined when there is no node there.
   */
  gotAt(path: YamlPath): string | undefined {
    const node = this.walk(path).node;
    if (node === null) return undefined;
    if (isScalar(node) && node.value !== null && typeof node.value !== 'object') return String(node.value);
    const range = node.range;
    const source = range ? this.text.slice(range[0], range[1]).replace(/\s+/g, ' ').trim() : '';
    return source.length > GOT_MAX_CHARS ? `${source.slice(0, GOT_MAX_CHARS - 3)}...` : source;
  }

  /**
   * error makes the InputError for the node at path: its line, `field` (the path by default),
   * and what it holds. For a missing node the line is the parent's and the message says it is
   * missing; `keyLine` puts the error on the key's line (an unknown key).
   */
  error(path: YamlPath, expected: string, options: { field?: string; keyLine?: boolean; got?: string } = {}): InputError {
    const field = options.field ?? formatPath(path, this.root);
    const present = this.has(path);
    const line = options.keyLine ? this.keyLineOf(path) : this.lineOf(path);
    if (!present && options.got === undefined) return new InputError(this.file, line, field, `${expected}, but it is missing`);
    return new InputError(this.file, line, field, expected, options.got ?? this.gotAt(path));
  }

  /**
   * zodErrors turns zod issues into InputErrors, one per issue (one per key for unknown keys).
   * Each schema's `error` option holds the `expected` text, so zod's message is used as is.
   */
  zodErrors(issues: readonly z.core.$ZodIssue[], base: YamlPath = []): InputError[] {
    return issues.flatMap((issue) => {
      const path = [...base, ...issue.path.map((seg) => (typeof seg === 'number' ? seg : String(seg)))];
      if (issue.code === 'unrecognized_keys') {
        return issue.keys.map((key) => this.error([...path, key], issue.message, { keyLine: true, got: key }));
      }
      return [this.error(path, issue.message)];
    });
  }

  private nodeLine(node: Node | null): number | null {
    const range = node?.range;
    return range ? this.lines.linePos(range[0]).line : null;
  }

  private resolve(node: unknown): Node | null {
    if (isAlias(node)) return node.resolve(this.doc) ?? null;
    return isScalar(node) || isCollection(node) ? node : null;
  }

  private walk(path: YamlPath): Walk {
    let node = this.resolve(this.doc.contents);
    let pair: Pair | null = null;
    let deepest = node;
    for (const seg of path) {
      let next: Node | null = null;
      pair = null;
      if (isMap(node)) {
        // A key set by derived() may be a plain value rather than a Scalar node.
        const found = node.items.find((p) => (isScalar(p.key) ? String(p.key.value) : typeof p.key === 'string' || typeof p.key === 'number' ? String(p.key) : null) === String(seg));
        if (found !== undefined) {
          pair = found;
          next = this.resolve(found.value);
        }
      } else if (isSeq(node) && typeof seg === 'number') {
        next = this.resolve(node.items[seg]);
      }
      if (next === null) return { node: null, deepest, pair: null };
      node = next;
      deepest = next;
    }
    return { node, deepest, pair };
  }
}

/** sourceLine quotes a line of the text (1-based), trimmed, as the `got` of a syntax error. */
function sourceLine(text: string, line: number): string {
  const l = (text.split('\n')[line - 1] ?? '').replace(/\r$/, '').trim();
  return l.length > GOT_MAX_CHARS ? `${l.slice(0, GOT_MAX_CHARS - 3)}...` : l;
}

/** plainValue converts the document; an alias bomb (aliases used more than MAX_YAML_ALIASES times) is bad input. */
function plainValue(doc: Document, file: string, lines: LineCounter): unknown {
  try {
    return doc.toJS({ maxAliasCount: MAX_YAML_ALIASES });
  } catch (e) {
    if (!(e instanceof ReferenceError)) throw e;
    const first = firstAlias(doc);
    throw new InputError(file, first?.range ? lines.linePos(first.range[0]).line : null, 'YAML', `aliases used at most ${MAX_YAML_ALIASES} times in all (an alias that repeats aliases grows exponentially)`, 'more');
  }
}

function firstAlias(doc: Document): Node | null {
  let found: Node | null = null;
  visit(doc, {
    Alias(_, node) {
      found = node;
      return visit.BREAK;
    },
  });
  return found;
}

/**
 * complexKey finds the first mapping key that is a list or a mapping (`? [a, b] : c`), which no
 * file of dbss has, or `__proto__`, which would set the prototype of the plain object instead of
 * a key of it, and so be ignored without a word.
 */
function complexKey(doc: Document): Node | null {
  let found: Node | null = null;
  visit(doc, {
    Pair(_, pair) {
      if (isCollection(pair.key) || (isScalar(pair.key) && pair.key.value === '__proto__')) {
        found = pair.key;
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return found;
}

/** danglingAlias finds the first alias with no anchor before it; toJS would throw a ReferenceError on it. */
function danglingAlias(doc: Document): { source: string; range?: Node['range'] } | null {
  let found: { source: string; range?: Node['range'] } | null = null;
  visit(doc, {
    Alias(_, node) {
      if (node.resolve(doc) === undefined) {
        found = { source: node.source, range: node.range };
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return found;
}
