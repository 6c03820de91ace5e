import { useEffect, useRef, useState } from "preact/hooks";
import { type Api, ApiFailure } from "./api.ts";
import { useAction } from "./ui.tsx";

export interface LinkStatus {
  state: "linked" | "unlinked" | "pending" | "relink_required";
  linked: boolean;
  traktUsername: string | null;
  traktSlug: string | null;
}

interface DeviceCode {
  userCode: string;
  verificationUrl: string;
  expiresIn: number;
  interval: number;
}

/** Link Trakt (device flow), Linked as <username>, Unlink Trakt, and what to do when the link expired. */
export function TraktLink(props: {
  api: Api;
  status: LinkStatus | undefined;
  authProblem: boolean;
  onChange: () => void;
}) {
  const { status } = props;
  const { device, busy, message: error, link, unlink } = useDeviceLink(props.api, props.onChange);
  return (
    <section class="card trakt" aria-labelledby="trakt-title">
      <h2 id="trakt-title">Trakt</h2>
      {status?.linked ? (
        <div class="row">
          <p class="linked">
            <span aria-hidden="true">✓ </span>Linked as {status.traktUsername}
          </p>
          <button type="button" onClick={unlink} disabled={busy}>
            Unlink Trakt
          </button>
        </div>
      ) : (
        <div>
          {(status?.state === "relink_required" || props.authProblem) && <RelinkNotice />}
          {!device && (
            <button type="button" class="primary" onClick={link} disabled={busy}>
              Link Trakt
            </button>
          )}
          {device && <DeviceCodePrompt device={device} />}
        </div>
      )}
      {error && (
        <p class="field-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}

/**
 * The device flow: `link` asks for a code and polls until it is approved (slower when Trakt says so);
 * `unlink` removes the link. Both tell `onChange` when the link changed.
 */
function useDeviceLink(api: Api, onChange: () => void) {
  const [device, setDevice] = useState<DeviceCode>();
  const action = useAction();
  const { act, setMessage } = action;
  const timer = useRef<number | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);

  const poll = (code: DeviceCode, delayMs: number) => {
    timer.current = window.setTimeout(async () => {
      try {
        const answer = await api.send<{ linked: boolean; status?: string }>("POST", "/trakt/device-token");
        if (answer.linked) {
          setDevice(undefined);
          onChange();
          return;
        }
        poll(code, answer.status === "slow_down" ? delayMs * 2 : delayMs);
      } catch (e) {
        setDevice(undefined);
        setMessage(
          e instanceof ApiFailure && e.code === "device_code_expired"
            ? "The code expired before it was approved. Press Link Trakt to get a new one."
            : `Linking failed: ${e instanceof Error ? e.message : String(e)}`,
        );
      }
    }, delayMs);
  };
  const link = () =>
    act(async () => {
      const code = await api.send<DeviceCode>("POST", "/trakt/device-code");
      setDevice(code);
      poll(code, Math.max(1, code.interval) * 1000);
    });
  const unlink = () =>
    act(async () => {
      await api.send("DELETE", "/trakt/link");
      onChange();
    });
  return { ...action, device, link, unlink };
}

function RelinkNotice() {
  return (
    <p class="notice warn" role="status">
      Your Trakt link expired or was removed, so lists cannot reach Trakt (state <code>auth_required</code>).
      Press Link Trakt and approve the code on Trakt: every list then syncs by itself.
    </p>
  );
}

function DeviceCodePrompt(props: { device: DeviceCode }) {
  const { device } = props;
  return (
    <div class="device" role="status">
      <p>
        Open{" "}
        <a href={device.verificationUrl} target="_blank" rel="noreferrer">
          {device.verificationUrl}
        </a>{" "}
        and enter this code:
      </p>
      <p class="code">{device.userCode}</p>
      <p class="hint">Waiting for you to approve it on Trakt…</p>
    </div>
  );
}
