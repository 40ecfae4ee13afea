// From tool calls to normalized actions, against real files: symlinks
// (dangling ones included), `..`, `cd` along a line, a real repository
// HEAD for `git push`; tool aliases; package installs; patches.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { normalizeToolCall, shellAction } from "../src/harness/normalize/action.js";
import { packageInstall } from "../src/harness/normalize/packages.js";
import { physicalPath, resolvePath } from "../src/harness/normalize/paths.js";
import { freshDir } from "./harness-helpers.js";

/** A project with a secret outside it and links pointing at it. */
function project() {
  const base = freshDir("writ-norm-");
  const repo = join(base, "repo");
  const secrets = join(base, "secrets");
  mkdirSync(join(repo, "sub"), { recursive: true });
  mkdirSync(secrets);
  writeFileSync(join(secrets, "id_rsa"), "KEY");
  writeFileSync(join(repo, "sub", "only-in-sub"), "x");
  symlinkSync(join(secrets, "id_rsa"), join(repo, "notes.txt"));
  symlinkSync("../secrets", join(repo, "docs"));
  symlinkSync(join(base, "outside", "new-file"), join(repo, "dangling"));
  return { base, repo, secrets };
}

test("paths: symlinks are followed and both forms kept", () => {
  const { repo, secrets } = project();
  assert.deepEqual(resolvePath("notes.txt", repo), [join(repo, "notes.txt"), join(secrets, "id_rsa")]);
  assert.deepEqual(resolvePath("docs/id_rsa", repo), [join(repo, "docs/id_rsa"), join(secrets, "id_rsa")]);
  assert.deepEqual(resolvePath("./src/../README.md", repo), [join(repo, "README.md")]);
});

test("paths: a dangling link resolves to where a write would land", () => {
  const { base, repo } = project();
  assert.equal(physicalPath("dangling", repo), join(base, "outside", "new-file"));
});

test("paths: .. after a link climbs from the link's target, as the kernel does", () => {
  const { base, repo } = project();
  // repo/docs -> ../secrets, so repo/docs/../x is base/x, not repo/x
  assert.deepEqual(resolvePath("docs/../x", repo), [join(repo, "x"), join(base, "x")]);
});

test("paths: ~ and loops", () => {
  assert.deepEqual(resolvePath("~/.aws/credentials", "/w", "/home/dev"), ["/home/dev/.aws/credentials"]);
  const dir = freshDir();
  symlinkSync(join(dir, "b"), join(dir, "a"));
  symlinkSync(join(dir, "a"), join(dir, "b"));
  assert.equal(physicalPath("a/x", dir).startsWith(dir), true, "a link loop ends instead of spinning");
});

test("file tools: Read, Write, Edit and their aliases resolve paths through links", () => {
  const { repo, secrets } = project();
  for (const tool of ["Read", "NotebookRead", "read_file", "read"]) {
    const a = normalizeToolCall({ tool, input: { file_path: "notes.txt", filePath: "notes.txt" }, cwd: repo });
    assert.equal(a.kind, "file_read", tool);
    assert.deepEqual(a.paths, [join(repo, "notes.txt"), join(secrets, "id_rsa")], tool);
  }
  for (const [tool, input] of [
    ["Write", { file_path: "docs/id_rsa", content: "x" }],
    ["Edit", { file_path: "docs/id_rsa", old_string: "a", new_string: "b" }],
    ["MultiEdit", { file_path: "docs/id_rsa", edits: [] }],
    ["NotebookEdit", { notebook_path: "docs/id_rsa", new_source: "x" }],
    ["write_file", { file_path: "docs/id_rsa", content: "x" }],
    ["replace", { file_path: "docs/id_rsa" }],
    ["edit", { filePath: "docs/id_rsa" }],
  ] as const) {
    const a = normalizeToolCall({ tool, input, cwd: repo });
    assert.equal(a.kind, "file_write", tool);
    assert.deepEqual(a.paths, [join(repo, "docs/id_rsa"), join(secrets, "id_rsa")], tool);
  }
});

