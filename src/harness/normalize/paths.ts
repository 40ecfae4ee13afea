// File paths as the kernel will see them: against the working directory,
// with `~` expanded and symlinks followed — including dangling ones, since
// writing through a dangling link creates its target. Both the lexical form
// and the resolved form are kept when they differ, because a policy may name
// either (a secret reached through a link in the repo, or a repo folder that
// is itself a link), and a denial must hold for both.
import { lstatSync, readlinkSync } from "node:fs";
import { posix } from "node:path";

const MAX_LINKS = 40;

/** `~` and `~user` at the start of a path. */
export function expandHome(p: string, home: string | undefined): string {
  if (p === "~" || p.startsWith("~/")) return home ? home + p.slice(1) : p;
  const m = /^~([A-Za-z0-9._-]+)(\/.*)?$/.exec(p);
  if (m) return (m[1] === "root" ? "/root" : `/home/${m[1]}`) + (m[2] ?? "");
  return p;
}

/** The absolute path `p` names from `cwd`, `.` and `..` collapsed as text. */
export function lexicalPath(p: string, cwd: string, home?: string): string {
  return posix.resolve(cwd || "/", expandHome(p, home));
}

/** The path the kernel reaches: every symlink on the way followed (`..`
 *  after a link goes up from the link's target, as the kernel does); the
 *  part below the first missing component is kept as written. */
export function physicalPath(p: string, cwd: string, home?: string): string {
  const expanded = expandHome(p, home);
  const start = expanded.startsWith("/") ? expanded : `${cwd || "/"}/${expanded}`;
  const pending = start.split("/").filter((s) => s !== "" && s !== ".");
  let resolved = "/";
  let links = 0;
  while (pending.length > 0) {
    const part = pending.shift()!;
    if (part === "..") {
      resolved = posix.dirname(resolved);
      continue;
    }
    const next = resolved === "/" ? `/${part}` : `${resolved}/${part}`;
    let isLink: boolean;
    try {
      // no exception for a missing file: a hook process checks many paths
      // that do not exist, and building exceptions is most of the cost
      const st = lstatSync(next, { throwIfNoEntry: false });
      if (!st) return posix.resolve(next, ...pending);
      isLink = st.isSymbolicLink();
    } catch {
      return posix.resolve(next, ...pending);
    }
    if (!isLink) {
      resolved = next;
      continue;
    }
    if (++links > MAX_LINKS) return posix.resolve(next, ...pending);
    let target: string;
    try {
      target = readlinkSync(next);
    } catch {
      return posix.resolve(next, ...pending);
    }
    if (target.startsWith("/")) resolved = "/";
    pending.unshift(...target.split("/").filter((s) => s !== "" && s !== "."));
  }
  return resolved;
}

/** The lexical and physical forms of a path (one entry when they agree). */
export function resolvePath(p: string, cwd: string, home?: string): string[] {
  const lexical = lexicalPath(p, cwd, home);
  const physical = physicalPath(p, cwd, home);
  return lexical === physical ? [lexical] : [lexical, physical];
}

/** Whether something (a file, a directory, a link) is at `p`. */
export function exists(p: string): boolean {
  try {
    return lstatSync(p, { throwIfNoEntry: false }) !== undefined;
  } catch {
    return false;
  }
}
