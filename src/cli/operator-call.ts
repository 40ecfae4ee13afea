// What the commands that talk to a running service with an operator token
// (`writ kill`, `writ usage`) share: the --server/--token options, and one
// call whose JSON answer goes to stdout.

/** parseArgs options for --server and --token (with their env defaults) */
export const operatorOptions = {
  server: { type: "string", default: process.env.WRIT_URL ?? "http://127.0.0.1:8787" },
  token: { type: "string", default: process.env.WRIT_OPERATOR_TOKEN },
} as const;

export interface OperatorCall {
  method?: "GET" | "POST" | "DELETE";
  /** the path on the service, e.g. /v1/kill */
  path: string;
  body?: unknown;
}

/** Makes the call (or says why it cannot) and prints the answer; the exit
 *  code: 0 for a 2xx answer, 1 for another or none, 2 without a token. */
export async function callAsOperator(command: string, values: { server?: string; token?: string }, call: () => OperatorCall | number): Promise<number> {
  if (!values.token) {
    process.stderr.write(`writ ${command}: an operator token is needed (--token or WRIT_OPERATOR_TOKEN)\n`);
    return 2;
  }
  const c = call();
  if (typeof c === "number") return c;
  const base = values.server!.replace(/\/$/, "");
  let res: Response;
  try {
    res = await fetch(`${base}${c.path}`, {
      method: c.method ?? "GET",
      headers: { authorization: `Bearer ${values.token}`, "content-type": "application/json" },
      ...(c.body !== undefined ? { body: JSON.stringify(c.body) } : {}),
    });
  } catch (err) {
    process.stderr.write(`writ ${command}: cannot reach ${base}: ${(err as Error).message}\n`);
    return 1;
  }
  const text = await res.text();
  process.stdout.write(text.endsWith("\n") ? text : text + "\n");
  return res.ok ? 0 : 1;
}
