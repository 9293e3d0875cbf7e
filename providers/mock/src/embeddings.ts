// Deterministic unit vectors: the same text always maps to the same vector.
import { createHash } from 'node:crypto';

export function embed(text: string, dimensions: number): number[] {
  const out = new Array<number>(dimensions);
  let block = Buffer.alloc(0);
  for (let i = 0; i < dimensions; i++) {
    const offset = (i * 2) % 32;
    if (offset === 0) block = createHash('sha256').update(`${i}:${text}`).digest();
    out[i] = block.readUInt16BE(offset) / 32767.5 - 1;
  }
  const norm = Math.sqrt(out.reduce((s, v) => s + v * v, 0)) || 1;
  return out.map((v) => v / norm);
}
