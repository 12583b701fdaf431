import type { Readable } from 'node:stream';

/**
 * The whole body of an HTTP answer (or any byte stream), up to `maxBytes`:
 * past that the stream is destroyed and the promise rejects with "answer
 * too large", so a runaway or hostile peer cannot fill the memory.
 */
export function readBoundedBody(body: Readable, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    body.on('data', (c: Buffer) => {
      size += c.length;
      if (size > maxBytes) body.destroy(new Error('answer too large'));
      else chunks.push(c);
    });
    body.on('end', () => resolve(Buffer.concat(chunks)));
    body.on('error', reject);
  });
}
