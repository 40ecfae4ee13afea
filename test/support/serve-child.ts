// A service in its own process, for crash tests: starts on 127.0.0.1:0 over
// the data dir given as argv[2] and prints one JSON line {url, token}.
// (`node --test dist/test/` also runs this file, with no data dir: it then
// does nothing.)
import { Service } from "../../src/server/service.js";
import { testEngine } from "./policy.js";

const dataDir = process.argv[2];
if (dataDir) {
  const svc = await Service.start({ dataDir, port: 0, loadEngine: () => testEngine() });
  const token = svc.credentials.issue("agent-1");
  process.stdout.write(JSON.stringify({ url: svc.url, token }) + "\n");
}
