// regex.globs_match: do two "simple regex" globs (characters, `.`, `[...]`
// sets with ranges, each optionally followed by `*` or `+`, `\` escapes)
// match at least one common string? OPA uses yashtewari/glob-intersection;
// this decides the same question exactly, by a search over pairs of
// positions in the two token lists, and reports syntax errors in its words.
import { builtinError } from "./errors.js";

interface Token {
  /** undefined = `.` (any character) */
  chars?: Set<number>;
  repeat: "" | "*" | "+";
}

function invalid(input: string, pos: number, msg: string) {
  return builtinError(`input:${input}, pos:${pos}, ${msg}: the input provided is invalid`);
}

function tokenize(input: string): Token[] {
  const runes = Array.from(input, (c) => c.codePointAt(0)!);
  const tokens: Token[] = [];
  let i = 0;
  const next = (): { r: number; escaped: boolean } => {
    if (runes[i] === 0x5c) {
      if (i === runes.length - 1) throw invalid(input, i, "input ends with a \\ (escape) character");
      i += 2;
      return { r: runes[i - 1]!, escaped: true };
    }
    return { r: runes[i++]!, escaped: false };
  };
  while (i < runes.length) {
    const { r, escaped } = next();
    let token: Token;
    if (!escaped && r === 0x2e) token = { repeat: "" };
    else if (!escaped && r === 0x5d) throw invalid(input, i, "set-close ']' with no preceding '['");
    else if (!escaped && (r === 0x2b || r === 0x2a)) throw invalid(input, i, `flag '${String.fromCodePoint(r)}' must be preceded by a non-flag`);
    else if (!escaped && r === 0x5b) {
      const chars = new Set<number>();
      let complete = false;
      let prev: number | undefined;
      while (i < runes.length && !complete) {
        const c = next();
        if (!c.escaped && c.r === 0x2d) {
          if (prev === undefined) throw invalid(input, i, "range character '-' must be preceded by a Unicode character");
          if (i >= runes.length) throw invalid(input, i, "range character '-' must be followed by a Unicode character");
          const hi = next();
          if (!hi.escaped && (hi.r === 0x5d || hi.r === 0x2d)) throw invalid(input, i, "range character '-' cannot be followed by a special symbol");
          if (hi.r < prev) throw invalid(input, i, `range is out of order: '${String.fromCodePoint(hi.r)}' comes before '${String.fromCodePoint(prev)}' in Unicode`);
          for (let x = prev; x <= hi.r; x++) chars.add(x);
          prev = undefined;
        } else if (!c.escaped && c.r === 0x5d) complete = true;
        else {
          chars.add(c.r);
          prev = c.r;
        }
      }
      if (!complete) throw invalid(input, i, "found [ without matching ]");
      token = { chars, repeat: "" };
    } else token = { chars: new Set([r]), repeat: "" };
    // a following unescaped + or * is this token's repetition flag
    if (i < runes.length && (runes[i] === 0x2a || runes[i] === 0x2b)) {
      token.repeat = runes[i] === 0x2a ? "*" : "+";
      i++;
    }
    tokens.push(token);
  }
  return tokens;
}

function overlap(a: Token, b: Token): boolean {
  if (!a.chars || !b.chars) return true;
  const [small, large] = a.chars.size <= b.chars.size ? [a.chars, b.chars] : [b.chars, a.chars];
  for (const c of small) if (large.has(c)) return true;
  return false;
}

/** X+ is X followed by X*: afterwards every token is single or starred. */
function normalize(tokens: Token[]): Token[] {
  const out: Token[] = [];
  for (const t of tokens) {
    if (t.repeat === "+") out.push({ chars: t.chars, repeat: "" }, { chars: t.chars, repeat: "*" });
    else out.push(t);
  }
  return out;
}

export function globsIntersect(lhs: string, rhs: string): boolean {
  const a = normalize(tokenize(lhs));
  const b = normalize(tokenize(rhs));
  const seen = new Set<number>();
  const stack: [number, number][] = [[0, 0]];
  const width = b.length + 1;
  while (stack.length) {
    const [i, j] = stack.pop()!;
    const key = i * width + j;
    if (seen.has(key)) continue;
    seen.add(key);
    if (i === a.length && j === b.length) return true;
    const x = a[i];
    const y = b[j];
    if (x?.repeat === "*") stack.push([i + 1, j]);
    if (y?.repeat === "*") stack.push([i, j + 1]);
    if (x && y && overlap(x, y)) {
      // consume one character from both; a starred token may stay
      const ni = x.repeat === "*" ? i : i + 1;
      const nj = y.repeat === "*" ? j : j + 1;
      if (ni !== i || nj !== j) stack.push([ni, nj]);
    }
  }
  return false;
}
