import type { FiredFault } from "./faults.ts";
import type { Reply } from "./http.ts";
import { emptyReply, jsonReply } from "./http.ts";

const CLOUDFLARE_429 =
  "<html><head><title>429 Too Many Requests</title></head><body><center><h1>429 Too Many Requests</h1></center>" +
  "<hr><center>cloudflare</center></body></html>";

/** What an injected fault answers; undefined for `reset_connection`, which answers nothing and drops the socket. */
export function faultReply(fault: FiredFault): Reply | undefined {
  if (fault.kind === "reset_connection") return undefined;
  if (fault.kind === "headerless_429") {
    return { status: 429, text: CLOUDFLARE_429, contentType: "text/html" };
  }
  const status = fault.rule.status ?? 503;
  if (status === 420) return emptyReply(420);
  if (status >= 520) {
    return { status, text: cloudflareErrorPage(status), contentType: "text/html; charset=UTF-8" };
  }
  return jsonReply(status, { error: "server_error", error_description: `Injected fault: ${fault.kind}.` });
}

/**
 * A page cut short on the way (a proxy or an edge giving up mid-body): the first half of the items, with the
 * original headers, so the pagination headers still count every item.
 */
export function truncatedReply(reply: Reply): Reply {
  if (!Array.isArray(reply.json)) return reply;
  return { ...reply, json: reply.json.slice(0, Math.floor(reply.json.length / 2)) };
}

function cloudflareErrorPage(status: number): string {
  return `<!DOCTYPE html><html><head><title>api.trakt.tv | ${status}: Cloudflare error</title></head><body><h1>Error ${status}</h1></body></html>`;
}
