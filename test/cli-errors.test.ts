import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../src/cli/main.js';
import { createLlmTestServer } from '../src/testing/index.js';
import { GEOGRAPHY_DB } from './shared-data.js';

// Issue 16, items 4-8: every user mistake and every unusable output ends at once, with exit 2 and one
// line in symgen's words naming what, where and how to fix it, and nothing half-written.

const ROOT = join(import.meta.dirname, '..');
const folder = mkdtempSync(join(tmpdir(), 'symgen-cli-errors-'));
let serial = 0;
const fresh = (name: string) => join(folder, `${name}-${++serial}`);

/** Runs the CLI in this process; returns its exit code and what it wrote on stderr. */
async function run(...args: string[]): Promise<{ code: number; stderr: string }> {
  let stderr = '';
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  try {
    const code = await main(args);
    return { code, stderr };
  } finally {
    spy.mockRestore();
  }
}

/** Runs the CLI as a real process (from source), killed if it runs past `timeoutMs`. */
function spawnCli(args: string[], timeoutMs = 60_000) {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'test', 'run-cli.ts'), ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk) => {
    stderr += String(chunk);
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const exited = new Promise<{ code: number | null; signal: string | null; stderr: string; ms: number }>(
    (resolve) => {
      const started = Date.now();
      child.on('exit', (code, signal) => {
        clearTimeout(timer);
        resolve({ code, signal, stderr, ms: Date.now() - started });
      });
    },
  );
  return { child, exited };
}

/** One line on stderr, without a stack trace. */
function expectOneLine(stderr: string) {
  const lines = stderr.trim().split('\n');
  expect(lines.filter((line) => line.startsWith('symgen')).length).toBeGreaterThanOrEqual(1);
  expect(stderr).not.toMatch(/\n\s+at /);
  expect(stderr).not.toContain('unexpected error');
  expect(stderr).not.toMatch(/symgen:? symgen/);
}

const candidates = () => {
  const file = join(folder, `candidates-${++serial}.jsonl`);
  writeFileSync(
    file,
    `${JSON.stringify({ id: '1', question: 'how many states?', candidates: ['SELECT count(*) FROM state'] })}\n`,
  );
  return file;
};

afterEach(() => vi.restoreAllMocks());

describe('commander mistakes in symgen words (item 6)', () => {
  it('no command, an unknown command, a missing required option or value: exit 2, one line', async () => {
    const none = await run();
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^symgen: no command given; one of verify, .*generate/);
    const unknown = await run('genrate');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^symgen: unknown command 'genrate'.*\(symgen --help lists the options\)/);
    const missing = await run('verify', '--task', 'sql');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^symgen verify: required option '--in <file>' not specified/);
    const value = await run('generate', '--db');
    expect(value.code).toBe(2);
    expect(value.stderr).toMatch(/^symgen generate: option '--db <path>' argument missing/);
    for (const result of [none, unknown, missing, value])
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect((await run('--version')).code).toBe(0);
  });

  it('prefixes a message once', async () => {
    const result = await run('generate', '--count', '3');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^symgen generate: --out: no run directory: .*--count N --out DIR \(and --db PATH for sql\)/,
    );
    expectOneLine(result.stderr);
  });

  it('a database named in a config file that is missing names the config field, not --db', async () => {
    const config = join(folder, 'missing-db.yaml');
    writeFileSync(config, 'task: sql\ncount: 3\nknowledge:\n  db: nowhere.sqlite\noutput:\n  dir: out\n');
    const result = await run('generate', config, '--offline');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`knowledge.db: database not found: ${join(folder, 'nowhere.sqlite')}`);
    expect(result.stderr).toContain(`fix knowledge.db in ${config}`);
    expectOneLine(result.stderr);
  });

  it('the main model is spelled --model/--base-url/--provider in every command that takes one', async () => {
    const help = (command: string) => {
      const found = [
        ...readFileSync(join(ROOT, 'src', 'cli', 'commands', `${command}.ts`), 'utf8').matchAll(
          /\.option\('(--[a-z-]+)/g,
        ),
      ].map((match) => match[1]!);
      return new Set(found);
    };
    for (const command of ['generate', 'evaluate', 'sample', 'models']) {
      const options = help(command);
      expect(options.has('--model'), command).toBe(true);
      expect(options.has('--base-url'), command).toBe(true);
      expect([...options].filter((option) => /^--model-(base-url|provider)$/.test(option))).toEqual([]);
    }
  });
});

