/**
 * For the CLI tests that run a command in process (`run(argv, env, io)`): an io that keeps what the
 * command writes, and an AbortController that stops a command that keeps running (a server).
 */
import type { CliIo } from '../../src/node/cli.js';

export function captureIo() {
  let stdout = '';
  let stderr = '';
  let lineWritten!: (line: string) => void;
  const firstLine = new Promise<string>((resolve) => (lineWritten = resolve));
  const stop = new AbortController();
  const io: CliIo = {
    stdout: {
      write: (text: string) => {
        stdout += text;
        if (stdout.includes('\n')) lineWritten(stdout.split('\n')[0]!);
      },
    },
    stderr: { write: (text: string) => (stderr += text) },
    signal: stop.signal,
  };
  return { io, stdout: () => stdout, stderr: () => stderr, firstLine, stop: () => stop.abort() };
}

/** The first line a running command writes (its `--json` line); rejects when it exits first. */
export function firstLineOf(running: Promise<number>, captured: ReturnType<typeof captureIo>): Promise<string> {
  return Promise.race([
    captured.firstLine,
    running.then((code) => Promise.reject(new Error(`exited ${code} before a line: ${captured.stderr()}`))),
  ]);
}
