import { useState } from "preact/hooks";
import type { Api } from "./api.ts";
import { Choice } from "./Choice.tsx";
import { CustomFilters } from "./CustomFilters.tsx";
import { type FormErrors, formFields, type SetField } from "./formFields.ts";
import {
  createRequest,
  emptyForm,
  type ListForm as Form,
  formFromList,
  type ListView,
  patchRequest,
  privacies,
  type TitlePick,
} from "./logic.ts";
import { ManualPicks } from "./ManualPicks.tsx";
import { Field, FieldError, fieldErrors, InputField } from "./ui.tsx";

interface ListFormProps {
  api: Api;
  list?: ListView;
  onDone: (listId?: string) => void;
}

/** New list (no `list`) or Edit (`list` given): title, type, privacy, filters with a live preview, or picks. */
export function ListForm(props: ListFormProps) {
  const editing = props.list;
  const [form, setForm] = useState<Form>(editing ? formFromList(editing) : emptyForm());
  const [picks, setPicks] = useState<TitlePick[]>([]);
  const set: SetField = (name, value) => setForm((f) => ({ ...f, [name]: value }));
  const { submit, busy, errors, formError } = useSubmit(props, form, picks);
  return (
    <form class="card list-form" onSubmit={submit} noValidate aria-labelledby="form-title">
      <h2 id="form-title">{editing ? `Edit “${editing.title}”` : "New list"}</h2>
      <SettingsFields form={form} set={set} errors={errors} editing={Boolean(editing)} />
      {form.listType === "custom" ? (
        <CustomFilters api={props.api} form={form} set={set} errors={errors} />
      ) : editing ? (
        <p class="hint">Add or remove titles of a manual list from its page.</p>
      ) : (
        <ManualPicks api={props.api} picks={picks} setPicks={setPicks} error={errors.items} />
      )}
      {formError && (
        <p class="field-error" role="alert">
          {formError}
        </p>
      )}
      <div class="row">
        <button type="submit" class="primary" disabled={busy}>
          {editing ? "Save changes" : "Create list"}
        </button>
        <button type="button" onClick={() => props.onDone(editing?.id)}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** Creates the list (or saves the edit), then hands its id on; the API's errors go next to the fields they name. */
function useSubmit(props: ListFormProps, form: Form, picks: TitlePick[]) {
  const editing = props.list;
  const [errors, setErrors] = useState<FormErrors>({});
  const [formError, setFormError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setErrors({});
    setFormError(undefined);
    try {
      if (editing) {
        const patch = patchRequest(form, editing);
        if (Object.keys(patch).length > 0) await props.api.send("PATCH", `/lists/${editing.id}`, patch);
        props.onDone(editing.id);
      } else {
        const created = await props.api.send<ListView>("POST", "/lists", createRequest(form, picks));
        props.onDone(created.id);
      }
    } catch (error) {
      const split = fieldErrors(error, formFields);
      setErrors(split.byField);
      setFormError(split.form);
    } finally {
      setBusy(false);
    }
  };
  return { submit, busy, errors, formError };
}

/** Title, type (new lists only), privacy and item limit. */
function SettingsFields(props: { form: Form; set: SetField; errors: FormErrors; editing: boolean }) {
  const { form, set, errors } = props;
  return (
    <div class="grid">
      <InputField
        id="title"
        label="Title"
        error={errors.title}
        maxLength={200}
        value={form.title}
        onInput={(value) => set("title", value)}
      />
      {!props.editing && <ListTypeField form={form} set={set} error={errors.listType} />}
      <PrivacyField form={form} set={set} error={errors.privacy} />
      <InputField
        id="itemLimit"
        label="Item limit"
        error={errors.itemLimit}
        hint={form.listType === "custom" ? "1–5000; default 100" : "1–5000; default 5000"}
        type="number"
        inputMode="numeric"
        value={form.itemLimit}
        onInput={(value) => set("itemLimit", value)}
      />
    </div>
  );
}

function ListTypeField(props: { form: Form; set: SetField; error: string | undefined }) {
  return (
    <fieldset class="field">
      <legend>Type</legend>
      {(["custom", "manual"] as const).map((type) => (
        <Choice
          key={type}
          type="radio"
          name="listType"
          value={type}
          label={type === "custom" ? "Custom" : "Manual"}
          checked={props.form.listType === type}
          onChange={() => props.set("listType", type)}
        />
      ))}
      <FieldError id="listType-error" error={props.error} />
    </fieldset>
  );
}

function PrivacyField(props: { form: Form; set: SetField; error: string | undefined }) {
  return (
    <Field id="privacy" label="Privacy" error={props.error}>
      {(d) => (
        <select
          id="privacy"
          value={props.form.privacy}
          aria-describedby={d}
          onChange={(e) => props.set("privacy", e.currentTarget.value as Form["privacy"])}
        >
          {privacies.map((p) => (
            <option value={p} key={p}>
              {p}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}