describe('unusable output paths end at once (items 4, 5)', () => {
  it('generate --out /proc/x ends at once with one line (no endless mkdir), and so does /etc/passwd/x', async () => {
    const proc = spawnCli([
      'generate',
      '--db',
      GEOGRAPHY_DB,
      '--count',
      '3',
      '--out',
      '/proc/symgen-x',
      '--offline',
    ]);
    const result = await proc.exited;
    expect(result.signal).toBeNull();
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /symgen generate: --out \/proc\/symgen-x: cannot create the folder \/proc\/symgen-x/,
    );
    expectOneLine(result.stderr);
    const file = await run(
      'generate',
      '--db',
      GEOGRAPHY_DB,
      '--count',
      '3',
      '--out',
      '/etc/passwd/x',
      '--offline',
    );
    expect(file.code).toBe(2);
    expect(file.stderr).toMatch(
      /--out \/etc\/passwd\/x: \/etc\/passwd is a file, not a folder; choose another --out/,
    );
    expectOneLine(file.stderr);
  });

  it('--out naming a folder (verify, sample, curate, export) or under a missing folder: exit 2, nothing written', async () => {
    const directory = fresh('a-folder');
    mkdirSync(directory);
    const input = candidates();
    const verify = await run(
      'verify',
      '--task',
      'sql',
      '--db',
      GEOGRAPHY_DB,
      '--in',
      input,
      '--out',
      directory,
    );
    const sample = await run(
      'sample',
      '--task',
      'sql',
      '--db',
      GEOGRAPHY_DB,
      '--count',
      '2',
      '--out',
      directory,
    );
    const dataset = join(folder, `dataset-${++serial}.jsonl`);
    writeFileSync(
      dataset,
      `${JSON.stringify({ question: 'how many states are there?', program: 'SELECT count(*) FROM state' })}\n`,
    );
    const curate = await run('curate', '--in', dataset, '--out', directory);
    const run1 = fresh('run');
    expect(
      (await run('generate', '--db', GEOGRAPHY_DB, '--count', '2', '--out', run1, '--offline')).code,
    ).toBe(0);
    const exported = await run('export', run1, '--format', 'jsonl', '--out', directory);
    for (const result of [verify, sample, curate, exported]) {
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`--out ${directory} is a folder; name a file to write`);
      expectOneLine(result.stderr);
    }
    expect(readdirSync(directory)).toEqual([]);
    const missing = join(fresh('missing'), 'x.jsonl');
    const under = await run('export', run1, '--format', 'jsonl', '--out', missing);
    expect(under.code).toBe(2);
    expect(under.stderr).toMatch(/the folder .* does not exist \(create it first\)/);
    expectOneLine(under.stderr);
  });
});

