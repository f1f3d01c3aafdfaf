/**
 * Cuts a call's media path for real, in the kernel: a classic-BPF filter on the loopback device's
 * egress hook (`tc ... clsact` + `bpf direct-action`) drops every UDP packet to or from the given
 * sockets (address and port), and nothing else. Every page of a test runs on this machine, so all
 * their packets cross `lo`, whichever local address their candidates carry.
 *
 * Why BPF and not `u32 ... action drop`: the kernel this runs on has neither the gact action nor
 * the prio qdisc built in, but it has cls_bpf, whose direct-action verdict TC_ACT_SHOT drops.
 *
 * Several flows (the other Playwright worker) may cut their own calls at the same time: each drop
 * is its own filter (its own `pref`), every change of the shared `clsact` qdisc happens under a
 * file lock, and the qdisc goes when the last filter does (only if a drop added it). A drop whose
 * process died (killed mid-flow) is swept by the next one.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import { isIPv4, isIPv6 } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const TC = '/usr/sbin/tc';
const FLOCK = '/usr/bin/flock';
const STATE_DIR = path.join(os.tmpdir(), 'meet-launcher-udp-drop');
const LOCK_FILE = path.join(STATE_DIR, 'lock');
/** Marks that a drop (not someone else) added the clsact qdisc, so the last drop removes it. */
const OURS_FILE = path.join(STATE_DIR, 'clsact-added-by-udp-drop');
/** The filter priorities drops use, one per drop. */
const FIRST_PREF = 0xc000;
const LAST_PREF = 0xc0ff;

export interface Endpoint {
  /** An IPv4 or IPv6 literal, as getStats or an ICE candidate gives it. */
  address: string;
  port: number;
}

export const endpointKey = (e: Endpoint) => `[${e.address}]:${e.port}`;

/** Fails the flow (never skips it) when the machine cannot cut packets. */
function checkTools(): void {
  if (!fs.existsSync(TC)) {
    throw new Error(
      `${TC} is missing: this flow cuts the call's UDP packets on lo with tc. Install the Debian package iproute2 (apt-get install iproute2); .ci/run does.`,
    );
  }
  if (!fs.existsSync(FLOCK)) throw new Error(`${FLOCK} is missing: install the Debian package util-linux.`);
}

async function tc(...args: string[]): Promise<string> {
  try {
    return (await run(TC, args)).stdout;
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? String(error);
    const hint = /not permitted/i.test(stderr) ? ' (tc needs root or CAP_NET_ADMIN)' : '';
    throw new Error(`tc ${args.join(' ')} failed${hint}: ${stderr.trim()}`);
  }
}

