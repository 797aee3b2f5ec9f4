/**
 * The local job channel: a running server takes the command-line jobs (./jobs.ts) that cannot open
 * the DuckDB file beside it (DuckDB lets one process write a file).
 *
 * Only the owner of DATA_DIR can use it: a Unix socket and a token file in `DATA_DIR/run/`, a
 * folder of mode 0700 owned by the server's user, the socket 0600 and the token (32 random bytes,
 * new at each start) 0600. A request must carry the token, so even a socket reachable by mistake
 * is useless without read access to the token file. Never a network port.
 *
 * Protocol: newline-delimited JSON on one connection per job. The client sends one request
 * `{v: 1, kind: 'run', token, job, argv, cwd}` (or `kind: 'changed'` after it changed a shared
 * PostgreSQL database directly); the server answers with `{t: 'out' | 'err', line}` lines and ends
 * with `{t: 'exit', code}`. A client that goes away (Ctrl-C) cancels its job.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, existsSync, lstatSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { isAbsolute, join, resolve } from 'node:path';
import { z } from 'zod';
import type { Env } from '../env.js';
import type { IncidentStore } from '../store/types.js';
import { dataChanged } from './data-changed.js';
import { CANCELLED_EXIT_CODE } from './job.js';
import type { JobProgress } from './job.js';
import { isJobName, JOBS } from './jobs.js';

/** Linux's limit for a Unix socket path (sun_path is 108 bytes with its NUL). */
const MAX_SOCKET_PATH_BYTES = 107;
/** A request line is small (a command's arguments); anything longer is refused. */
const MAX_REQUEST_BYTES = 256 * 1024;
const PROTOCOL_VERSION = 1;

export interface ChannelPaths {
  dir: string;
  socket: string;
  token: string;
}

export function channelPaths(dataDir: string): ChannelPaths {
  const dir = join(resolve(dataDir), 'run');
  return { dir, socket: join(dir, 'hexwatch.sock'), token: join(dir, 'token') };
}

const RequestSchema = z.discriminatedUnion('kind', [
  z
    .object({
      v: z.literal(PROTOCOL_VERSION),
      kind: z.literal('run'),
      token: z.string().max(200),
      job: z.string().min(1).max(50),
      argv: z.array(z.string().max(4096)).max(200),
      cwd: z.string().min(1).max(4096).refine((p) => isAbsolute(p), 'must be an absolute path'),
    })
    .strict(),
  z.object({ v: z.literal(PROTOCOL_VERSION), kind: z.literal('changed'), token: z.string().max(200), job: z.string().min(1).max(50) }).strict(),
]);
type ChannelRequest = z.infer<typeof RequestSchema>;

type ChannelMessage = { t: 'out' | 'err'; line: string } | { t: 'exit'; code: number };

/** Splits a socket's data into lines (calls `onLine` per complete line); false when over `maxBytes`. */
function lineReader(socket: Socket, maxBytes: number, onLine: (line: string) => void, onTooLong: () => void): void {
  let buffered = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    buffered += chunk;
    let nl: number;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      onLine(line);
    }
    if (buffered.length > maxBytes) {
      buffered = '';
      onTooLong();
    }
  });
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Makes `DATA_DIR/run` a 0700 folder of ours (refusing a symlink or another user's folder). */
function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const stat = lstatSync(dir);
  if (!stat.isDirectory()) throw new Error(`${dir} is not a folder (a symlink?)`);
  if (typeof process.getuid === 'function' && stat.uid !== process.getuid()) {
    throw new Error(`${dir} belongs to another user (uid ${stat.uid})`);
  }
  chmodSync(dir, 0o700);
}

