import { AuthorizationCodeStore } from "./authorizationCodes.ts";
import type { TitleType } from "./catalogIds.ts";
import type { SandboxConfig } from "./config.ts";
import { DeviceStore } from "./deviceFlow.ts";
import { FaultInjector } from "./faults.ts";
import type { SandboxUser } from "./model.ts";
import { RateLimiter } from "./rateLimit.ts";
import { StatsRecorder } from "./stats.ts";
import { TokenStore } from "./tokens.ts";
import type { WriteLogEntry } from "./types.ts";

/** Everything the sandbox remembers; `reset` replaces it with a fresh instance. */
export class SandboxState {
  readonly users = new Map<string, SandboxUser>();
  readonly tokens = new TokenStore();
  readonly devices = new DeviceStore();
  readonly authorizationCodes = new AuthorizationCodeStore();
  readonly rateLimiter = new RateLimiter();
  readonly stats = new StatsRecorder();
  readonly writes: WriteLogEntry[] = [];
  readonly faults: FaultInjector;
  private readonly unknownTmdbIds: Record<TitleType, Set<number>> = { movie: new Set(), show: new Set() };
  private lastListId = 10_000;
  private lastItemId = 100_000;

  constructor(seed: number) {
    this.faults = new FaultInjector(seed);
  }

  nextListId(): number {
    this.lastListId += 1;
    return this.lastListId;
  }

  nextItemId(): number {
    this.lastItemId += 1;
    return this.lastItemId;
  }

  /** The id counters and unknown ids, for saving the sandbox's state. */
  snapshotIds() {
    return {
      lastListId: this.lastListId,
      lastItemId: this.lastItemId,
      unknown: { movie: [...this.unknownTmdbIds.movie], show: [...this.unknownTmdbIds.show] },
    };
  }

  restoreIds(saved: ReturnType<SandboxState["snapshotIds"]>): void {
    this.lastListId = saved.lastListId;
    this.lastItemId = saved.lastItemId;
    this.markUnknown("movie", saved.unknown.movie);
    this.markUnknown("show", saved.unknown.show);
  }

  markUnknown(type: TitleType, tmdbIds: readonly number[]): void {
    for (const id of tmdbIds) this.unknownTmdbIds[type].add(id);
  }

  readonly isUnknown = (type: TitleType, tmdb: number): boolean => this.unknownTmdbIds[type].has(tmdb);
}

/** The mutable heart of a running sandbox: handlers always read `runtime.state` and `runtime.config` afresh. */
export interface Runtime {
  config: SandboxConfig;
  state: SandboxState;
  baseUrl: string;
  now: () => number;
}

export function tokenTtlSeconds(runtime: Runtime): number {
  return runtime.state.faults.accessTokenTtlSeconds ?? runtime.config.accessTokenTtlSeconds;
}