/** Runs `work` while holding the drops' file lock (flock(1) holds it until we close its stdin). */
async function locked<T>(work: () => Promise<T>): Promise<T> {
  fs.mkdirSync(STATE_DIR, { recursive: true });
  const holder: ChildProcess = spawn(FLOCK, [LOCK_FILE, 'sh', '-c', 'echo locked; exec cat >/dev/null'], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = once(holder, 'exit');
  const [chunk] = (await Promise.race([once(holder.stdout as NodeJS.ReadableStream, 'data'), exited])) as unknown[];
  if (!String(chunk ?? '').startsWith('locked')) throw new Error('flock could not take the udp-drop lock');
  try {
    return await work();
  } finally {
    holder.stdin?.end();
    await exited;
  }
}

const prefsIn = (listing: string) =>
  new Set([...listing.matchAll(/\bpref (\d+)\b/g)].map((m) => Number(m[1])).filter((p) => p >= FIRST_PREF));

const ownerFile = (pref: number) => path.join(STATE_DIR, `pref-${pref}`);

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function hasClsact(): Promise<boolean> {
  return /\bqdisc clsact\b/.test(await tc('qdisc', 'show', 'dev', 'lo'));
}

/** Removes drops left by a process that died, then the qdisc if nothing uses it any more. Locked. */
async function sweep(): Promise<void> {
  for (const name of fs.readdirSync(STATE_DIR)) {
    const pref = /^pref-(\d+)$/.exec(name)?.[1];
    if (!pref) continue;
    const pid = Number(fs.readFileSync(path.join(STATE_DIR, name), 'utf8'));
    if (alive(pid)) continue;
    if (await hasClsact()) await tc('filter', 'del', 'dev', 'lo', 'egress', 'pref', pref).catch(() => '');
    fs.rmSync(path.join(STATE_DIR, name), { force: true });
  }
  if (!fs.existsSync(OURS_FILE) || !(await hasClsact())) return;
  const left =
    (await tc('filter', 'show', 'dev', 'lo', 'egress')) + (await tc('filter', 'show', 'dev', 'lo', 'ingress'));
  if (left.trim() === '') {
    await tc('qdisc', 'del', 'dev', 'lo', 'clsact');
    fs.rmSync(OURS_FILE, { force: true });
  }
}

export class UdpDrop {
  readonly #endpoints = new Map<string, Endpoint>();
  #pref: number | undefined;
  #installed: Promise<void> = Promise.resolve();

  /** The sockets whose packets are dropped now (empty once lifted). */
  get endpoints(): Endpoint[] {
    return [...this.#endpoints.values()];
  }

  get active(): boolean {
    return this.#pref !== undefined;
  }

  /** Starts dropping every UDP packet to or from these sockets. */
  async start(endpoints: Endpoint[]): Promise<void> {
    checkTools();
    if (this.#pref !== undefined) throw new Error('this drop is on already');
    for (const e of endpoints) this.#endpoints.set(endpointKey(e), e);
    await locked(async () => {
      await sweep();
      if (!(await hasClsact())) {
        await tc('qdisc', 'add', 'dev', 'lo', 'clsact');
        fs.writeFileSync(OURS_FILE, '');
      }
      const taken = prefsIn(await tc('filter', 'show', 'dev', 'lo', 'egress'));
      let pref = FIRST_PREF;
      while (taken.has(pref) || fs.existsSync(ownerFile(pref))) pref++;
      if (pref > LAST_PREF) throw new Error('too many udp drops at once');
      fs.writeFileSync(ownerFile(pref), String(process.pid));
      this.#pref = pref;
      await this.#install('add');
    });
  }

  /** Widens the drop to more sockets (a restart's new candidates) before anyone can use them. */
  async add(endpoints: Endpoint[]): Promise<void> {
    if (this.#pref === undefined) return; // lifted meanwhile: nothing to widen
    const fresh = endpoints.filter((e) => !this.#endpoints.has(endpointKey(e)));
    if (fresh.length === 0) return;
    for (const e of fresh) this.#endpoints.set(endpointKey(e), e);
    await this.#install('replace');
  }

  /** Lets the packets through again; safe to call twice, or when never started. */
  async lift(): Promise<void> {
    const pref = this.#pref;
    if (pref === undefined) return;
    this.#pref = undefined;
    await this.#installed;
    this.#endpoints.clear();
    await locked(async () => {
      try {
        await tc('filter', 'del', 'dev', 'lo', 'egress', 'pref', String(pref));
      } catch (error) {
        // Never installed (start failed half-way) is fine; a filter still there is not.
        if ((await hasClsact()) && prefsIn(await tc('filter', 'show', 'dev', 'lo', 'egress')).has(pref)) throw error;
      }
      fs.rmSync(ownerFile(pref), { force: true });
      await sweep();
    });
  }

  /**
   * Loads the program for the sockets known when it runs, one load at a time: two quick `add`s
   * cannot leave the older program in place.
   */
  #install(verb: 'add' | 'replace'): Promise<void> {
    const pref = String(this.#pref);
    const next = this.#installed.then(async () => {
      const program = dropProgram(this.endpoints);
      await tc('filter', verb, 'dev', 'lo', 'egress', 'pref', pref, 'handle', '1', 'bpf', 'da', 'bytecode', program);
    });
    this.#installed = next.catch(() => {});
    return next;
  }
}

// --- The classic-BPF program -----------------------------------------------------------------------
// Offsets are from the start of the frame: at lo's egress the packet carries a 14-byte Ethernet
// header (EtherType at 12), then IPv4 (addresses at 26/30, header length in the low nibble of 14)
// or IPv6 (next header at 20, addresses at 22/38, UDP ports at 54/56).

const LD_W_ABS = 0x20;
const LD_H_ABS = 0x28;
const LD_B_ABS = 0x30;
const LD_H_IND = 0x48;
const LDX_B_MSH = 0xb1;
const JEQ_K = 0x15;
const JSET_K = 0x45;
const RET_K = 0x06;
/** cls_bpf direct-action verdicts: drop, or no opinion (the next filter decides, or the packet goes). */
const TC_ACT_SHOT = 2;
const TC_ACT_UNSPEC = 0xffffffff;

type Target = string | 'next';
interface Instruction {
  code: number;
  k: number;
  jt?: Target;
  jf?: Target;
  label?: string;
}
/** Names the instruction that follows it. */
interface Mark {
  mark: string;
}

function words(address: string): number[] {
  if (isIPv4(address)) return [address.split('.').reduce((word, byte) => (word * 256 + Number(byte)) >>> 0, 0)];
  if (!isIPv6(address)) throw new Error(`not an IP address: ${address}`);
  const [head = '', tail = ''] = address.split('::') as [string, string?];
  const left = head ? head.split(':') : [];
  const right = address.includes('::') && tail ? tail.split(':') : [];
  const groups = address.includes('::')
    ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right]
    : left;
  const values = groups.map((g) => Number.parseInt(g, 16));
  return [0, 2, 4, 6].map((i) => (((values[i] as number) << 16) | (values[i + 1] as number)) >>> 0);
}

/** Checks "the address at `at` and the port `portLoad` reads are this socket’s"; `onMatch` if so. */
function socketCheck(e: Endpoint, at: number, portLoad: Instruction, onMatch: string, label: string): Instruction[] {
  const out: Instruction[] = [];
  const addressWords = words(e.address);
  for (const [i, word] of addressWords.entries()) {
    out.push({ code: LD_W_ABS, k: at + i * 4 });
    out.push({ code: JEQ_K, k: word, jt: 'next', jf: label });
  }
  out.push({ ...portLoad });
  out.push({ code: JEQ_K, k: e.port, jt: onMatch, jf: label });
  return out;
}

/** The filter's bytecode in tc's `bytecode` syntax ("count,code jt jf k,..."). */
export function dropProgram(endpoints: Endpoint[]): string {
  const v4 = endpoints.filter((e) => isIPv4(e.address));
  const v6 = endpoints.filter((e) => isIPv6(e.address));
  if (v4.length + v6.length !== endpoints.length) throw new Error(`not IP endpoints: ${JSON.stringify(endpoints)}`);
  const program: (Instruction | Mark)[] = [
    { code: LD_H_ABS, k: 12 },
    { code: JEQ_K, k: 0x86dd, jt: 'v6', jf: 'next' },
    { code: JEQ_K, k: 0x0800, jt: 'v4', jf: 'pass' },
  ];
  let n = 0;
  const checks = (list: Endpoint[], family: 'v4' | 'v6') => {
    const src = family === 'v4' ? 26 : 22;
    const dst = family === 'v4' ? 30 : 38;
    const sport: Instruction = family === 'v4' ? { code: LD_H_IND, k: 14 } : { code: LD_H_ABS, k: 54 };
    const dport: Instruction = family === 'v4' ? { code: LD_H_IND, k: 16 } : { code: LD_H_ABS, k: 56 };
    const drop = `${family}-drop`;
    for (const e of list) {
      program.push(...socketCheck(e, src, sport, drop, `c${++n}`));
      program.push({ mark: `c${n}` });
      program.push(...socketCheck(e, dst, dport, drop, `c${++n}`));
      program.push({ mark: `c${n}` });
    }
    program.push({ code: RET_K, k: TC_ACT_UNSPEC });
    program.push({ code: RET_K, k: TC_ACT_SHOT, label: drop });
  };
  program.push({ code: LD_B_ABS, k: 20, label: 'v6' }, { code: JEQ_K, k: 17, jt: 'next', jf: 'pass' });
  checks(v6, 'v6');
  program.push(
    { code: LD_B_ABS, k: 23, label: 'v4' },
    { code: JEQ_K, k: 17, jt: 'next', jf: 'pass' },
    // A fragment after the first has no UDP header to read.
    { code: LD_H_ABS, k: 20 },
    { code: JSET_K, k: 0x1fff, jt: 'pass', jf: 'next' },
    { code: LDX_B_MSH, k: 14 },
  );
  checks(v4, 'v4');
  program.push({ code: RET_K, k: TC_ACT_UNSPEC, label: 'pass' });
  return assemble(program);
}

/** Resolves labels into jump offsets (cBPF only jumps forward, at most 255 instructions). */
function assemble(source: (Instruction | Mark)[]): string {
  const program: Instruction[] = [];
  const labels = new Map<string, number>();
  for (const item of source) {
    if ('mark' in item) labels.set(item.mark, program.length);
    else {
      if (item.label) labels.set(item.label, program.length);
      program.push(item);
    }
  }
  const offset = (from: number, target: Target | undefined) => {
    if (target === undefined || target === 'next') return 0;
    const at = labels.get(target);
    if (at === undefined) throw new Error(`no label ${target}`);
    const jump = at - from - 1;
    if (jump < 0 || jump > 255) throw new Error(`jump to ${target} out of range (${jump})`);
    return jump;
  };
  const lines = program.map((ins, i) => `${ins.code} ${offset(i, ins.jt)} ${offset(i, ins.jf)} ${ins.k >>> 0}`);
  return `${lines.length},${lines.join(',')}`;
}