/** Whether something answers on the socket (a server already running on this DATA_DIR). */
function socketAnswers(path: string, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolveAnswer) => {
    const socket = createConnection(path);
    const done = (answer: boolean) => {
      socket.destroy();
      resolveAnswer(answer);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export interface JobChannel {
  readonly socketPath: string;
  /** Stops taking jobs, cancels the running ones, waits for them and removes the socket and token. */
  close(): Promise<void>;
}

export interface JobChannelOptions {
  store: IncidentStore;
  env: Env;
  /** Jobs wait for this (migrations and first-start seeding) before they run. */
  ready: Promise<void>;
  log?: (line: string) => void;
}

/**
 * Opens the channel in `env.DATA_DIR/run`. Returns null (with a log line) when it cannot: the
 * path is too long for a Unix socket, or another server already answers there.
 */
export async function startJobChannel({ store, env, ready, log = console.log }: JobChannelOptions): Promise<JobChannel | null> {
  const paths = channelPaths(env.DATA_DIR);
  if (Buffer.byteLength(paths.socket) > MAX_SOCKET_PATH_BYTES) {
    log(`warning: job channel not started: ${paths.socket} is longer than a Unix socket path may be (${MAX_SOCKET_PATH_BYTES} bytes); use a shorter DATA_DIR for commands beside the server`);
    return null;
  }
  ensurePrivateDir(paths.dir);
  if (existsSync(paths.socket)) {
    if (await socketAnswers(paths.socket)) {
      log(`warning: job channel not started: another Hexwatch server answers on ${paths.socket}`);
      return null;
    }
    rmSync(paths.socket, { force: true }); // left by a server that was killed
  }
  const token = randomBytes(32).toString('hex');
  const tmp = `${paths.token}.${process.pid}.tmp`;
  rmSync(tmp, { force: true });
  writeFileSync(tmp, `${token}\n`, { mode: 0o600, flag: 'wx' });
  renameSync(tmp, paths.token);

  const running = new Set<{ abort: AbortController; done: Promise<void> }>();
  let queue: Promise<void> = Promise.resolve();
  let queued = 0;
  let closing = false;

  const handle = (socket: Socket, request: ChannelRequest) => {
    const send = (message: ChannelMessage) => {
      if (!socket.destroyed) socket.write(`${JSON.stringify(message)}\n`);
    };
    const finish = (code: number) => {
      send({ t: 'exit', code });
      socket.end();
    };
    if (!sameToken(request.token, token)) {
      send({ t: 'err', line: 'job channel: wrong token (is DATA_DIR the same as the server’s?)' });
      return finish(2);
    }
    if (request.kind === 'changed') {
      dataChanged({ job: request.job });
      return finish(0);
    }
    if (!isJobName(request.job)) {
      send({ t: 'err', line: `job channel: unknown job "${request.job}" (jobs: ${Object.keys(JOBS).join(', ')})` });
      return finish(2);
    }
    if (closing) {
      send({ t: 'err', line: 'job channel: the server is shutting down; run the command again when it has stopped' });
      return finish(1);
    }
    const entry = JOBS[request.job];
    const abort = new AbortController();
    socket.once('close', () => abort.abort(new Error('the command went away')));
    const progress: JobProgress = { out: (line) => send({ t: 'out', line }), err: (line) => send({ t: 'err', line }) };
    // One job at a time: two imports would contend for DuckDB's single writer.
    if (queued > 0) progress.out(`waiting for ${queued} job(s) before this one`);
    queued++;
    const run = async () => {
      try {
        await ready;
        if (abort.signal.aborted) return finish(CANCELLED_EXIT_CODE);
        log(`job channel: ${request.job} ${request.argv.join(' ')}`.trimEnd());
        const code = await entry.run(store, { argv: request.argv, cwd: request.cwd, env }, progress, abort.signal);
        if (code === 0 && entry.changesData) dataChanged({ job: request.job });
        finish(code);
      } catch (error) {
        progress.err(`${request.job} failed: ${error instanceof Error ? error.message : String(error)}`);
        finish(1);
      } finally {
        queued--;
      }
    };
    const item = { abort, done: (queue = queue.then(run)) };
    running.add(item);
    void item.done.then(() => running.delete(item));
  };

  const server: Server = createServer((socket) => {
    let answered = false;
    socket.on('error', () => undefined); // a client that vanishes mid-write is not the server's problem
    lineReader(
      socket,
      MAX_REQUEST_BYTES,
      (line) => {
        if (answered) return;
        answered = true;
        let parsed: unknown;
        try {
          parsed = JSON.parse(line);
        } catch {
          parsed = undefined;
        }
        const request = RequestSchema.safeParse(parsed);
        if (!request.success) {
          socket.end(`${JSON.stringify({ t: 'err', line: 'job channel: malformed request' })}\n${JSON.stringify({ t: 'exit', code: 2 })}\n`);
          return;
        }
        handle(socket, request.data);
      },
      () => socket.destroy(),
    );
  });
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject).listen(paths.socket, () => resolveListen());
  });
  chmodSync(paths.socket, 0o600);

  return {
    socketPath: paths.socket,
    async close() {
      closing = true;
      await new Promise<void>((r) => server.close(() => r()));
      for (const item of running) item.abort.abort(new Error('server shutting down'));
      await Promise.all([...running].map((item) => item.done.catch(() => undefined)));
      // only our own files: a newer server may have replaced them
      let current = '';
      try {
        current = readFileSync(paths.token, 'utf8').trim();
      } catch {
        // already gone
      }
      if (current === token) {
        rmSync(paths.token, { force: true });
        rmSync(paths.socket, { force: true });
      }
    },
  };
}

