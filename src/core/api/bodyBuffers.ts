/**
 * Buffers for response bodies that go to the page worker, used again and again (docs/performance.md,
 * B4). A five-year Fetch All receives 263 bodies of about 1 MB. Each one allocated anew lives until
 * its page's turn comes, long enough to be promoted to V8's old generation, and only a full
 * (mark-compact) collection of the main thread's heap gives its memory back: about one such pause
 * of 10 to 25 ms every third of a second, on the extension host's thread that every extension
 * shares. Instead, a body of declared length is read into a buffer taken from here; the page worker
 * gets that buffer (transferred, not copied) and transfers it back when it has read the page, and it
 * is taken again for a later body. A buffer that never goes to the worker (a page read on the main
 * thread, an error's body) is simply left to the garbage collector: only the worker gives buffers back.
 */

/** Smaller bodies are allocated as usual: they are cheap, and not worth keeping. */
export const POOLED_BODY_MIN_BYTES = 64 * 1024;
/** Sizes are rounded up to this step, so that pages of about the same size share buffers. */
const SIZE_STEP = 256 * 1024;
/** Free buffers kept at most: the pages one Fetch All has on the network, held and in the worker. */
const MAX_FREE = 12;

const free: ArrayBuffer[] = [];
/** Buffers made here: only these may be transferred whole although a body fills only part of one. */
const made = new WeakSet<ArrayBuffer>();

/** A buffer of exactly `bytes` bytes for a body, from the free ones when one is large enough. */
export function takeBodyBuffer(bytes: number): Buffer {
  if (bytes < POOLED_BODY_MIN_BYTES) return Buffer.allocUnsafeSlow(bytes);
  let best = -1;
  for (let i = 0; i < free.length; i++)
    if (free[i]!.byteLength >= bytes && (best < 0 || free[i]!.byteLength < free[best]!.byteLength)) best = i;
  const buffer = best >= 0 ? free.splice(best, 1)[0]! : newBuffer(bytes);
  return Buffer.from(buffer, 0, bytes);
}

function newBuffer(bytes: number): ArrayBuffer {
  const buffer = new ArrayBuffer(Math.ceil(bytes / SIZE_STEP) * SIZE_STEP);
  made.add(buffer);
  return buffer;
}

/** True for a buffer `takeBodyBuffer` made: it belongs to one body only, so it can be transferred whole. */
export function isBodyBuffer(buffer: ArrayBufferLike): buffer is ArrayBuffer {
  return buffer instanceof ArrayBuffer && made.has(buffer);
}

/**
 * A page's buffer the page worker gave back. A transferred buffer arrives as a new object that
 * nobody else holds, so whichever body it held, it may be used again.
 */
export function giveBackBodyBuffer(buffer: ArrayBuffer): void {
  if (buffer.byteLength < POOLED_BODY_MIN_BYTES || free.length >= MAX_FREE || free.includes(buffer)) return;
  made.add(buffer);
  free.push(buffer);
}

/** Lets every free buffer go (a Fetch All ended): nothing is kept between runs. */
export function releaseBodyBuffers(): void {
  free.length = 0;
}

/** How many buffers are free (tests). */
export function freeBodyBuffers(): number {
  return free.length;
}
