import { useState } from "preact/hooks";
import { cognitoSignIn, localSignIn, type PageConfig } from "./auth.ts";
import { Field } from "./ui.tsx";

export function SignIn(props: { config: PageConfig; onSignedIn: () => void }) {
  const [userName, setUserName] = useState("");
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  if (props.config.auth.mode === "cognito") {
    return (
      <section class="card narrow" aria-labelledby="signin-title">
        <h2 id="signin-title">Sign in</h2>
        <p>Sign in with your account to build lists and mirror them to Trakt.</p>
        <button type="button" class="primary" onClick={() => void cognitoSignIn(props.config)}>
          Sign in
        </button>
      </section>
    );
  }
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const result = await localSignIn(props.config, userName);
      if ("error" in result) setError(result.error);
      else props.onSignedIn();
    } catch {
      setError("The local stack could not be reached. Is npm start running?");
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="card narrow" aria-labelledby="signin-title">
      <h2 id="signin-title">Sign in</h2>
      <p>On the local stack any user name signs you in: each name has lists of its own.</p>
      <form onSubmit={submit} noValidate>
        <Field id="user-name" label="User name" error={error}>
          {(describedBy, invalid) => (
            <input
              id="user-name"
              name="userName"
              autoComplete="username"
              value={userName}
              aria-describedby={describedBy}
              aria-invalid={invalid}
              onInput={(e) => setUserName(e.currentTarget.value)}
            />
          )}
        </Field>
        <button type="submit" class="primary" disabled={busy}>
          Sign in
        </button>
      </form>
    </section>
  );
}