describe('a full disk (item 5)', () => {
  // a 160 KiB tmpfs in a private mount namespace (unshare -Urm works for root and, with user
  // namespaces, which bubblewrap needs too, for anyone): run.sqlite fills it mid-run
  it('generate on a full disk: one line with the resume hint, exit 2, and the run resumes once there is room', async () => {
    const mount = fresh('tmpfs');
    mkdirSync(mount);
    const script = [
      `mount -t tmpfs -o size=160k tmpfs ${mount}`,
      `${process.execPath} --import tsx ${join(ROOT, 'test', 'run-cli.ts')} generate --db ${GEOGRAPHY_DB} --count 30 --out ${mount}/run --offline; code=$?`,
      `ls -a ${mount}/run > ${mount}.listing`,
      `cp -r ${mount}/run ${mount}.copy`,
      'exit $code',
    ].join('\n');
    const child = spawn('unshare', ['-Urm', 'sh', '-c', script], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += String(chunk);
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(2);
    expect(stderr).toMatch(
      /symgen generate: cannot write the run in .*\/run: the disk is full: free some space \((SQLITE_FULL|ENOSPC)\); what was decided is kept: continue it with --resume/,
    );
    expectOneLine(stderr);
    // nothing half-written: no temporary file, and the copy (with room now) resumes to the end
    const listing = readFileSync(`${mount}.listing`, 'utf8');
    expect(listing).not.toMatch(/\.tmp/);
    const resumed = await run('generate', '--out', `${mount}.copy`, '--resume');
    expect(resumed.code).toBe(0);
    const lines = readFileSync(join(`${mount}.copy`, 'dataset.jsonl'), 'utf8')
      .trim()
      .split('\n');
    expect(lines).toHaveLength(30);
    expect(new Set(lines.map((line) => JSON.parse(line).id)).size).toBe(30);
  }, 120_000);
});

describe('signals (item 6)', () => {
  it('a run stopped by SIGINT or SIGTERM exits 2, not 130 or 143', async () => {
    const input = join(folder, 'many.jsonl');
    const line = JSON.stringify({ id: 'x', question: 'q', candidates: ['SELECT count(*) FROM state'] });
    writeFileSync(input, `${Array.from({ length: 6000 }, () => line).join('\n')}\n`);
    // generate is stopped by SIGINT (it saves its run), verify by SIGTERM (it ends at once)
    {
      const signal = 'SIGINT';
      const out = join(folder, `stopped-${signal}.jsonl`);
      const generate = spawnCli([
        'generate',
        '--db',
        GEOGRAPHY_DB,
        '--count',
        '400',
        '--out',
        fresh('stopped'),
        '--offline',
      ]);
      const verify = spawnCli([
        'verify',
        '--task',
        'sql',
        '--db',
        GEOGRAPHY_DB,
        '--in',
        input,
        '--out',
        out,
        '--workers',
        '1',
      ]);
      // signal once the run has started (its first notice) and verify is under way beside it
      await new Promise<void>((resolve) => {
        const started = (chunk: Buffer) => {
          if (String(chunk).includes('no LLM configured')) {
            generate.child.stderr!.off('data', started);
            resolve();
          }
        };
        generate.child.stderr!.on('data', started);
      });
      generate.child.kill('SIGINT');
      // verify is under way once its output's temporary file exists (a signal to a process still
      // starting Node itself ends it before any code of ours runs)
      for (let waited = 0; waited < 60_000 && verify.child.exitCode === null; waited += 50) {
        if (readdirSync(folder).some((name) => name.startsWith('.stopped-'))) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      verify.child.kill('SIGTERM');
      const [stoppedGenerate, stoppedVerify] = await Promise.all([generate.exited, verify.exited]);
      expect(stoppedGenerate.code, stoppedGenerate.stderr).toBe(2);
      expect(stoppedGenerate.stderr).toMatch(
        new RegExp(`stopped by ${signal}; the run is saved in .*: continue it with --resume`),
      );
      expect([2, 0]).toContain(stoppedVerify.code);
      if (stoppedVerify.code === 2) expect(stoppedVerify.stderr).toContain('stopped by SIGTERM');
      // nothing half-written: no temporary file beside the output
      expect(readdirSync(folder).filter((name) => name.startsWith('.stopped-'))).toEqual([]);
    }
  }, 120_000);
});

describe('--min-votes, --count and runs that produce nothing (item 7)', () => {
  it('--min-votes 1.0 is refused as ambiguous; a count above the candidates warns', async () => {
    const input = candidates();
    const ambiguous = await run(
      'verify',
      '--task',
      'sql',
      '--db',
      GEOGRAPHY_DB,
      '--in',
      input,
      '--out',
      fresh('v'),
      '--min-votes',
      '1.0',
    );
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toMatch(/--min-votes: 1\.0 is ambiguous: a decimal point means a fraction/);
    const fraction = await run(
      'verify',
      '--task',
      'sql',
      '--db',
      GEOGRAPHY_DB,
      '--in',
      input,
      '--out',
      fresh('v'),
      '--min-votes',
      '0.5',
    );
    expect(fraction.code).toBe(0);
    const above = await run(
      'verify',
      '--task',
      'sql',
      '--db',
      GEOGRAPHY_DB,
      '--in',
      input,
      '--out',
      fresh('v'),
      '--min-votes',
      '3',
    );
    expect(above.code).toBe(0);
    expect(above.stderr).toContain("warning: --min-votes 3 is more than any line's candidates (at most 1)");
    const generate = await run(
      'generate',
      '--db',
      GEOGRAPHY_DB,
      '--count',
      '3',
      '--out',
      fresh('g'),
      '--min-votes',
      '9',
      '--candidates',
      '4',
      '--model',
      'm',
      '--base-url',
      'http://127.0.0.1:9/v1',
      '--api-key-env',
      'SYMGEN_TEST_NO_SUCH_KEY',
    );
    expect(generate.code).toBe(2);
    expect(generate.stderr).toContain('warning: --min-votes 9 is more than the 4 candidates per question');
  });

  it('--count 0 is refused by generate and sample alike', async () => {
    const generate = await run(
      'generate',
      '--db',
      GEOGRAPHY_DB,
      '--count',
      '0',
      '--out',
      fresh('g'),
      '--offline',
    );
    const sample = await run(
      'sample',
      '--task',
      'sql',
      '--db',
      GEOGRAPHY_DB,
      '--count',
      '0',
      '--out',
      fresh('s'),
    );
    for (const result of [generate, sample]) {
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/--count: must be at least 1, got 0/);
    }
  });

  it('--offline-beyond outside 0 to 1 is refused with one line, and nothing is written', async () => {
    for (const share of ['1.5', '-0.1', 'half', '']) {
      const out = fresh('beyond');
      const result = await run('generate', '--db', GEOGRAPHY_DB, '--offline-beyond', share, '--out', out);
      expect(result.code).toBe(2);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toContain(
        `--offline-beyond: expected a share from 0 to 1, got ${JSON.stringify(share)}`,
      );
      expect(existsSync(out)).toBe(false);
    }
  });

  it('no tables, an empty input, an empty gold: one line saying so, exit 2, no output', async () => {
    const empty = join(folder, 'empty.sqlite');
    const database = new Database(empty);
    database.pragma('user_version = 1'); // a real SQLite file, with no table
    database.close();
    const out = fresh('no-tables');
    const noTables = await run('generate', '--db', empty, '--count', '3', '--out', out, '--offline');
    expect(noTables.code).toBe(2);
    expect(noTables.stderr).toMatch(/has no tables: nothing to generate from/);
    expect(existsSync(out)).toBe(false);
    const blank = join(folder, 'blank.jsonl');
    writeFileSync(blank, '\n\n');
    const verifyOut = fresh('verified');
    const verify = await run(
      'verify',
      '--task',
      'sql',
      '--db',
      GEOGRAPHY_DB,
      '--in',
      blank,
      '--out',
      verifyOut,
    );
    const curate = await run('curate', '--in', blank, '--out', fresh('curated'));
    const evaluate = await run('evaluate', '--db', GEOGRAPHY_DB, '--gold', blank, '--pred', blank);
    for (const [result, flag] of [
      [verify, '--in'],
      [curate, '--in'],
      [evaluate, '--gold'],
    ] as const) {
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`${flag} ${blank} is empty: nothing to`);
      expectOneLine(result.stderr);
    }
    expect(existsSync(verifyOut)).toBe(false);
  });
});

