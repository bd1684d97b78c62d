import { ValidationError } from '../errors';

/**
 * Little binary writer/reader for the sketch format: LEB128 varints for non-negative safe integers (arithmetic, not
 * bitwise, so values up to 2^53 survive), zigzag for signed integers, and little-endian float64.
 */
export class ByteWriter {
  private buffer = new Uint8Array(256);
  private view = new DataView(this.buffer.buffer);
  length = 0;

  private reserve(extra: number): void {
    if (this.length + extra <= this.buffer.length) return;
    let capacity = this.buffer.length * 2;
    while (capacity < this.length + extra) capacity *= 2;
    const next = new Uint8Array(capacity);
    next.set(this.buffer.subarray(0, this.length));
    this.buffer = next;
    this.view = new DataView(next.buffer);
  }

  byte(value: number): void {
    this.reserve(1);
    this.buffer[this.length++] = value;
  }

  /** Unsigned LEB128 of a non-negative safe integer. */
  varint(value: number): void {
    this.reserve(8);
    let rest = value;
    while (rest >= 0x80) {
      this.buffer[this.length++] = (rest % 0x80) | 0x80;
      rest = Math.floor(rest / 0x80);
    }
    this.buffer[this.length++] = rest;
  }

  /** Zigzag-encoded signed integer: 0, -1, 1, -2, … map to 0, 1, 2, 3, … */
  signedVarint(value: number): void {
    this.varint(value >= 0 ? value * 2 : -value * 2 - 1);
  }

  float64(value: number): void {
    this.reserve(8);
    this.view.setFloat64(this.length, value, true);
    this.length += 8;
  }

  bytes(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }
}

function invalid(offset: number, expected: string, received: unknown): ValidationError {
  return new ValidationError(`bytes[${offset}]`, expected, received, 'INVALID_DATA');
}

export class ByteReader {
  offset = 0;
  private readonly view: DataView;

  constructor(private readonly source: Uint8Array) {
    this.view = new DataView(source.buffer, source.byteOffset, source.byteLength);
  }

  get remaining(): number {
    return this.source.length - this.offset;
  }

  byte(): number {
    if (this.offset >= this.source.length) throw invalid(this.offset, 'one more byte (the data is truncated)', 'the end of the data');
    return this.source[this.offset++]!;
  }

  varint(): number {
    const start = this.offset;
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 8; i++) {
      const b = this.byte();
      value += (b & 0x7f) * scale;
      if ((b & 0x80) === 0) {
        if (!Number.isSafeInteger(value)) throw invalid(start, 'a varint below 2^53', value);
        return value;
      }
      scale *= 0x80;
    }
    throw invalid(start, 'a varint of at most 8 bytes', 'a longer varint');
  }

  signedVarint(): number {
    const zigzag = this.varint();
    return zigzag % 2 === 0 ? zigzag / 2 : -(zigzag + 1) / 2;
  }

  float64(): number {
    if (this.remaining < 8) throw invalid(this.offset, '8 bytes of float64 (the data is truncated)', `${this.remaining} bytes`);
    const value = this.view.getFloat64(this.offset, true);
    this.offset += 8;
    return value;
  }
}
