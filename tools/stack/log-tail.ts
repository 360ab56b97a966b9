import * as fs from 'fs';

/**
 * The last lines of a log file, for error messages about a process that failed;
 * only what was written after `fromOffset` (logs are appended to across runs).
 */
export function logTail(file: string, lines = 30, fromOffset = 0): string {
  try {
    const fd = fs.openSync(file, 'r');
    try {
      const size = fs.fstatSync(fd).size;
      const length = Math.max(0, Math.min(size - fromOffset, 16 * 1024));
      const buffer = Buffer.alloc(length);
      fs.readSync(fd, buffer, 0, length, size - length);
      return buffer.toString('utf8').split('\n').slice(-lines - 1).join('\n').trimEnd() || '(no log output)';
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return '(no log output)';
  }
}

export function indent(text: string, prefix = '    '): string {
  return text
    .split('\n')
    .map((line) => prefix + line)
    .join('\n');
}
