// git invocations in a shell line → `action.git`: the subcommand, and for a
// push the remote, the branch it updates and whether it rewrites history.
// A push without a refspec updates the current branch, read from the
// repository's HEAD, so "no pushes to main" holds for a bare `git push` too.
import { readFileSync, statSync } from "node:fs";
import { posix } from "node:path";
import type { ActionArgs, ShellCommand } from "../../decide/types.js";

export type GitAction = NonNullable<ActionArgs["git"]>;

const GLOBAL_WITH_VALUE = new Set(["-C", "-c", "--git-dir", "--work-tree", "--namespace", "--exec-path", "--super-prefix", "--config-env", "--list-cmds"]);
const PUSH_WITH_VALUE = new Set(["--repo", "--receive-pack", "--exec", "-o", "--push-option"]);
const READ_ONLY = new Set(["status", "log", "diff", "show", "blame", "rev-parse", "ls-files", "ls-tree", "grep", "describe", "shortlog", "cat-file", "reflog", "help", "version"]);

/** The git invocation of a command named git, or undefined. */
export function gitInvocation(cmd: ShellCommand, cwd: string | undefined): GitAction | undefined {
  if (cmd.name !== "git") return undefined;
  const a = cmd.args;
  let i = 0;
  let dir = cwd;
  while (i < a.length && a[i].startsWith("-")) {
    const opt = a[i].split("=")[0];
    const attached = a[i].includes("=");
    if (GLOBAL_WITH_VALUE.has(opt) && !attached) {
      if (opt === "-C" && a[i + 1] !== undefined) dir = posix.resolve(dir ?? "/", a[i + 1]);
      i += 2;
    } else i++;
  }
  if (i >= a.length) return undefined;
  const subcommand = a[i];
  const args = a.slice(i + 1);
  const git: GitAction = { subcommand, args };
  if (subcommand === "push") describePush(git, args, dir);
  return git;
}

function describePush(git: GitAction, args: string[], dir: string | undefined): void {
  const positional: string[] = [];
  let force = false;
  let all = false;
  let repo: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "--") {
      positional.push(...args.slice(i + 1));
      break;
    }
    if (a.startsWith("--")) {
      const [opt, value] = a.split("=", 2);
      if (opt === "--force" || opt === "--force-with-lease" || opt === "--force-if-includes" || opt === "--mirror") force = true;
      if (opt === "--all" || opt === "--branches" || opt === "--mirror" || opt === "--tags") all = true;
      if (PUSH_WITH_VALUE.has(opt) && value === undefined) {
        if (opt === "--repo") repo = args[i + 1];
        i++;
      } else if (opt === "--repo") repo = value;
      continue;
    }
    if (a.startsWith("-") && a.length > 1) {
      if (/^-[a-zA-Z]*f/.test(a)) force = true;
      if (PUSH_WITH_VALUE.has(a)) i++;
      continue;
    }
    positional.push(a);
  }
  const remote = positional[0] ?? repo;
  if (remote !== undefined) git.remote = remote;
  const refspecs = positional.slice(1);
  if (refspecs.some((r) => r.startsWith("+"))) force = true;
  git.force = force;
  const branch = refspecs.length ? refspecBranch(refspecs[0], dir) : all ? undefined : currentBranch(dir);
  if (branch !== undefined) git.branch = branch;
}

/** The branch a refspec updates on the remote (`+a:refs/heads/b` → b). */
function refspecBranch(spec: string, dir: string | undefined): string | undefined {
  const s = spec.replace(/^\+/, "");
  const colon = s.lastIndexOf(":");
  let dst = colon >= 0 ? s.slice(colon + 1) : s;
  if (dst === "") return undefined;
  if (dst === "HEAD" || dst === "@") dst = currentBranch(dir) ?? dst;
  return dst.replace(/^refs\/heads\//, "");
}

/** The checked-out branch of the repository around `dir`, if any. */
export function currentBranch(dir: string | undefined): string | undefined {
  if (!dir) return undefined;
  for (let d = dir, depth = 0; depth < 64; depth++) {
    const head = headFile(posix.join(d, ".git"));
    if (head) {
      try {
        const m = /^ref: refs\/heads\/(.+)$/m.exec(readFileSync(head, "utf8"));
        return m ? m[1].trim() : undefined;
      } catch {
        return undefined;
      }
    }
    const up = posix.dirname(d);
    if (up === d) return undefined;
    d = up;
  }
  return undefined;
}

function headFile(dotGit: string): string | undefined {
  try {
    const st = statSync(dotGit, { throwIfNoEntry: false });
    if (!st) return undefined;
    if (st.isDirectory()) return posix.join(dotGit, "HEAD");
    const m = /^gitdir:\s*(.+)$/m.exec(readFileSync(dotGit, "utf8"));
    return m ? posix.join(posix.resolve(posix.dirname(dotGit), m[1].trim()), "HEAD") : undefined;
  } catch {
    return undefined;
  }
}

/** The invocation a policy should see first: a push, else one that changes
 *  something, else the first. */
export function primaryGit(invocations: GitAction[]): GitAction | undefined {
  return invocations.find((g) => g.subcommand === "push") ?? invocations.find((g) => !READ_ONLY.has(g.subcommand)) ?? invocations[0];
}
