// LICENSE and CITATION.cff say the same as package.json, so that a release bumps one version and
// the citation cannot name an older one or another licence. (CITATION.cff was checked once against
// the Citation File Format 1.2.0 schema with Python's jsonschema; this test keeps what can drift.)
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string; license: string };
const cff = parse(readFileSync('CITATION.cff', 'utf8')) as Record<string, unknown>;

describe('the licence and the citation', () => {
  it('CITATION.cff cites this version of the software under the licence of package.json', () => {
    expect(cff['cff-version']).toBe('1.2.0');
    expect(cff.type).toBe('software');
    expect(cff.version).toBe(pkg.version);
    expect(cff.license).toBe(pkg.license);
    expect(cff.authors).toEqual([{ name: 'the dbss authors' }]);
  });

  it('CITATION.cff references the paper the software implements, by its three authors', () => {
    const [paper] = cff.references as { type: string; title: string; year: number; journal: string; authors: { 'family-names': string }[] }[];

    expect(paper?.type).toBe('article');
    expect(paper?.title).toBe('Development of Ring-type Dynamic Backup Server System not requiring Dedicated Management Server');
    expect(paper?.authors.map((a) => a['family-names'])).toEqual(['Kitamura', 'Takeshita', 'Okazaki']);
    expect(paper?.journal).toContain('JISSJ');
    expect(paper?.year).toBe(2022);
  });

  it('LICENSE is the MIT licence of the dbss authors, as package.json says', () => {
    const license = readFileSync('LICENSE', 'utf8');

    expect(pkg.license).toBe('MIT');
    expect(license).toMatch(/^MIT License\n\nCopyright \(c\) \d{4} the dbss authors\n/);
    expect(license).toContain('THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND');
  });
});
