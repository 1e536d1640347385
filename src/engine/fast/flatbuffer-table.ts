import { ByteBuffer } from 'flatbuffers';

/** A flatbuffer whose offsets lead outside it or into nonsense: the file is truncated or damaged. */
export class MalformedFlatbuffer extends Error {}

/**
 * One table of a flatbuffer, read through the `flatbuffers` package's accessors. Those accessors trust the file:
 * past the end of the bytes they read `undefined` as 0 and carry on. Every position is therefore checked here
 * before it is read, so that a truncated or damaged file is an error, never values made up from nothing.
 */
export class FlatTable {
  private readonly vtableSize: number;
  private readonly tableSize: number;

  private constructor(
    private readonly bb: ByteBuffer,
    private readonly pos: number,
  ) {
    need(bb, pos, 4, 'table');
    const vtable = pos - bb.readInt32(pos);
    need(bb, vtable, 4, 'vtable');
    this.vtableSize = bb.readUint16(vtable);
    this.tableSize = bb.readUint16(vtable + 2);
    if (this.vtableSize < 4 || this.vtableSize % 2 !== 0) throw new MalformedFlatbuffer(`vtable of size ${this.vtableSize}`);
    need(bb, vtable, this.vtableSize, 'vtable');
    need(bb, pos, this.tableSize, 'table');
  }

  /** Whether the bytes carry the 4-character file identifier that follows the root offset. */
  static hasIdentifier(bytes: Uint8Array, identifier: string): boolean {
    return bytes.length >= 8 && new ByteBuffer(bytes).__has_identifier(identifier);
  }

  static root(bytes: Uint8Array): FlatTable {
    const bb = new ByteBuffer(bytes);
    need(bb, 0, 4, 'root offset');
    return new FlatTable(bb, bb.readUint32(0));
  }

  int8(field: number, fallback = 0): number {
    return this.number(field, 1, fallback, (p) => this.bb.readInt8(p));
  }

  uint8(field: number, fallback = 0): number {
    return this.number(field, 1, fallback, (p) => this.bb.readUint8(p));
  }

  int32(field: number, fallback = 0): number {
    return this.number(field, 4, fallback, (p) => this.bb.readInt32(p));
  }

  uint32(field: number, fallback = 0): number {
    return this.number(field, 4, fallback, (p) => this.bb.readUint32(p));
  }

  bool(field: number): boolean {
    return this.uint8(field) !== 0;
  }

  string(field: number): string | undefined {
    const v = this.vector(field, 1);
    return v && new TextDecoder('utf-8', { fatal: false }).decode(this.bb.bytes().subarray(v.start, v.start + v.length));
  }

  table(field: number): FlatTable | undefined {
    const p = this.scalar(field, 4);
    return p === 0 ? undefined : new FlatTable(this.bb, this.target(p));
  }

  tables(field: number): FlatTable[] {
    const v = this.vector(field, 4);
    return v ? Array.from({ length: v.length }, (_, i) => new FlatTable(this.bb, this.target(v.start + 4 * i))) : [];
  }

  int32s(field: number): number[] | undefined {
    const v = this.vector(field, 4);
    return v && Array.from({ length: v.length }, (_, i) => this.bb.readInt32(v.start + 4 * i));
  }

  float32s(field: number): number[] | undefined {
    const v = this.vector(field, 4);
    return v && Array.from({ length: v.length }, (_, i) => this.bb.readFloat32(v.start + 4 * i));
  }

  int64s(field: number): number[] | undefined {
    const v = this.vector(field, 8);
    return v && Array.from({ length: v.length }, (_, i) => Number(this.bb.readInt64(v.start + 8 * i)));
  }

  /** A [ubyte] vector, as a view into the file's bytes (not a copy). */
  bytes(field: number): Uint8Array | undefined {
    const v = this.vector(field, 1);
    return v && this.bb.bytes().subarray(v.start, v.start + v.length);
  }

  /** A scalar field of `size` bytes, or `fallback` (the schema's default) when the table leaves it out. */
  private number(field: number, size: number, fallback: number, read: (p: number) => number): number {
    const p = this.scalar(field, size);
    return p === 0 ? fallback : read(p);
  }

  /** Where field `field` (its number in the schema, from 0) is stored, or 0 when the table leaves it out. */
  private scalar(field: number, size: number): number {
    const slot = 4 + 2 * field;
    if (slot >= this.vtableSize) return 0;
    const offset = this.bb.__offset(this.pos, slot);
    if (offset === 0) return 0;
    if (offset + size > this.tableSize) throw new MalformedFlatbuffer(`field ${field} lies outside its table`);
    return this.pos + offset;
  }

  /** What the offset stored at `p` points to (offsets are relative to where they are stored). */
  private target(p: number): number {
    need(this.bb, p, 4, 'offset');
    return this.bb.__indirect(p);
  }

  private vector(field: number, elementSize: number): { start: number; length: number } | undefined {
    const p = this.scalar(field, 4);
    if (p === 0) return undefined;
    const at = this.target(p);
    need(this.bb, at, 4, 'vector');
    const length = this.bb.readUint32(at);
    need(this.bb, at + 4, length * elementSize, 'vector');
    return { start: at + 4, length };
  }
}

function need(bb: ByteBuffer, pos: number, size: number, what: string): void {
  if (!(pos >= 0 && pos + size <= bb.capacity())) {
    throw new MalformedFlatbuffer(`a ${what} at byte ${pos} runs past the end (${bb.capacity()} bytes)`);
  }
}
