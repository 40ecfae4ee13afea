// A string as JSON text, exactly as JSON.stringify writes it, without the
// call for the common case: printable ASCII but `"` and `\` stands as itself
// in quotes. The hot path writes a dozen short strings a decision (keys of
// the canonical action, ids in the claims and the answer).
const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

export function jsonString(s: string): string {
  return s.length < 64 && PLAIN.test(s) ? '"' + s + '"' : JSON.stringify(s);
}
