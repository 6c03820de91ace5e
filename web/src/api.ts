/** The service's API as the page calls it: JSON in and out, the bearer token, errors with their field. */

export class ApiFailure extends Error {
  readonly status: number;
  readonly code: string;
  readonly field: string | undefined;
  constructor(status: number, code: string, message: string, field?: string) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field;
  }
}

export interface Api {
  get<T>(path: string): Promise<T>;
  send<T>(method: "POST" | "PATCH" | "DELETE", path: string, body?: unknown): Promise<T>;
}

export function createApi(baseUrl: string, token: () => string | undefined, onUnauthorized: () => void): Api {
  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const bearer = token();
    let response: Response;
    try {
      response = await fetch(`${baseUrl}${path}`, {
        method,
        headers: {
          ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch {
      throw new ApiFailure(
        0,
        "network",
        "The service could not be reached. Check your connection and try again.",
      );
    }
    const text = await response.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (response.ok) return json as T;
    if (response.status === 401) onUnauthorized();
    const error = (json as { error?: { code?: string; message?: string; field?: string } } | undefined)
      ?.error;
    const message =
      error?.message ??
      (json as { message?: string } | undefined)?.message ??
      `Request failed (HTTP ${response.status})`;
    throw new ApiFailure(response.status, error?.code ?? "http_error", message, error?.field);
  }
  return {
    get: (path) => call("GET", path),
    send: (method, path, body) => call(method, path, body),
  };
}
