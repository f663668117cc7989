/**
 * A fast, synchronous, non-cryptographic 64-bit hash (FNV-1a) as 16 hex
 * digits. Used for idempotency keys, which must be stable and short, not
 * secret; being synchronous it fits inside a storage transaction.
 */
const FNV_OFFSET = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;
const MASK_64 = (1n << 64n) - 1n;

/** The FNV-1a hash of `text`'s UTF-8 bytes. */
export function stableHash(text: string): string {
  let hash = FNV_OFFSET;
  for (const byte of new TextEncoder().encode(text)) {
    hash = ((hash ^ BigInt(byte)) * FNV_PRIME) & MASK_64;
  }
  return hash.toString(16).padStart(16, "0");
}
