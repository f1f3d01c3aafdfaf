/**
 * The "Admin steps" of docs/privacy.md (moved there from the README), run exactly as written there
 * (issue 20): its "on" commands, the Global-only "off" whose stderr warning the page shows, then its
 * "off" command; after it the pages of both demo pools make no telemetry request at all, and the
 * stored configuration says false everywhere. If the page's commands change, this runs the new ones;
 * if they cannot be found, it fails saying so.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from '@playwright/test';
import type { ExternalLaunches } from './external-launch';
import {
  expect,
  isTelemetryChunk,
  isTelemetryHit,
  isTelemetryRequest,
  joinAsGuest,
  type LoggedRequest,
  openMeeting,
  type PoolServer,
  recordRequests,
  test,
} from './fixtures';

const PRIVACY_DOC = path.resolve(import.meta.dirname, '../../docs/privacy.md');

/** docs/privacy.md's "### Admin steps" section, up to the next heading (a `#` inside a code block is a comment). */
function adminStepsSection(): string {
  const lines = fs.readFileSync(PRIVACY_DOC, 'utf8').split('\n');
  const start = lines.indexOf('### Admin steps');
  if (start < 0) throw new Error('docs/privacy.md has no "### Admin steps" section');
  let inCode = false;
  let end = start + 1;
  for (; end < lines.length; end++) {
    const line = lines[end] as string;
    if (line.startsWith('```')) inCode = !inCode;
    else if (!inCode && /^#{1,3} /.test(line)) break;
  }
  return lines.slice(start, end).join('\n');
}

/** The code blocks of the section written in a language, each as its lines. */
function codeBlocks(section: string, language: string): string[][] {
  const blocks: string[][] = [];
  for (const match of section.matchAll(new RegExp(`\`\`\`${language}\\n([\\s\\S]*?)\`\`\``, 'g')))
    blocks.push((match[1] as string).split('\n').filter((line) => line.trim() !== ''));
  return blocks;
}

/**
 * bash's words for a command line, for the simple lines the page shows: words, '...' and "..."
 * (without $ or ` inside), a trailing # comment. Anything else (an unquoted * or $, a pipe, an
 * optional [part]) is refused, so the test never runs something other than what bash would.
 */
function shellWords(line: string): string[] {
  const refuse = (why: string) =>
    new Error(`docs/privacy.md command line "${line}" ${why}: this test runs only what bash would run the same way`);
  const words: string[] = [];
  let word: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i] as string;
    if (/\s/.test(ch)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (ch === '#' && word === undefined) break;
    else if (ch === "'" || ch === '"') {
      const end = line.indexOf(ch, i + 1);
      if (end < 0) throw refuse('has an unclosed quote');
      const inner = line.slice(i + 1, end);
      if (ch === '"' && /[$`\\!]/.test(inner)) throw refuse('expands something inside double quotes');
      word = (word ?? '') + inner;
      i = end;
    } else if (/[*?[\]$`|&;<>(){}\\!]/.test(ch)) throw refuse(`has an unquoted "${ch}"`);
    else word = (word ?? '') + ch;
  }
  if (word !== undefined) words.push(word);
  return words;
}

const ADMIN = 'npm run admin -- ';

/** The admin arguments of a docs line `npm run admin -- ...` (or `$ npm run admin -- ...`). */
function adminArgs(line: string): string[] {
  const words = shellWords(line.replace(/^\$ /, ''));
  expect(words.slice(0, 4), line).toEqual(['npm', 'run', 'admin', '--']);
  return words.slice(4);
}

/** The documented commands that set MeetingUxEnableTelemetry to `value`. */
function telemetryCommands(lines: string[], value: 'true' | 'false'): string[][] {
  const switchTo = new RegExp(`-MeetingUxEnableTelemetry[ =:]+'?\\$?${value}'?(\\s|$)`, 'i');
  return lines.filter((l) => l.startsWith(ADMIN) && switchTo.test(l)).map(adminArgs);
}

interface ReadmeSteps {
  on: string[][];
  off: string[];
  /** The Global-only "off" the page shows, with the stdout and stderr lines it shows for it. */
  example: { args: string[]; stdout: string; stderr: string };
}

function readmeSteps(): ReadmeSteps {
  const section = adminStepsSection();
  const commands = codeBlocks(section, 'sh')[0];
  if (!commands) throw new Error('docs/privacy.md "Admin steps" has no ```sh block of commands');
  const on = telemetryCommands(commands, 'true');
  const off = telemetryCommands(commands, 'false');
  if (!on.some((args) => args.some((a) => /^Service:WebServer:/i.test(a))))
    throw new Error(
      'docs/privacy.md "Admin steps" shows no command turning telemetry on for one pool (Service:WebServer:)',
    );
  if (off.length !== 1)
    throw new Error(`docs/privacy.md "Admin steps" should show one command turning telemetry off; found ${off.length}`);
  const shown = codeBlocks(section, 'text').find((block) => block[0]?.startsWith(`$ ${ADMIN}`));
  if (shown?.length !== 3)
    throw new Error(
      'docs/privacy.md "Admin steps" should show a ```text block: $ command, its output, its stderr line',
    );
  return {
    on,
    off: off[0] as string[],
    example: { args: adminArgs(shown[0] as string), stdout: shown[1] as string, stderr: shown[2] as string },
  };
}

const DEMO_PAGES = [
  { pool: 'pool01.contoso.com', host: '127.0.0.1', path: '/alice/7Q3DSSYV?sl=1' },
  { pool: 'pool02.fabrikam.com', host: 'meet.fabrikam.test', path: '/carol/FAB12345?sl=1' },
];

/** A guest joins and leaves the demo meeting of a pool in a context of its own; every request it made. */
async function joinAndLeave(
  browser: Browser,
  launchGuard: ExternalLaunches,
  pool: PoolServer,
  page: (typeof DEMO_PAGES)[number],
  untilSent: boolean,
): Promise<LoggedRequest[]> {
  const context = await browser.newContext();
  await launchGuard.watch(context);
  const requests = recordRequests(context);
  const tab = await context.newPage();
  await openMeeting(tab, pool.url(page.path, page.host));
  await joinAsGuest(tab);
  await expect(tab.getByTestId('in-meeting')).toBeVisible();
  await tab.getByTestId('leave').click();
  await expect(tab.getByTestId('meeting-ended')).toBeVisible();
  // On, the page delivers as the person leaves: wait for it, so that nothing is left in flight.
  if (untilSent) await expect.poll(() => requests.filter(isTelemetryRequest).length).toBeGreaterThan(0);
  await tab.reload();
  await expect(tab.getByTestId('launcher')).toBeVisible();
  await tab.close({ runBeforeUnload: true });
  await context.close();
  return requests;
}

async function admin(pool: PoolServer, args: string[]) {
  const result = await pool.admin(...args);
  expect(result.code, `admin ${args.join(' ')}: ${result.stderr}`).toBe(0);
  return result;
}

test('the admin steps of docs/privacy.md: on for a pool, then its off command, and no page sends anything', async ({
  browser,
  pool,
  launchGuard,
}) => {
  const steps = readmeSteps();

  for (const args of steps.on) await admin(pool, args);
  for (const page of DEMO_PAGES) {
    const sent = await joinAndLeave(browser, launchGuard, pool, page, true);
    expect(sent.filter(isTelemetryRequest).length, `${page.pool} sends while on`).toBeGreaterThan(0);
  }

  // The trap of the issue: the Global-only off leaves the pool's own document on, and says so.
  const example = await admin(pool, steps.example.args);
  expect(example.stdout.trimEnd().split('\n')).toEqual([steps.example.stdout]);
  expect(example.stderr.trimEnd().split('\n')).toEqual([steps.example.stderr]);

  const off = await admin(pool, steps.off);
  expect(off.stderr, 'every pool gets what the off command asked for: no warning').toBe('');

  const documents = JSON.parse((await admin(pool, ['get'])).stdout) as {
    Identity: string;
    MeetingUxEnableTelemetry: boolean;
  }[];
  expect(documents.map((d) => d.Identity)).toEqual(['Global', 'Service:WebServer:pool01.contoso.com']);
  expect(documents.filter((d) => d.MeetingUxEnableTelemetry !== false)).toEqual([]);
  for (const { pool: fqdn } of DEMO_PAGES) {
    const effective = JSON.parse((await admin(pool, ['get', '-Effective', '-Pool', fqdn])).stdout);
    expect(effective, fqdn).toMatchObject({ Pool: fqdn, MeetingUxEnableTelemetry: false });
  }

  const receivedBefore = pool.received.filter(isTelemetryHit).length;
  for (const page of DEMO_PAGES) {
    const requests = await joinAndLeave(browser, launchGuard, pool, page, false);
    // The page did its work (config, lookup, join, events, leave...), and not one telemetry request.
    expect(requests.length, page.pool).toBeGreaterThan(5);
    expect(requests.filter(isTelemetryRequest), page.pool).toEqual([]);
    expect(requests.filter(isTelemetryChunk), page.pool).toEqual([]);
  }
  expect(pool.received.filter(isTelemetryHit)).toHaveLength(receivedBefore);
});
