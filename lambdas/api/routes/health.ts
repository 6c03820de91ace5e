import { type ApiResult, json } from "../http.ts";

export async function health(): Promise<ApiResult> {
  return json(200, { status: "ok" });
}
