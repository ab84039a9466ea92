const SAMPLE_BYTES = 8192;
const MAX_CONTROL_RATIO = 0.1;

/** A NUL byte, or more than 10% control bytes (other than tab, line breaks, form feed, escape), in the first 8 KB. */
export function isProbablyBinary(bytes: Uint8Array): boolean {
  const length = Math.min(bytes.length, SAMPLE_BYTES);
  let control = 0;
  for (let i = 0; i < length; i++) {
    const b = bytes[i];
    if (b === 0) return true;
    if ((b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0c && b !== 0x0d && b !== 0x1b) || b === 0x7f) control++;
  }
  return length > 0 && control / length > MAX_CONTROL_RATIO;
}
