import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";
import { ApiFailure } from "./api.ts";
import { formFieldOf, type SyncState, stateDisplay } from "./logic.ts";

/** An input with its visible label, hint and the API error that names it (announced, linked by aria-describedby). */
export function Field(props: {
  id: string;
  label: string;
  error?: string | undefined;
  hint?: string;
  children: (describedBy: string | undefined, invalid: boolean) => ComponentChildren;
}) {
  const errorId = `${props.id}-error`;
  const hintId = `${props.id}-hint`;
  const describedBy =
    [props.hint ? hintId : "", props.error ? errorId : ""].filter(Boolean).join(" ") || undefined;
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      {props.children(describedBy, Boolean(props.error))}
      {props.hint && (
        <small id={hintId} class="hint">
          {props.hint}
        </small>
      )}
      {props.error && (
        <p id={errorId} class="field-error" role="alert">
          {props.error}
        </p>
      )}
    </div>
  );
}

/** A text or number input in its `Field`: `onInput` gets the new value. */
export function InputField(props: {
  id: string;
  label: string;
  value: string;
  onInput: (value: string) => void;
  error?: string | undefined;
  hint?: string | undefined;
  type?: "number";
  inputMode?: "numeric" | "decimal";
  maxLength?: number;
}) {
  const { id, hint, type, inputMode, maxLength } = props;
  // Only the attributes given: the input looks exactly as one written out.
  const attributes: object = {
    ...(type ? { type } : {}),
    ...(inputMode ? { inputMode } : {}),
    ...(maxLength ? { maxLength } : {}),
  };
  return (
    <Field id={id} label={props.label} error={props.error} {...(hint ? { hint } : {})}>
      {(d, invalid) => (
        <input
          id={id}
          {...attributes}
          value={props.value}
          aria-describedby={d}
          aria-invalid={invalid}
          onInput={(e) => props.onInput(e.currentTarget.value)}
        />
      )}
    </Field>
  );
}

export function FieldError(props: { id: string; error?: string | undefined }) {
  if (!props.error) return null;
  return (
    <p id={props.id} class="field-error" role="alert">
      {props.error}
    </p>
  );
}

export function StateBadge(props: { state: SyncState }) {
  const shown = stateDisplay(props.state);
  return (
    <span class={`badge tone-${shown.tone}`} title={shown.hint}>
      {shown.word}
    </span>
  );
}

/** Splits an API error into the message of the field it names and a message for the whole form. */
export function fieldErrors(
  error: unknown,
  fields: readonly string[],
): { byField: Record<string, string>; form?: string } {
  if (!(error instanceof ApiFailure))
    return { form: error instanceof Error ? error.message : String(error), byField: {} };
  const field = formFieldOf(error.field);
  if (field && fields.includes(field)) return { byField: { [field]: error.message } };
  return { byField: {}, form: error.message };
}

/** Runs one action at a time: `busy` while it runs, its failure as `message`. */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string>();
  const act = async (run: () => Promise<void>) => {
    setBusy(true);
    setMessage(undefined);
    try {
      await run();
    } catch (error) {
      setMessage(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  };
  return { busy, message, setMessage, act };
}
