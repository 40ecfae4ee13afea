// Compiled patterns kept across evaluations. The host drops every
// evaluation's heap, so the cache lives in an arena allocated when the
// module starts (below the heap the SDK resets to): a hash table of
// entries and a bump area for their keys and programs. When either fills
// up, everything is dropped at once and compiled again on demand.
import { malloc } from "../alloc";
import { bytesEqual, bytesHash } from "../str";
import { progSize } from "./prog";

const SLOTS: u32 = 512; // power of two; at most half used
const AREA_SIZE: usize = 512 << 10;

let table: usize = 0;
let area: usize = 0;
let areaUsed: usize = 0;
let used: u32 = 0;

/** Called once from writ_init, before the SDK records its base heap. */
export function initPatternCache(): void {
  table = malloc(<usize>SLOTS << 2);
  area = malloc(AREA_SIZE);
  clearCache();
}

function clearCache(): void {
  memory.fill(table, 0, <usize>SLOTS << 2);
  areaUsed = 0;
  used = 0;
}

// entry: [u32 hash][u32 kind][u32 keyLen][u32 progOffset][u32 regionOffset]
// [u32 pad] key bytes … program … region (zero-filled, for the program's
// DFA; regionOffset 0: none)
const ENTRY_HEADER: usize = 24;

/** The region kept with the program cacheGet or cachePut returned last
 *  (0: none). */
export let cachedRegion: usize = 0;

let lookupHash: u32 = 0;

/** The cached program for (kind, key bytes), or 0. */
export function cacheGet(kind: u32, key: usize, keyLen: usize): usize {
  if (table == 0) return 0;
  cachedRegion = 0;
  const h = (bytesHash(key, keyLen) ^ (kind * 0x9e3779b1)) | 1;
  lookupHash = h;
  let i = h & (SLOTS - 1);
  while (true) {
    const e = <usize>load<u32>(table + (<usize>i << 2));
    if (e == 0) return 0;
    if (load<u32>(e) == h && load<u32>(e, 4) == kind && <usize>load<u32>(e, 8) == keyLen && bytesEqual(e + ENTRY_HEADER, key, keyLen)) {
      const region = load<u32>(e, 16);
      cachedRegion = region != 0 ? e + <usize>region : 0;
      return e + <usize>load<u32>(e, 12);
    }
    i = (i + 1) & (SLOTS - 1);
  }
}

/** Keeps a copy of `program` under (kind, key) — right after a cacheGet
 *  miss of the same key — with a zero-filled region of regionSize bytes,
 *  and returns the copy (or the program itself, without a region, when it
 *  does not fit). */
export function cachePut(kind: u32, key: usize, keyLen: usize, program: usize, regionSize: usize): usize {
  cachedRegion = 0;
  if (table == 0) return program;
  const size = progSize(program);
  const progOffset = (ENTRY_HEADER + keyLen + 7) & ~(<usize>7);
  const regionOffset = (progOffset + size + 7) & ~(<usize>7);
  const need = regionOffset + regionSize;
  if (need > AREA_SIZE) return program;
  if (areaUsed + need > AREA_SIZE || used >= SLOTS >> 1) clearCache();
  const e = area + areaUsed;
  areaUsed = (areaUsed + need + 7) & ~(<usize>7);
  used++;
  store<u32>(e, lookupHash);
  store<u32>(e, kind, 4);
  store<u32>(e, <u32>keyLen, 8);
  store<u32>(e, <u32>progOffset, 12);
  store<u32>(e, regionSize != 0 ? <u32>regionOffset : 0, 16);
  memory.copy(e + ENTRY_HEADER, key, keyLen);
  memory.copy(e + progOffset, program, size);
  if (regionSize != 0) {
    memory.fill(e + regionOffset, 0, regionSize);
    cachedRegion = e + regionOffset;
  }
  let i = lookupHash & (SLOTS - 1);
  while (load<u32>(table + (<usize>i << 2)) != 0) i = (i + 1) & (SLOTS - 1);
  store<u32>(table + (<usize>i << 2), <u32>e);
  return e + progOffset;
}