/**
 * Runs a job in the server that holds DATA_DIR, streaming its lines to `progress`. Returns its
 * exit code, or null when no server answers there (no socket or token, or a stale socket):
 * the caller then works directly.
 */
export async function handOff(
  dataDir: string,
  request: { job: string; argv: readonly string[]; cwd: string } | { job: string; changed: true },
  progress: JobProgress,
  signal?: AbortSignal,
): Promise<number | null> {
  const paths = channelPaths(dataDir);
  if (!existsSync(paths.socket) || !existsSync(paths.token)) return null;
  let token: string;
  try {
    token = readFileSync(paths.token, 'utf8').trim();
  } catch (error) {
    throw new Error(`cannot read the job channel's token ${paths.token} (${(error as NodeJS.ErrnoException).code}): only the owner of DATA_DIR can hand jobs to the server`, { cause: error });
  }
  return new Promise<number | null>((resolveCode, reject) => {
    const socket = createConnection(paths.socket);
    let connected = false;
    let settled = false;
    const settle = (code: number | null, error?: Error) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      if (error) reject(error);
      else resolveCode(code);
    };
    const onAbort = () => settle(CANCELLED_EXIT_CODE);
    signal?.addEventListener('abort', onAbort, { once: true });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      // no server behind the socket (killed): work directly
      if (!connected && (error.code === 'ECONNREFUSED' || error.code === 'ENOENT')) return settle(null);
      settle(null, new Error(`job channel ${paths.socket}: ${error.message}`));
    });
    socket.once('connect', () => {
      connected = true;
      const message =
        'changed' in request
          ? { v: PROTOCOL_VERSION, kind: 'changed', token, job: request.job }
          : { v: PROTOCOL_VERSION, kind: 'run', token, job: request.job, argv: [...request.argv], cwd: request.cwd };
      socket.write(`${JSON.stringify(message)}\n`);
    });
    lineReader(
      socket,
      16 * 1024 * 1024,
      (line) => {
        let message: ChannelMessage;
        try {
          message = JSON.parse(line) as ChannelMessage;
        } catch {
          return settle(null, new Error(`job channel: unreadable answer from the server: ${line.slice(0, 200)}`));
        }
        if (message.t === 'out') progress.out(message.line);
        else if (message.t === 'err') progress.err(message.line);
        else if (message.t === 'exit') settle(message.code);
      },
      () => settle(null, new Error('job channel: answer line too long')),
    );
    socket.once('close', () => {
      if (connected) settle(null, new Error('job channel: the server closed the connection before the job ended (did it stop?)'));
    });
  });
}