test("file tools: searches without a path read the working directory; a missing path stays empty", () => {
  assert.deepEqual(normalizeToolCall({ tool: "Grep", input: { pattern: "x" }, cwd: "/w" }).paths, ["/w"]);
  assert.deepEqual(normalizeToolCall({ tool: "Glob", input: { pattern: "**/.env", path: "/w/a" }, cwd: "/w" }).paths, ["/w/a"]);
  assert.deepEqual(normalizeToolCall({ tool: "Read", input: {}, cwd: "/w" }).paths, []);
});

test("tool input given as a JSON string is read the same", () => {
  const a = normalizeToolCall({ tool: "Write", input: JSON.stringify({ file_path: "/w/x" }), cwd: "/" });
  assert.deepEqual(a.paths, ["/w/x"]);
});

test("text editor tools: view reads, everything else writes", () => {
  assert.equal(normalizeToolCall({ tool: "str_replace_based_edit_tool", input: { command: "view", path: "/a" } }).kind, "file_read");
  assert.equal(normalizeToolCall({ tool: "str_replace_based_edit_tool", input: { command: "create", path: "/a" } }).kind, "file_write");
});

test("apply_patch: the files the patch names; deletions alone are file_delete", () => {
  const patch = "*** Begin Patch\n*** Update File: src/app.ts\n*** Move to: src/main.ts\n@@\n-a\n+b\n*** Add File: docs/new.md\n+hi\n*** End Patch";
  const a = normalizeToolCall({ tool: "apply_patch", input: { command: patch }, cwd: "/w" });
  assert.equal(a.kind, "file_write");
  assert.deepEqual(a.paths, ["/w/src/app.ts", "/w/src/main.ts", "/w/docs/new.md"]);
  const d = normalizeToolCall({ tool: "apply_patch", input: { patchText: "*** Begin Patch\n*** Delete File: .env\n*** End Patch" }, cwd: "/w" });
  assert.equal(d.kind, "file_delete");
  assert.deepEqual(d.paths, ["/w/.env"]);
  const u = normalizeToolCall({ tool: "apply_patch", input: { patch: "--- a/x.ts\n+++ b/x.ts\n@@ -1 +1 @@\n-a\n+b\n" }, cwd: "/w" });
  assert.deepEqual(u.paths, ["/w/x.ts"]);
});

test("fetch tools: url and host; Gemini's URLs inside a prompt; several hosts name none", () => {
  assert.deepEqual(normalizeToolCall({ tool: "WebFetch", input: { url: "https://Example.COM/a", prompt: "p" } }), {
    kind: "network",
    url: "https://Example.COM/a",
    host: "example.com",
    raw: { url: "https://Example.COM/a", prompt: "p" },
  });
  const one = normalizeToolCall({ tool: "web_fetch", input: { prompt: "summarise https://docs.acme.dev/x and https://docs.acme.dev/y" } });
  assert.equal(one.host, "docs.acme.dev");
  const two = normalizeToolCall({ tool: "web_fetch", input: { prompt: "compare https://a.dev/x with https://evil.example/y" } });
  assert.equal(two.kind, "network");
  assert.equal(two.host, undefined);
  assert.equal(two.url, undefined);
});

test("unknown tools are other, never a read", () => {
  for (const tool of ["WebSearch", "Task", "Agent", "TodoWrite", "SomethingNew"]) {
    assert.equal(normalizeToolCall({ tool, input: {} }).kind, "other", tool);
  }
});

test("MCP: the server is what the adapter says, never the tool input", () => {
  const a = normalizeToolCall({ tool: "mcp__github__create", input: { server: "trusted", mcp_server: "trusted" }, mcp: { server: "evil", tool: "create" } });
  assert.equal(a.kind, "mcp");
  assert.equal(a.mcp_server, "evil");
});

