// Writing a harness's configuration file without disturbing it: read the
// JSON, change only writ's own entries, write it back only if something
// changed — so running `writ init` twice changes nothing, and settings
// that are not writ's are kept as they were.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

export interface FileChange {
  path: string;
  status: "created" | "updated" | "unchanged";
}

export type Json = Record<string, unknown>;

export function readJson(path: string): Json {
  if (!existsSync(path)) return {};
  const text = readFileSync(path, "utf8");
  if (text.trim() === "") return {};
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new Error(`${path} is not valid JSON (${(e as Error).message}); fix or move it, then run writ init again`);
  }
  if (!v || typeof v !== "object" || Array.isArray(v)) throw new Error(`${path} does not hold a JSON object`);
  return v as Json;
}

export function writeText(path: string, text: string): FileChange {
  const existed = existsSync(path);
  if (existed && readFileSync(path, "utf8") === text) return { path, status: "unchanged" };
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  return { path, status: existed ? "updated" : "created" };
}

export function writeJson(path: string, value: Json): FileChange {
  return writeText(path, JSON.stringify(value, null, 2) + "\n");
}

/** `o[key]` as an object, created if missing. */
export function objectAt(o: Json, key: string): Json {
  const v = o[key];
  if (v && typeof v === "object" && !Array.isArray(v)) return v as Json;
  const fresh: Json = {};
  o[key] = fresh;
  return fresh;
}

/** `o[key]` as an array, created if missing. */
export function arrayAt(o: Json, key: string): unknown[] {
  const v = o[key];
  if (Array.isArray(v)) return v;
  const fresh: unknown[] = [];
  o[key] = fresh;
  return fresh;
}

/** Replaces the entries `isOurs` recognises with `entry` (keeping the
 *  first one's position), or appends it. */
export function upsert(list: unknown[], isOurs: (e: unknown) => boolean, entry: unknown): void {
  const i = list.findIndex(isOurs);
  if (i < 0) {
    list.push(entry);
    return;
  }
  list[i] = entry;
  for (let j = list.length - 1; j > i; j--) if (isOurs(list[j])) list.splice(j, 1);
}

/** A command string safe to hand to a shell. */
export function shellWords(words: string[]): string {
  return words.map((w) => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`)).join(" ");
}
