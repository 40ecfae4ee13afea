// A service in its own process, for crash tests: starts on 127.0.0.1:0 over
// the data dir given as argv[2] and prints one JSON line {url, token}.
import { Service } from "../../src/server/service.js";
import { testEngine } from "./policy.js";

const svc = await Service.start({ dataDir: process.argv[2]!, port: 0, loadEngine: () => testEngine() });
const token = svc.credentials.issue("agent-1");
process.stdout.write(JSON.stringify({ url: svc.url, token }) + "\n");
