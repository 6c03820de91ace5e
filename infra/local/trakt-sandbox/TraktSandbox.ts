import type { Server } from "node:http";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { SandboxConfig } from "./config.ts";
import { resolveConfig } from "./config.ts";
import * as control from "./control.ts";
import { errorReply, sendReply } from "./http.ts";
import { loadSandboxState, saveSandboxState } from "./persistence.ts";
import type { RouteTables } from "./pipeline.ts";
import { handleRequest } from "./pipeline.ts";
import { controlRoutes } from "./routes/control.ts";
import { itemRoutes } from "./routes/items.ts";
import { listRoutes } from "./routes/lists.ts";
import { oauthRoutes } from "./routes/oauth.ts";
import { settingsRoutes } from "./routes/settings.ts";
import type { Runtime } from "./state.ts";
import { SandboxState } from "./state.ts";
import type * as Sandbox from "./types.ts";

export type { SandboxConfig } from "./config.ts";
export { DEFAULTS as SANDBOX_DEFAULTS } from "./config.ts";
export type * from "./types.ts";

/** A running Trakt sandbox: `url` serves the Trakt API, OAuth and the `/_sandbox` control API. */
export class TraktSandbox {
  readonly url: string;
  private readonly server: Server;
  private readonly runtime: Runtime;
  private readonly initialConfig: SandboxConfig;

  constructor(server: Server, runtime: Runtime, initialConfig: SandboxConfig) {
    this.server = server;
    this.runtime = runtime;
    this.initialConfig = initialConfig;
    this.url = runtime.baseUrl;
  }

  get clientId(): string {
    return this.runtime.config.clientId;
  }

  get clientSecret(): string {
    return this.runtime.config.clientSecret;
  }

  /** Current configuration (a copy). */
  config(): SandboxConfig {
    return structuredClone(this.runtime.config);
  }

  /** Creates the user (or updates vip/limits) and issues a fresh token pair. */
  createUser(slug: string, options?: Sandbox.CreateUserOptions): Sandbox.UserGrant {
    return this.call(() => control.createUser(this.runtime, slug, options));
  }

  approveDevice(userCode: string, slug: string): void {
    this.call(() => control.approveDevice(this.runtime, userCode, slug));
  }

  denyDevice(userCode: string): void {
    this.call(() => control.denyDevice(this.runtime, userCode));
  }

  /** Every list of the user with all items in rank order ([] for an unknown user). */
  listsOf(slug: string): Sandbox.SandboxListSnapshot[] {
    return control.listsOf(this.runtime, slug) ?? [];
  }

  /** Accepted writes (all users, or one). */
  writeLog(slug?: string): Sandbox.WriteLogEntry[] {
    return control.writeLog(this.runtime, slug);
  }

  stats(): Record<string, Sandbox.UserStats> {
    return control.stats(this.runtime);
  }

  setFaults(config: Sandbox.FaultConfig): void {
    control.setFaults(this.runtime, config);
  }

  clearFaults(): void {
    control.clearFaults(this.runtime);
  }

  configure(patch: Sandbox.SandboxConfigPatch): void {
    this.call(() => control.configure(this.runtime, patch));
  }

  markUnknown(ids: Sandbox.UnknownIds): void {
    control.markUnknown(this.runtime, ids);
  }

  setLimits(slug: string, limits: Partial<Sandbox.UserLimits>): Sandbox.UserLimits {
    return this.call(() => control.setUserLimits(this.runtime, slug, limits));
  }

  /** Expires every access token of the user (the next API call answers 401; refresh still works). */
  expireTokens(slug: string): number {
    return control.expireTokens(this.runtime, slug);
  }

  /** Forgets all state and restores the start-up configuration. */
  reset(): void {
    control.reset(this.runtime, this.initialConfig);
  }

  /** Writes users, lists, items and tokens to `path` (see persistence.ts). */
  saveState(path: string): void {
    saveSandboxState(this.runtime.state, path);
  }

  /** Loads what `saveState` wrote; false when the file does not exist. Call before any request. */
  loadState(path: string): boolean {
    return loadSandboxState(this.runtime.state, path);
  }

  async stop(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  private call<T>(run: () => T): T {
    try {
      return run();
    } catch (error) {
      throw control.asError(error);
    }
  }
}

function routeTables(initialConfig: SandboxConfig): RouteTables {
  return {
    api: [...settingsRoutes, ...listRoutes, ...itemRoutes],
    oauth: oauthRoutes,
    control: controlRoutes(initialConfig),
  };
}

export async function startTraktSandbox(options: Sandbox.TraktSandboxOptions = {}): Promise<TraktSandbox> {
  const initialConfig = resolveConfig(options);
  const runtime: Runtime = {
    config: structuredClone(initialConfig),
    state: new SandboxState(initialConfig.seed),
    baseUrl: "",
    now: Date.now,
  };
  const routes = routeTables(initialConfig);
  const server = createServer((req, res) => {
    handleRequest(runtime, routes, req, res).catch((error: unknown) => {
      console.error("trakt sandbox: request failed", error);
      if (!res.headersSent) sendReply(res, errorReply(500, "server_error"));
    });
  });
  const port = await listen(server, initialConfig.port, initialConfig.host);
  runtime.baseUrl = `http://${urlHost(initialConfig.host)}:${port}`;
  return new TraktSandbox(server, runtime, initialConfig);
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function urlHost(host: string): string {
  if (host === "0.0.0.0" || host === "::") return "127.0.0.1";
  return host.includes(":") ? `[${host}]` : host;
}
