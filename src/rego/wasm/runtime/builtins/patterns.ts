// glob.match, regex.match (re_match) and regex.is_valid natively: patterns
// compile to pattern programs (../pattern), kept in the pattern cache
// across evaluations. A pattern the native compilers do not handle goes to
// the host builtin under `hostId`, which the module lists in its builtins()
// map for this; so does an invalid pattern when builtin errors are strict
// (HOST_FALLBACK_STRICT in hostId), since the host knows RE2's and gobwas's
// error texts. Without strict errors an invalid pattern is just undefined.
import { malloc } from "../alloc";
import { writ_call_builtin1, writ_call_builtin2, writ_call_builtin3 } from "../host";
import { decodeRune, runeSize } from "../utf8";
import { Arr, FALSE_VALUE, Str, T_ARRAY, T_NULL, T_STRING, TRUE_VALUE, boolValue } from "../value";
import { cacheGet, cachePut, cachedRegion } from "../pattern/cache";
import { dfaMatches, dfaRegionSize } from "../pattern/dfa";
import { compileGlob, compiledGlob } from "../pattern/glob_compile";
import { RE_INVALID, RE_OK, compileRegex, compiledProgram } from "../pattern/regex_compile";
import { progMatches } from "../pattern/vm";
import { isType, stringOperand } from "./operands";

/** natives.ts HOST_FALLBACK_STRICT */
const STRICT: i32 = 0x40000000;

/** Whether an invalid pattern must go to the host (for its error text). */
@inline
function strict(hostId: i32): bool {
  return (hostId & STRICT) != 0;
}

@inline
function idOf(hostId: i32): i32 {
  return hostId & ~STRICT;
}

const KIND_REGEX: u32 = 1;
const KIND_GLOB: u32 = 2;

/** -1: not compilable natively; 0: RE2 rejects it; else the program. */
let regexStatus: i32 = RE_OK;

function regexProgram(pattern: usize): usize {
  const s = changetype<Str>(pattern);
  regexStatus = RE_OK;
  const cached = cacheGet(KIND_REGEX, s.ptr, s.len);
  if (cached != 0) return cached;
  regexStatus = compileRegex(s.ptr, s.len);
  if (regexStatus != RE_OK) return 0;
  return cachePut(KIND_REGEX, s.ptr, s.len, compiledProgram, dfaRegionSize(compiledProgram));
}

/** Runs a program (cachedRegion: its DFA region, if any) over the text. */
function matches(prog: usize, region: usize, value: usize): usize {
  const v = changetype<Str>(value);
  if (region != 0) {
    const r = dfaMatches(prog, region, v.ptr, v.len);
    if (r >= 0) return boolValue(r == 1);
  }
  return boolValue(progMatches(prog, v.ptr, v.len));
}

function regexMatch(name: string, pattern: usize, value: usize, hostId: i32): usize {
  if (!stringOperand(name, pattern, 1) || !stringOperand(name, value, 2)) return 0;
  const prog = regexProgram(pattern);
  if (prog == 0) {
    if (regexStatus == RE_INVALID && !strict(hostId)) return 0;
    return writ_call_builtin2(idOf(hostId), pattern, value);
  }
  return matches(prog, cachedRegion, value);
}

export function writ_bi_regex_match(pattern: usize, value: usize, hostId: i32): usize {
  return regexMatch("regex.match", pattern, value, hostId);
}

export function writ_bi_re_match(pattern: usize, value: usize, hostId: i32): usize {
  return regexMatch("re_match", pattern, value, hostId);
}

export function writ_bi_regex_is_valid(pattern: usize, hostId: i32): usize {
  if (!isType(pattern, T_STRING)) return FALSE_VALUE;
  if (regexProgram(pattern) != 0) return TRUE_VALUE;
  if (regexStatus == RE_INVALID) return FALSE_VALUE;
  return writ_call_builtin1(idOf(hostId), pattern);
}

/** The glob's cache key: [u32 count][u32 runes…][pattern bytes], or 0 when
 *  the delimiters are not null or an array of one-rune strings. */
function globKey(pattern: usize, delimiters: usize): usize {
  const s = changetype<Str>(pattern);
  let count: u32 = 0;
  let elems: usize = 0;
  if (load<u32>(delimiters) == T_ARRAY) {
    count = changetype<Arr>(delimiters).count;
    elems = changetype<Arr>(delimiters).elems;
  } else if (load<u32>(delimiters) != T_NULL) return 0;
  const runes = count == 0 && load<u32>(delimiters) == T_ARRAY ? 1 : count;
  const key = malloc(4 + (<usize>runes << 2) + <usize>s.len);
  store<u32>(key, runes);
  if (count == 0 && runes == 1) store<u32>(key + 4, 46); // [] means ["."]
  for (let i: u32 = 0; i < count; i++) {
    const d = load<usize>(elems + (<usize>i << 2));
    if (load<u32>(d) != T_STRING) return 0;
    const ds = changetype<Str>(d);
    if (ds.len == 0) return 0;
    const r = decodeRune(ds.ptr, ds.ptr + ds.len);
    if (<usize>runeSize != <usize>ds.len) return 0;
    store<u32>(key + 4 + (<usize>i << 2), r);
  }
  memory.copy(key + 4 + (<usize>runes << 2), s.ptr, s.len);
  return key;
}

export function writ_bi_glob_match(pattern: usize, delimiters: usize, value: usize, hostId: i32): usize {
  if (!stringOperand("glob.match", pattern, 1) || !stringOperand("glob.match", value, 3)) return 0;
  const key = delimiters != 0 ? globKey(pattern, delimiters) : 0;
  // delimiters other than null or one-rune strings are operand errors
  if (key == 0) return strict(hostId) ? writ_call_builtin3(idOf(hostId), pattern, delimiters, value) : 0;
  const runes = load<u32>(key);
  const keyLen: usize = 4 + (<usize>runes << 2) + <usize>changetype<Str>(pattern).len;
  let prog = cacheGet(KIND_GLOB, key, keyLen);
  if (prog == 0) {
    // gobwas rejects the pattern
    if (!compileGlob(key + 4 + (<usize>runes << 2), changetype<Str>(pattern).len, key + 4, runes)) {
      return strict(hostId) ? writ_call_builtin3(idOf(hostId), pattern, delimiters, value) : 0;
    }
    prog = cachePut(KIND_GLOB, key, keyLen, compiledGlob, dfaRegionSize(compiledGlob));
  }
  return matches(prog, cachedRegion, value);
}

