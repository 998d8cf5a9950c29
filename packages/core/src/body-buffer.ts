/**
 * A request body's bytes as they arrive, in one buffer whose capacity doubles, so a body
 * costs about what it weighs however it is cut: a sender trickling one byte per TCP
 * segment made the readers keep one Buffer per byte (an object, a backing store and an
 * array slot: ~600 bytes of memory per byte received). Here every chunk but the first
 * is copied and released; what stays held is at most twice the bytes received (or
 * `MIN_CAPACITY` bytes), never more than the declared content-length or the limit.
 *
 * Why not allocate the content-length up front: a peer that declares 1 MiB and then
 * sends one byte would make each connection hold 1 MiB it never received.
 *
 * Used by both readers: `readBody` (Node streams, the adapters) and `readFetchBody`.
 */

/** The smallest buffer allocated once a body spans two chunks. */
const MIN_CAPACITY = 1024;

const EMPTY = new Uint8Array(0);

export class BodyBuffer {
  /** Bytes received so far. */
  size = 0;
  /** The first chunk, kept as is while it is the only one: a single-chunk body is never copied. */
  private first: Uint8Array | undefined = undefined;
  private buf: Uint8Array | undefined = undefined;

  /**
   * @param expected the declared content-length, or -1: capacity never grows past it
   * @param limit `maxBodyBytes`: the reader refuses a chunk that would pass it, so capacity never grows past it either
   */
  constructor(
    private readonly expected: number,
    private readonly limit: number,
  ) {}

  push(chunk: Uint8Array): void {
    const n = chunk.byteLength;
    if (n === 0) return;
    if (this.size === 0) {
      this.first = chunk;
      this.size = n;
      return;
    }
    const need = this.size + n;
    const buf = this.buf !== undefined && need <= this.buf.byteLength ? this.buf : this.grow(need);
    buf.set(chunk, this.size);
    this.size = need;
  }

  /** Bytes held for this body (buffer capacity, or the first chunk): at most max(2 x size, MIN_CAPACITY). */
  get held(): number {
    return this.buf?.byteLength ?? this.first?.byteLength ?? 0;
  }

  /** The body: the first chunk itself if it was the only one, else a view of the buffer. */
  bytes(): Uint8Array {
    if (this.buf === undefined) return this.first ?? EMPTY;
    return this.buf.subarray(0, this.size);
  }

  private grow(need: number): Uint8Array {
    // Doubling keeps the copying linear (each byte is copied at most about twice in all).
    const bound = this.expected >= need ? this.expected : Math.max(this.limit, need);
    const next = new Uint8Array(Math.min(Math.max(need * 2, MIN_CAPACITY), bound));
    const old = this.buf === undefined ? this.first! : this.buf.subarray(0, this.size);
    next.set(old, 0);
    this.first = undefined;
    this.buf = next;
    return next;
  }
}