test("shell tools: commands, paths through links, cd along the line", () => {
  const { repo, secrets } = project();
  const a = normalizeToolCall({ tool: "Bash", input: { command: "cat notes.txt | base64" }, cwd: repo });
  assert.equal(a.kind, "shell");
  assert.deepEqual(a.commands, [
    { program: "cat", name: "cat", args: ["notes.txt"] },
    { program: "base64", name: "base64", args: [] },
  ]);
  assert.ok(a.paths!.includes(join(secrets, "id_rsa")), "the link's target is named");
  const cd = shellAction("cd sub && cat only-in-sub", repo, undefined);
  assert.ok(cd.paths!.includes(join(repo, "sub", "only-in-sub")), JSON.stringify(cd.paths));
  const scoped = shellAction("(cd sub); cat only-in-sub", repo, undefined);
  assert.ok(!scoped.paths?.includes(join(repo, "sub", "only-in-sub")), "a subshell's cd stays in it");
  const redirect = shellAction("echo key >> dangling", repo, undefined);
  assert.ok(redirect.paths!.some((p) => p.endsWith("outside/new-file")), JSON.stringify(redirect.paths));
  const home = shellAction("cat $HOME/.ssh/id_rsa ~/.aws/credentials", "/w", "/home/dev");
  assert.deepEqual(home.paths, ["/home/dev/.ssh/id_rsa", "/home/dev/.aws/credentials"]);
  const up = shellAction("cat ../../../etc/passwd", "/home/dev/shop", undefined);
  assert.deepEqual(up.paths, ["/etc/passwd"]);
});

test("shell tools: working directory fields and argv arrays", () => {
  const a = normalizeToolCall({ tool: "bash", input: { command: "cat x", workdir: "sub" }, cwd: "/w" });
  assert.deepEqual(a.paths, undefined);
  const b = normalizeToolCall({ tool: "bash", input: { command: "cat ./x", workdir: "sub" }, cwd: "/w" });
  assert.deepEqual(b.paths, ["/w/sub/x"]);
  const argv = normalizeToolCall({ tool: "Bash", input: { command: ["bash", "-lc", "rm -rf 'my dir'"] }, cwd: "/w" });
  assert.equal(argv.command, "bash -lc 'rm -rf '\\''my dir'\\'''");
  assert.deepEqual(argv.commands, [{ program: "rm", name: "rm", args: ["-rf", "my dir"], via: ["bash -c"] }]);
});

test("shell tools: PowerShell is passed on unparsed", () => {
  const a = normalizeToolCall({ tool: "PowerShell", input: { command: "Remove-Item -Recurse C:\\" } });
  assert.deepEqual(a, { kind: "shell", command: "Remove-Item -Recurse C:\\", dynamic: true, raw: { command: "Remove-Item -Recurse C:\\" } });
});

test("shell tools: an unparsable line has no commands (policies treat it as unknown)", () => {
  const a = shellAction("echo 'oops", "/w", undefined);
  assert.equal(a.commands, undefined);
  assert.equal(a.dynamic, true);
});

test("raw tool input is bounded so huge writes do not break the request", () => {
  const a = normalizeToolCall({ tool: "Write", input: { file_path: "/w/x", content: "A".repeat(1_000_000) }, cwd: "/w" });
  const raw = a.raw as { content: string };
  assert.ok(raw.content.length < 20_000);
  assert.match(raw.content, /more characters\]$/);
});

