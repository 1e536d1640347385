import * as assert from 'node:assert/strict';
import { execFileSync } from 'child_process';
import { randomBytes } from 'crypto';
import { promises as fs } from 'fs';
import * as net from 'net';
import * as path from 'path';
import { UserError } from '../../../src/common/errors';
import { MAX_IMAGE_FILE_BYTES, readImageBytes } from '../../../src/image/input-file';
import { removeDir, tempDir } from './images';

/** Rejects with a one-line UserError that names `file` and contains each of `parts`. */
async function refuses(file: string, ...parts: string[]): Promise<void> {
  await assert.rejects(readImageBytes(file), (e: unknown) => {
    assert.ok(e instanceof UserError, `not a UserError: ${String(e)}`);
    assert.ok(!e.message.includes('\n'), `several lines: ${JSON.stringify(e.message)}`);
    for (const part of [file, ...parts]) assert.ok(e.message.includes(part), `"${e.message}" lacks "${part}"`);
    return true;
  });
}

describe('readImageBytes', () => {
  const posix = process.platform !== 'win32';
  let dir: string;
  before(async () => {
    dir = await tempDir();
  });
  after(() => removeDir(dir));

  it('reads a regular file whole, in one block or several', async () => {
    for (const size of [0, 100, 64 * 1024, 200 * 1024 + 7]) {
      const file = path.join(dir, `bytes-${size}.png`);
      const bytes = randomBytes(size);
      await fs.writeFile(file, bytes);
      assert.deepEqual(await readImageBytes(file), bytes, `${size} bytes`);
    }
  });

  it('refuses a missing file and a folder', async () => {
    await refuses(path.join(dir, 'nope.png'), 'image file not found');
    await refuses(dir, 'it is a folder');
  });

  it('refuses a file larger than the limit from its size, saying the limit', async () => {
    const file = path.join(dir, 'huge.png');
    // Sparse: no disk is used, and the refusal must come before any byte is read.
    await fs.writeFile(file, '');
    await fs.truncate(file, MAX_IMAGE_FILE_BYTES + 1);
    await refuses(file, 'larger than 256 MiB, the limit for image files');
    await fs.rm(file);
  });

  it('refuses a device, whose size says nothing of what it streams', async function () {
    if (!posix) this.skip();
    await refuses('/dev/zero', 'it is a character device, not a file', 'give the path of an image file');
  });

  it('refuses a named pipe at once instead of waiting for a writer', async function () {
    if (!posix) this.skip();
    const fifo = path.join(dir, 'pipe.png');
    execFileSync('mkfifo', [fifo]);
    await refuses(fifo, 'it is a named pipe (FIFO), not a file');
  });

  it('refuses a socket', async function () {
    if (!posix) this.skip();
    const socket = path.join(dir, 'socket.png');
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(socket, resolve));
    try {
      await refuses(socket, 'it is a socket, not a file');
    } finally {
      server.close();
    }
  });

  it('counts while reading: a file that holds more than its size said is read on, up to the limit', async function () {
    // Kernel files say they hold 0 bytes; pagemap holds 8 bytes per page of the address space, far over the limit.
    if (process.platform !== 'linux') this.skip();
    const status = await readImageBytes('/proc/self/status');
    assert.match(status.toString('utf8'), /^Name:/);
    await refuses('/proc/self/pagemap', 'larger than 256 MiB');
  });
});
