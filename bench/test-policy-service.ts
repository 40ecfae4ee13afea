// TEMPORARY target for `npm run bench:decide` while bundles/example.tar.gz
// cannot be built yet: the same service (signing and durable audit on) over
// the service tests' policy, compiled when the compiler can, else its JS
// stand-in. Prints the URL and an agent token like `writ serve` does.
import { Service } from "../src/server/service.js";
import { testEngine, usingStandIn } from "../test/support/policy.js";

const svc = await Service.start({ dataDir: process.argv[2]!, port: 0, loadEngine: () => testEngine("bench") });
process.stdout.write(`writ serve: ${svc.url} bundle ${(await usingStandIn()) ? "STAND-IN (JS policy, not Wasm)" : "test policy (compiled Wasm)"}\n`);
process.stdout.write(`agent token for bench-agent: ${svc.credentials.issue("bench-agent")}\n`);
process.on("SIGTERM", () => void svc.close().then(() => process.exit(0)));
