/**
 * The documentation holds together (issue 24): the README stays a five-minute read (under 250
 * lines) and links every page of docs/; every relative link in the README, docs/*.md and the folder
 * READMEs leads to a file that exists, and a `#anchor` to a heading that exists in that file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const DOCS = path.join(ROOT, 'docs');
const docPages = fs
  .readdirSync(DOCS)
  .filter((name) => name.endsWith('.md'))
  .sort();
const FOLDER_READMES = [
  'src/client/README.md',
  'src/shared/README.md',
  'src/sw/README.md',
  'bench/README.md',
  'test/README.md',
];
/** Every Markdown file whose links are checked, relative to the repository's root. */
const checked = ['README.md', ...docPages.map((name) => `docs/${name}`), ...FOLDER_READMES];

const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');

/** The file's lines outside fenced code blocks (a `#` or `[x](y)` inside one is code, not Markdown). */
function proseLines(text: string): string[] {
  const out: string[] = [];
  let fence: string | undefined;
  for (const line of text.split('\n')) {
    const marker = /^\s*(```+|~~~+)/.exec(line)?.[1];
    if (marker !== undefined) {
      if (fence === undefined) fence = marker;
      else if (marker.startsWith(fence)) fence = undefined;
      continue;
    }
    if (fence === undefined) out.push(line);
  }
  return out;
}

/** GitHub's anchor for a heading's text: lower case, punctuation dropped, spaces to hyphens. */
function slug(heading: string): string {
  return heading
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/ /g, '-');
}

/** The anchors of a Markdown file's headings, a repeated heading numbered as GitHub does (`-1`, `-2`). */
function anchors(text: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const line of proseLines(text)) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)?.[1];
    if (heading === undefined) continue;
    const base = slug(heading);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    out.add(count === 0 ? base : `${base}-${count}`);
  }
  return out;
}

/** The targets of the file's inline links `[text](target)`, outside code (fenced or inline). */
function linkTargets(text: string): string[] {
  const targets: string[] = [];
  for (const line of proseLines(text)) {
    const prose = line.replace(/`[^`]*`/g, '');
    for (const match of prose.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) targets.push(match[1] as string);
  }
  return targets;
}

const isExternal = (target: string) => /^[a-z][a-z0-9+.-]*:/i.test(target);

describe('the documentation', () => {
  it('has a README under 250 lines', () => {
    const lines = read('README.md').replace(/\n$/, '').split('\n').length;
    expect(lines).toBeLessThan(250);
  });

  it('has pages in docs/, each linked from the README', () => {
    expect(docPages.length).toBeGreaterThan(0);
    const linked = new Set(
      linkTargets(read('README.md'))
        .filter((target) => !isExternal(target))
        .map((target) => path.normalize(target.split('#')[0] as string)),
    );
    const missing = docPages.filter((name) => !linked.has(path.join('docs', name)));
    expect(missing, 'docs/ pages the README does not link').toEqual([]);
  });

  it.each(checked)('%s: every relative link leads to a file, and every anchor to a heading', (file) => {
    const broken: string[] = [];
    const links = linkTargets(read(file)).filter((target) => !isExternal(target));
    for (const target of links) {
      const [pathPart, anchor] = target.split('#') as [string, string | undefined];
      const resolved =
        pathPart === '' ? path.join(ROOT, file) : path.resolve(path.dirname(path.join(ROOT, file)), pathPart);
      if (!fs.existsSync(resolved)) {
        broken.push(`${target}: no such file`);
        continue;
      }
      if (anchor === undefined || anchor === '') continue;
      if (!resolved.endsWith('.md')) {
        broken.push(`${target}: an anchor into a file that is not Markdown`);
        continue;
      }
      if (!anchors(fs.readFileSync(resolved, 'utf8')).has(anchor)) broken.push(`${target}: no heading for #${anchor}`);
    }
    expect(broken).toEqual([]);
  });

  it('reads anchors as GitHub makes them', () => {
    // GitHub's rule: lower case, punctuation (colons, commas, backticks, parentheses) dropped, spaces to hyphens.
    expect(slug('Two shapes: one node, or many nodes on PostgreSQL')).toBe(
      'two-shapes-one-node-or-many-nodes-on-postgresql',
    );
    expect(slug('`report`: what was collected')).toBe('report-what-was-collected');
    expect(slug('Test ids (stable in every language; QA flows rely on them)')).toBe(
      'test-ids-stable-in-every-language-qa-flows-rely-on-them',
    );
    expect([...anchors('# A\n\n```sh\n# comment\n```\n\n## A\n')]).toEqual(['a', 'a-1']);
  });

  it('finds the links it checks, and none inside code', () => {
    expect(linkTargets('see [x](a.md#b) and `[y](c.md)`\n\n```md\n[z](d.md)\n```\n')).toEqual(['a.md#b']);
    expect(linkTargets(read('README.md')).length).toBeGreaterThanOrEqual(docPages.length);
  });
});