describe('generate and its run folder (item 8)', () => {
  it('a generate that fails before its first example leaves no run folder; the retry starts clean', async () => {
    // no API key: the variable named by --api-key-env is not set
    const out = fresh('no-key');
    const noKey = await run(
      'generate',
      '--db',
      GEOGRAPHY_DB,
      '--count',
      '3',
      '--out',
      out,
      '--model',
      'm',
      '--base-url',
      'http://127.0.0.1:9/v1',
      '--api-key-env',
      'SYMGEN_TEST_NO_SUCH_KEY',
    );
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toContain('SYMGEN_TEST_NO_SUCH_KEY (named by apiKeyEnv / --api-key-env) is not set');
    expectOneLine(noKey.stderr);
    expect(existsSync(out)).toBe(false);
    // a key the server refuses: the first request fails (401 is not retried) after the run started
    const server = await createLlmTestServer({
      respond: () => ({ status: 401, body: { error: { message: 'Incorrect API key provided' } } }),
    });
    try {
      const refused = await run(
        'generate',
        '--db',
        GEOGRAPHY_DB,
        '--count',
        '3',
        '--out',
        out,
        '--model',
        'm',
        '--base-url',
        server.baseURL,
      );
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain('401');
      expect(existsSync(out)).toBe(false);
    } finally {
      await server.close();
    }
    const retry = await run('generate', '--db', GEOGRAPHY_DB, '--count', '3', '--out', out, '--offline');
    expect(retry.code).toBe(0);
    expect(retry.stderr).not.toContain('already holds a run');
  });

  it('generate into a folder holding other files (and no run) is refused', async () => {
    const out = fresh('foreign');
    mkdirSync(out);
    writeFileSync(join(out, 'notes.txt'), 'mine\n');
    const result = await run('generate', '--db', GEOGRAPHY_DB, '--count', '3', '--out', out, '--offline');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `--out: ${out} holds other files (notes.txt) and no run; choose a new or empty folder`,
    );
    expect(readdirSync(out)).toEqual(['notes.txt']);
  });
});
