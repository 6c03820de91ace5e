/**
 * `npm run --silent token -- <userId> [ttlSeconds]`: prints a bearer token the local stack accepts
 * for that user (signed with the local key in .local/jwt-secret, or JWT_SECRET).
 */
import { localSigningKey, signLocalToken } from "../runtime/localJwt.ts";

const [userId, ttl] = process.argv.slice(2);
if (!userId) {
  console.error("usage: npm run --silent token -- <userId> [ttlSeconds]");
  process.exit(2);
}
console.log(await signLocalToken(userId, localSigningKey(), ttl ? Number(ttl) : undefined));
