import { spawn } from 'child_process';
import * as fs from 'fs';

/** What a podman command printed and how it ended. */
export interface PodmanResult {
  code: number | null;
  /** stdout and stderr interleaved. */
  output: string;
}

export interface PodmanOptions {
  cwd?: string;
  /** Also append the output to this file. */
  logFile?: string;
  /** Called with each complete line of output, for progress. */
  onLine?: (line: string) => void;
  signal?: AbortSignal;
}

/** Runs `podman <args>` to completion. */
export function podman(args: string[], o: PodmanOptions = {}): Promise<PodmanResult> {
  return run('podman', args, o);
}

/** Runs a command to completion, collecting its output; a non-zero exit is a result, not an error. */
export function run(command: string, args: string[], o: PodmanOptions = {}): Promise<PodmanResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: o.cwd, signal: o.signal, stdio: ['ignore', 'pipe', 'pipe'] });
    const log = o.logFile ? fs.createWriteStream(o.logFile, { flags: 'a' }) : undefined;
    const chunks: Buffer[] = [];
    let partial = '';
    const collect = (chunk: Buffer) => {
      chunks.push(chunk);
      log?.write(chunk);
      if (!o.onLine) return;
      const lines = (partial + chunk.toString('utf8')).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) o.onLine(line);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.once('error', (err) => {
      log?.end();
      reject(err);
    });
    child.once('close', (code) => {
      if (partial && o.onLine) o.onLine(partial);
      log?.end();
      resolve({ code, output: Buffer.concat(chunks).toString('utf8') });
    });
  });
}

/** Like `podman`, but a non-zero exit throws with the command's last lines. */
export async function podmanOk(args: string[], o: PodmanOptions = {}): Promise<string> {
  const result = await podman(args, o);
  if (result.code !== 0) throw new Error(`podman ${args.slice(0, 3).join(' ')} … failed (exit ${result.code}):\n${lastLines(result.output)}`);
  return result.output;
}

export function lastLines(text: string, count = 20): string {
  return text.trimEnd().split('\n').slice(-count).join('\n');
}

/**
 * The rlimits every container gets. runc refuses podman's defaults here:
 * a container may not ask for more open files or processes than the hard
 * limits this process has, and (as runc sets RLIMIT_NPROC) not more
 * processes than the kernel's pid_max.
 */
export function containerUlimits(): string[] {
  const limits = fs.readFileSync('/proc/self/limits', 'utf8');
  const hard = (name: string): number => {
    const line = limits.split('\n').find((l) => l.startsWith(name));
    const value = line?.slice(name.length).trim().split(/\s+/)[1];
    return value === undefined || value === 'unlimited' ? Number.POSITIVE_INFINITY : Number(value);
  };
  const pidMax = Number(fs.readFileSync('/proc/sys/kernel/pid_max', 'utf8').trim());
  const nofile = Math.min(hard('Max open files'), 65536);
  const nproc = Math.min(hard('Max processes'), pidMax, 65536);
  return ['--ulimit', `nofile=${nofile}:${nofile}`, '--ulimit', `nproc=${nproc}:${nproc}`];
}

export async function imageExists(name: string): Promise<boolean> {
  return (await podman(['image', 'exists', name])).code === 0;
}
