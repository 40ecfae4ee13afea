// Who is calling. Two kinds of credential:
//  - bearer tokens writ issued, kept in `<data-dir>/credentials.json` only as
//    SHA-256 hashes (a stolen file gives no usable token);
//  - JWTs from a configured issuer, checked against its JWKS (file or URL):
//    `sub` is the agent id, `writ_role: "operator"` makes an operator.
// The agent identity always comes from here, never from a request body.
import { randomBytes } from "node:crypto";
import { sha256Hex as sha256 } from "../sha256.js";
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createLocalJWKSet, createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from "jose";
import { LRUCache } from "lru-cache";
import type { Principal } from "../decide/pipeline.js";

interface StoredToken {
  sha256: string;
  agent: string;
  role: "agent" | "operator";
  owner?: string;
  created_at: string;
}

export interface JwtIssuerOptions {
  issuer: string;
  /** a JWKS file path or an https/http URL */
  jwks: string;
  audience?: string;
}

export class Credentials {
  private byHash = new Map<string, Principal>();
  /** writ tokens already seen to be valid, so a known token is not hashed
   *  again on every request; only valid tokens go in (bounded by the token
   *  file), and it is emptied whenever the token set changes */
  private byToken = new Map<string, Principal>();
  private stored: StoredToken[] = [];
  private jwtKeys: JWTVerifyGetKey | undefined;
  private jwtCache = new LRUCache<string, { principal: Principal }>({ max: 10_000 });

  private constructor(private readonly path: string | undefined, private readonly jwt?: JwtIssuerOptions) {}

  static open(dataDir: string, jwt?: JwtIssuerOptions): Credentials {
    const c = new Credentials(join(dataDir, "credentials.json"), jwt);
    c.reload();
    if (jwt) c.jwtKeys = /^https?:\/\//.test(jwt.jwks) ? createRemoteJWKSet(new URL(jwt.jwks)) : createLocalJWKSet(JSON.parse(readFileSync(jwt.jwks, "utf8")));
    return c;
  }

  /** Reads the token file again (tokens issued or revoked by `writ token`
   *  while the service runs; `writ serve` does this on SIGHUP). */
  reload(): void {
    if (this.path && existsSync(this.path)) this.stored = (JSON.parse(readFileSync(this.path, "utf8")) as { tokens: StoredToken[] }).tokens;
    this.index();
  }

  private index(): void {
    this.byHash = new Map(this.stored.map((t) => [t.sha256, { id: t.agent, role: t.role, ...(t.owner ? { owner: t.owner } : {}) }]));
    this.byToken = new Map();
  }

  /** Issues a new token (shown once; only its hash is kept). */
  issue(agent: string, role: "agent" | "operator" = "agent", owner?: string): string {
    const token = `writ_${role === "operator" ? "op" : "ag"}_${randomBytes(24).toString("base64url")}`;
    this.stored.push({ sha256: sha256(token), agent, role, ...(owner ? { owner } : {}), created_at: new Date().toISOString() });
    this.save();
    this.index();
    return token;
  }

  /** Forgets every token of an agent; returns how many. */
  revoke(agent: string): number {
    const before = this.stored.length;
    this.stored = this.stored.filter((t) => t.agent !== agent);
    this.save();
    this.index();
    return before - this.stored.length;
  }

  private save(): void {
    if (!this.path) return;
    const tmp = this.path + ".tmp";
    writeFileSync(tmp, JSON.stringify({ tokens: this.stored }, null, 2) + "\n", { mode: 0o600 });
    renameSync(tmp, this.path);
  }

  /** The principal behind an Authorization header, or undefined. Writ tokens
   *  answer synchronously (hot path); JWTs need a key lookup the first time. */
  authenticate(header: string | undefined): Principal | undefined | Promise<Principal | undefined> {
    if (!header || !header.startsWith("Bearer ")) return undefined;
    const token = header.slice(7).trim();
    if (token.startsWith("writ_")) {
      let principal = this.byToken.get(token);
      if (principal) return principal;
      principal = this.byHash.get(sha256(token));
      if (principal) this.byToken.set(token, principal);
      return principal;
    }
    if (!this.jwt || !this.jwtKeys) return undefined;
    const cached = this.jwtCache.get(token);
    if (cached) return cached.principal;
    return this.verifyJwt(token);
  }

  private async verifyJwt(token: string): Promise<Principal | undefined> {
    try {
      const { payload } = await jwtVerify(token, this.jwtKeys!, { issuer: this.jwt!.issuer, ...(this.jwt!.audience ? { audience: this.jwt!.audience } : {}) });
      if (typeof payload.sub !== "string" || !payload.sub) return undefined;
      const principal: Principal = { id: payload.sub, role: payload.writ_role === "operator" ? "operator" : "agent" };
      if (typeof payload.owner === "string") principal.owner = payload.owner;
      // cached until the token expires (at most 5 minutes, to notice key changes)
      const ttl = Math.min(typeof payload.exp === "number" ? payload.exp * 1000 - Date.now() : 300_000, 300_000);
      if (ttl > 0) this.jwtCache.set(token, { principal }, { ttl });
      return principal;
    } catch {
      return undefined;
    }
  }
}
