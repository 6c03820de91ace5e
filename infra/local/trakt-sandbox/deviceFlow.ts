import { randomBytes } from "node:crypto";
import { randomToken } from "./tokens.ts";

type DeviceStatus = "pending" | "approved" | "denied" | "used";

interface DeviceCode {
  deviceCode: string;
  userCode: string;
  expiresAtMs: number;
  intervalSeconds: number;
  status: DeviceStatus;
  slug?: string;
  lastPollAtMs?: number;
}

export type PollOutcome =
  | { outcome: "approved"; slug: string }
  | { outcome: "not_found" | "used" | "expired" | "denied" | "slow_down" | "pending" };

export type ApprovalOutcome = "ok" | "not_found" | "expired" | "used";

const USER_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
/** Timers may fire a few ms early; polls this close to the interval still count as on time. */
const POLL_TOLERANCE_MS = 25;

export interface DeviceCodeGrant {
  device_code: string;
  user_code: string;
  expires_in: number;
  interval: number;
}

/** Device-flow codes. Approval and denial only happen through the control API. */
export class DeviceStore {
  private readonly byDeviceCode = new Map<string, DeviceCode>();

  create(nowMs: number, ttlSeconds: number, intervalSeconds: number): DeviceCodeGrant {
    const entry: DeviceCode = {
      deviceCode: randomToken(),
      userCode: newUserCode(),
      expiresAtMs: nowMs + ttlSeconds * 1000,
      intervalSeconds,
      status: "pending",
    };
    this.byDeviceCode.set(entry.deviceCode, entry);
    return {
      device_code: entry.deviceCode,
      user_code: entry.userCode,
      expires_in: ttlSeconds,
      interval: intervalSeconds,
    };
  }

  poll(deviceCode: string, nowMs: number): PollOutcome {
    const entry = this.byDeviceCode.get(deviceCode);
    if (!entry) return { outcome: "not_found" };
    if (entry.status === "used") return { outcome: "used" };
    if (nowMs >= entry.expiresAtMs) return { outcome: "expired" };
    if (entry.status === "denied") return { outcome: "denied" };
    if (this.pollsTooFast(entry, nowMs)) return { outcome: "slow_down" };
    entry.lastPollAtMs = nowMs;
    if (entry.status === "pending" || !entry.slug) return { outcome: "pending" };
    entry.status = "used";
    return { outcome: "approved", slug: entry.slug };
  }

  approve(userCode: string, slug: string, nowMs: number): ApprovalOutcome {
    return this.decide(userCode, nowMs, (entry) => {
      entry.status = "approved";
      entry.slug = slug;
    });
  }

  deny(userCode: string, nowMs: number): ApprovalOutcome {
    return this.decide(userCode, nowMs, (entry) => {
      entry.status = "denied";
    });
  }

  private decide(userCode: string, nowMs: number, apply: (entry: DeviceCode) => void): ApprovalOutcome {
    const entry = this.findByUserCode(userCode);
    if (!entry) return "not_found";
    if (entry.status === "used") return "used";
    if (nowMs >= entry.expiresAtMs) return "expired";
    apply(entry);
    return "ok";
  }

  private findByUserCode(userCode: string): DeviceCode | undefined {
    const wanted = userCode.trim().toUpperCase();
    for (const entry of this.byDeviceCode.values()) if (entry.userCode === wanted) return entry;
    return undefined;
  }

  private pollsTooFast(entry: DeviceCode, nowMs: number): boolean {
    if (entry.lastPollAtMs === undefined) return false;
    return nowMs - entry.lastPollAtMs < entry.intervalSeconds * 1000 - POLL_TOLERANCE_MS;
  }
}

function newUserCode(): string {
  return [...randomBytes(8)].map((byte) => USER_CODE_ALPHABET[byte % USER_CODE_ALPHABET.length]).join("");
}
