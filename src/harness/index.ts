// writ's harness integrations, for embedding (`import … from "writ/harness"`).
export { answerHook, type Adapter, type HookAnswer, type HookOptions } from "./adapter.js";
export { claudeCode } from "./claude-code.js";
export { codex } from "./codex.js";
export { cursor } from "./cursor.js";
export { gemini } from "./gemini.js";
export { ADAPTERS } from "./registry.js";
export { httpDecider, type DecideFn } from "./client.js";
export { NoDecision, parseDecideResponse, checkDecideResponse } from "./response.js";
export { claudeCodeHttpHook, claudeCodeHttpBlock, type HttpHookAnswer, type HttpHookOptions } from "./http-hook.js";
export { runMcpProxy, type McpProxyOptions } from "./mcp-proxy.js";
export { createWritPlugin, WritPlugin } from "./opencode.js";
export { writGate, type WritGateOptions } from "./openai-agents.js";
export { normalizeToolCall, shellAction, type NormalizedAction, type ToolCall } from "./normalize/action.js";
export { analyzeShell, type ShellAnalysis } from "./normalize/shell/analyze.js";
export { runFixtureSuites, type FixtureOptions, type FixtureReport } from "./fixtures/run.js";
export { tapReport, junitReport, textReport } from "./fixtures/report.js";