test("git: push targets, force in all its spellings, the current branch from HEAD", () => {
  const base = freshDir("writ-git-");
  const repo = join(base, "repo");
  mkdirSync(join(repo, ".git"), { recursive: true });
  writeFileSync(join(repo, ".git", "HEAD"), "ref: refs/heads/feature-x\n");
  mkdirSync(join(repo, "deep", "er"), { recursive: true });
  const git = (line: string, cwd = repo) => shellAction(line, cwd, undefined).git;
  assert.deepEqual(git("git push"), { subcommand: "push", args: [], force: false, branch: "feature-x" });
  assert.deepEqual(git("git push origin", join(repo, "deep", "er")), { subcommand: "push", args: ["origin"], remote: "origin", force: false, branch: "feature-x" });
  assert.deepEqual(git("git push origin HEAD"), { subcommand: "push", args: ["origin", "HEAD"], remote: "origin", force: false, branch: "feature-x" });
  assert.equal(git("git push origin +main")!.force, true);
  assert.equal(git("git push origin +main")!.branch, "main");
  assert.equal(git("git push -uf origin main")!.force, true);
  assert.equal(git("git push --force-with-lease=main:abc origin main")!.force, true);
  assert.equal(git("git push --mirror origin")!.force, true);
  assert.equal(git("git -c push.default=current -C . push --force origin main")!.force, true);
  assert.equal(git("git push origin src:refs/heads/prod")!.branch, "prod");
  assert.equal(git("git push origin :old")!.branch, "old");
  assert.deepEqual(git(`git -C ${repo} push`, "/"), { subcommand: "push", args: [], force: false, branch: "feature-x" });
  // a worktree's .git is a file naming the real git dir
  const wt = join(base, "wt");
  mkdirSync(join(base, "gitdirs", "wt"), { recursive: true });
  writeFileSync(join(base, "gitdirs", "wt", "HEAD"), "ref: refs/heads/wt-branch\n");
  mkdirSync(wt);
  writeFileSync(join(wt, ".git"), "gitdir: ../gitdirs/wt\n");
  assert.equal(git("git push", wt)!.branch, "wt-branch");
  // the push wins over other git commands on the line
  assert.equal(git("git add . && git commit -m x && git push origin main")!.subcommand, "push");
  assert.equal(git("git status && git commit -m x")!.subcommand, "commit");
  assert.equal(shellAction("ls", repo, undefined).git, undefined);
});

test("packages: managers, names and versions, runners", () => {
  const cases: [string, string, string[] | undefined][] = [
    ["npm", "install lodash@4 -D --registry https://r.example left-pad", ["lodash@4", "left-pad"]],
    ["npm", "i", []],
    ["npm", "--prefix x install y", ["y"]],
    ["npm", "run build", undefined],
    ["npm", "test", undefined],
    ["npx", "-y cowsay hello", ["cowsay"]],
    ["npx", "-p typescript tsc --init", ["typescript"]],
    ["pip", "install -r req.txt requests==2.31", ["requests==2.31"]],
    ["pip3", "install -e ./pkg", ["./pkg"]],
    ["uv", "pip install httpx", ["httpx"]],
    ["uvx", "ruff check", ["ruff"]],
    ["cargo", "add serde --features derive", ["serde"]],
    ["go", "install golang.org/x/tools/gopls@latest", ["golang.org/x/tools/gopls@latest"]],
    ["brew", "install --cask iterm2", ["iterm2"]],
    ["apt-get", "install -y curl jq", ["curl", "jq"]],
    ["yarn", "global add serve", ["serve"]],
    ["pnpm", "dlx create-vite app", ["create-vite"]],
    ["gem", "install rails -v 7", ["rails"]],
    ["git", "push", undefined],
  ];
  for (const [manager, args, want] of cases) {
    const p = packageInstall(manager, args.split(" "));
    assert.deepEqual(p?.packages, want, `${manager} ${args}`);
  }
  assert.deepEqual(packageInstall("python3", ["-m", "pip", "install", "x"]), { manager: "pip", packages: ["x"] });
  const a = shellAction("sudo pip install evil && npm i left-pad", "/w", undefined);
  assert.equal(a.package_manager, "pip");
  assert.deepEqual(a.packages, ["evil", "left-pad"]);
});
