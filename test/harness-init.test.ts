// `writ init <harness>` as a real process on real project directories:
// what it writes, that a second run changes nothing, that settings that are
// not writ's survive, and that an older writ entry is replaced, not doubled.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { WITHOUT_EXTRA_CA } from "../src/harness/init/harnesses.js";
import { freshDir, root, runWrit } from "./harness-helpers.js";

const W = ["--command", "writ"];

async function initTwice(harness: string, dir: string, extra: string[] = []) {
  const first = await runWrit(["init", harness, "--dir", dir, ...W, ...extra], "");
  assert.equal(first.code, 0, first.stderr);
  const second = await runWrit(["init", harness, "--dir", dir, ...W, ...extra], "");
  assert.equal(second.code, 0, second.stderr);
  assert.match(second.stdout, /^unchanged /m, "the second run changes nothing");
  assert.doesNotMatch(second.stdout, /^(created|updated) /m);
  return first;
}

const json = (p: string) => JSON.parse(readFileSync(p, "utf8"));

test("init claude-code: four events, onFailure block, other settings and hooks kept", async () => {
  const dir = freshDir("writ-init-");
  mkdirSync(join(dir, ".claude"));
  writeFileSync(
    join(dir, ".claude/settings.json"),
    JSON.stringify({
      permissions: { deny: ["Read(./.env)"] },
      hooks: {
        PreToolUse: [
          { matcher: "Bash", hooks: [{ type: "command", command: "./lint.sh" }] },
          { matcher: "*", hooks: [{ type: "command", command: "/old/bin/writ hook claude-code --url http://old" }] },
        ],
      },
    }),
  );
  const r = await initTwice("claude-code", dir);
  assert.match(r.stdout, /^updated .*settings\.json$/m);
  const s = json(join(dir, ".claude/settings.json"));
  assert.deepEqual(s.permissions, { deny: ["Read(./.env)"] });
  const writHook = { type: "command", command: `${WITHOUT_EXTRA_CA}writ hook claude-code`, timeout: 10, onFailure: "block" };
  assert.deepEqual(s.hooks.PreToolUse, [
    { matcher: "Bash", hooks: [{ type: "command", command: "./lint.sh" }] },
    { matcher: "*", hooks: [writHook] },
  ]);
  for (const e of ["PermissionRequest", "PostToolUse"]) assert.deepEqual(s.hooks[e], [{ matcher: "*", hooks: [writHook] }]);
  assert.deepEqual(s.hooks.UserPromptSubmit, [{ hooks: [writHook] }]);
});

test("init claude-code --http: an HTTP hook with the token from the environment", async () => {
  const dir = freshDir("writ-init-");
  await initTwice("claude-code", dir, ["--http", "--url", "http://127.0.0.1:9999", "--local"]);
  const s = json(join(dir, ".claude/settings.local.json"));
  assert.deepEqual(s.hooks.PreToolUse[0].hooks[0], {
    type: "http",
    url: "http://127.0.0.1:9999/v1/hooks/claude-code",
    headers: { Authorization: "Bearer $WRIT_TOKEN" },
    allowedEnvVars: ["WRIT_TOKEN"],
    timeout: 10,
    onFailure: "block",
  });
});

test("init codex, cursor, gemini: each harness's own file and shape", async () => {
  const dir = freshDir("writ-init-");
  mkdirSync(join(dir, ".gemini"));
  writeFileSync(join(dir, ".gemini/settings.json"), JSON.stringify({ theme: "dark", hooksConfig: { enabled: false, disabled: ["writ", "other"] } }));
  await initTwice("codex", dir, ["--url", "http://writ:8787"]);
  await initTwice("cursor", dir);
  const g = await initTwice("gemini", dir);
  assert.match(g.stdout, /hooksConfig\.enabled was false/);
  const codex = json(join(dir, ".codex/hooks.json"));
  const codexHook = { type: "command", command: "writ hook codex --url http://writ:8787", timeout: 10 };
  assert.deepEqual(codex, { hooks: { PreToolUse: [{ matcher: "*", hooks: [codexHook] }], PermissionRequest: [{ matcher: "*", hooks: [codexHook] }] } });
  const cursor = json(join(dir, ".cursor/hooks.json"));
  assert.equal(cursor.version, 1);
  for (const e of ["preToolUse", "beforeShellExecution", "beforeMCPExecution", "beforeReadFile"]) assert.deepEqual(cursor.hooks[e], [{ command: "writ hook cursor", timeout: 10 }]);
  const gemini = json(join(dir, ".gemini/settings.json"));
  assert.equal(gemini.theme, "dark");
  assert.deepEqual(gemini.hooksConfig, { enabled: true, disabled: ["other"] });
  assert.deepEqual(gemini.hooks.BeforeTool, [{ matcher: "*", hooks: [{ type: "command", name: "writ", command: "writ hook gemini", timeout: 10000 }] }]);
});

test("init opencode: a plugin module that loads writ's plugin", async () => {
  const dir = freshDir("writ-init-");
  await initTwice("opencode", dir);
  const text = readFileSync(join(dir, ".opencode/plugins/writ.js"), "utf8");
  const m = /export \{ WritPlugin \} from "(file:[^"]+)"/.exec(text);
  assert.ok(m, text);
  const mod = (await import(m[1])) as { WritPlugin: unknown };
  assert.equal(typeof mod.WritPlugin, "function");
});

test("init mcp: stdio servers go behind writ mcp-proxy, once", async () => {
  const dir = freshDir("writ-init-");
  writeFileSync(
    join(dir, ".mcp.json"),
    JSON.stringify({ mcpServers: { pg: { command: "npx", args: ["-y", "@acme/pg-mcp"], env: { PGHOST: "db" } }, web: { type: "http", url: "https://mcp.example" } } }),
  );
  const r = await initTwice("mcp", dir);
  assert.match(r.stdout, /web: not a stdio server/);
  const c = json(join(dir, ".mcp.json"));
  assert.deepEqual(c.mcpServers.pg, { command: "writ", args: ["mcp-proxy", "--server-name", "pg", "--", "npx", "-y", "@acme/pg-mcp"], env: { PGHOST: "db" } });
  assert.deepEqual(c.mcpServers.web, { type: "http", url: "https://mcp.example" });
});

test("init: a settings file that is not JSON is left alone and reported", async () => {
  const dir = freshDir("writ-init-");
  mkdirSync(join(dir, ".claude"));
  writeFileSync(join(dir, ".claude/settings.json"), "{ // comment\n}");
  const r = await runWrit(["init", "claude-code", "--dir", dir], "");
  assert.equal(r.code, 1);
  assert.match(r.stderr, /is not valid JSON/);
  assert.equal(readFileSync(join(dir, ".claude/settings.json"), "utf8"), "{ // comment\n}");
});

test("init: without --command the hook runs this node and the fast entry; a later writ init replaces, not adds", async () => {
  const dir = freshDir("writ-init-");
  const r = await runWrit(["init", "cursor", "--dir", dir], "", { PATH: "/nonexistent" });
  assert.equal(r.code, 0, r.stderr);
  const cursor = json(join(dir, ".cursor/hooks.json"));
  assert.deepEqual(cursor.hooks.preToolUse, [{ command: `${process.execPath} ${join(root, "bin/writ-hook.cjs")} cursor`, timeout: 10 }]);
  await runWrit(["init", "cursor", "--dir", dir, "--command", "writ"], "");
  assert.deepEqual(json(join(dir, ".cursor/hooks.json")).hooks.preToolUse, [{ command: "writ hook cursor", timeout: 10 }]);
});
