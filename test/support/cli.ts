import { Writable } from 'node:stream';
import type { CliIo } from '../../src/cli/cli-context';

/** A command's two outputs, kept for the test to read. */
export function captureIo(): CliIo & { out: () => string; err: () => string } {
  const text = { out: '', err: '' };
  const sink = (key: keyof typeof text) =>
    new Writable({
      write(chunk, _encoding, callback) {
        text[key] += String(chunk);
        callback();
      },
    });
  return { stdout: sink('out'), stderr: sink('err'), out: () => text.out, err: () => text.err };
}
