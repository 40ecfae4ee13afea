// The `format` checks of OPA's gojsonschema (format_checkers.go): a format it
// does not know, or a value that is not a string, always passes.
import { RE2JS } from "re2js";
import { parseTime } from "./gotime.js";
import { parseIP } from "./net.js";

const HOSTNAME = /^([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]{0,61}[a-zA-Z0-9])(\.([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]{0,61}[a-zA-Z0-9]))*$/;
const UUID = /^[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}$/i;
const URI_TEMPLATE = /^([^{]*({[^}]*})?)*$/;
const JSON_POINTER = /^(?:\/(?:[^~/]|~0|~1)*)*$/;
const REL_JSON_POINTER = /^(?:0|[1-9][0-9]*)(?:#|(?:\/(?:[^~/]|~0|~1)*)*)$/;

/** Go's time.Parse with any of the layouts. */
function parsesAs(s: string, layouts: string[]): boolean {
  return layouts.some((l) => {
    try {
      parseTime(l, s);
      return true;
    } catch {
      return false;
    }
  });
}

/** Go's url.Parse, roughly: a scheme, when there is one, is a letter then
 *  letters, digits, +, - or .; no control characters or spaces in a host. */
function parseURL(s: string): { scheme: string; path: string } | undefined {
  if (/[\x00-\x1f\x7f]/.test(s)) return undefined;
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(s);
  if (!m && /^[^/?#]*:/.test(s) && !s.startsWith("/")) return undefined; // "first path segment in URL cannot contain colon"
  const rest = m ? s.slice(m[0].length) : s;
  return { scheme: m ? m[1]! : "", path: rest.replace(/^\/\/[^/?#]*/, "").replace(/[?#].*$/, "") };
}

function email(s: string): boolean {
  // net/mail.ParseAddress: an addr-spec, optionally with a display name in front
  const addr = /<([^<>]*)>\s*$/.exec(s)?.[1] ?? s;
  return /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+$/.test(addr.trim());
}

const checkers: Record<string, (s: string) => boolean> = {
  date: (s) => parsesAs(s, ["2006-01-02"]),
  time: (s) => parsesAs(s, ["15:04:05Z07:00", "15:04:05"]),
  "date-time": (s) => parsesAs(s, ["15:04:05", "15:04:05Z07:00", "2006-01-02", "2006-01-02T15:04:05Z07:00", "2006-01-02T15:04:05.999999999Z07:00"]),
  hostname: (s) => HOSTNAME.test(s) && s.length < 256,
  email,
  "idn-email": email,
  ipv4: (s) => parseIP(s) !== undefined && s.includes("."),
  ipv6: (s) => parseIP(s) !== undefined && s.includes(":"),
  uri: (s) => (parseURL(s)?.scheme ?? "") !== "" && !s.includes("\\"),
  iri: (s) => (parseURL(s)?.scheme ?? "") !== "" && !s.includes("\\"),
  "uri-reference": (s) => parseURL(s) !== undefined && !s.includes("\\"),
  "iri-reference": (s) => parseURL(s) !== undefined && !s.includes("\\"),
  "uri-template": (s) => {
    const u = parseURL(s);
    return u !== undefined && !s.includes("\\") && URI_TEMPLATE.test(u.path);
  },
  uuid: (s) => UUID.test(s),
  regex: (s) => {
    if (s === "") return true;
    try {
      RE2JS.compile(s);
      return true;
    } catch {
      return false;
    }
  },
  "json-pointer": (s) => JSON_POINTER.test(s),
  "relative-json-pointer": (s) => REL_JSON_POINTER.test(s),
};

export function isFormat(format: string, value: unknown): boolean {
  const check = checkers[format];
  return check === undefined || typeof value !== "string" || check(value);
}
