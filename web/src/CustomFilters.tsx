import { useEffect, useRef, useState } from "preact/hooks";
import type { Api } from "./api.ts";
import { Choice } from "./Choice.tsx";
import { type FormErrors, formFields, type SetField } from "./formFields.ts";
import { type ListForm as Form, genres, type MediaType, previewRequest } from "./logic.ts";
import { FieldError, fieldErrors, InputField } from "./ui.tsx";

interface PreviewItem {
  rank: number;
  mediaType: MediaType;
  title: string;
  year: number;
  rating: number;
  votes: number;
}

/** A custom list's filters, with the live preview of what they select. */
export function CustomFilters(props: { api: Api; form: Form; set: SetField; errors: FormErrors }) {
  const { form, set, errors } = props;
  const preview = usePreview(props.api, form);
  const err = (name: string) => errors[name] ?? preview.errors[name];
  const number = (id: keyof Form, label: string, hint?: string) => (
    <NumberField id={id} label={label} hint={hint} error={err(id)} form={form} set={set} />
  );
  return (
    <div class="custom">
      <div class="filters">
        <MediaTypesField form={form} set={set} error={err("mediaTypes")} />
        <GenresField form={form} set={set} error={err("genres")} />
        <div class="grid">
          <InputField
            id="languages"
            label="Languages"
            error={err("languages")}
            hint="Two-letter codes, e.g. en, fr"
            value={form.languages}
            onInput={(value) => set("languages", value)}
          />
          {number("yearFrom", "Year from")}
          {number("yearTo", "Year to")}
          {number("minRating", "Minimum rating", "0–10")}
          {number("minVotes", "Minimum votes")}
        </div>
      </div>
      <Preview items={preview.items} loading={preview.loading} message={preview.message} />
    </div>
  );
}

/** The live, debounced preview: 300 ms after the last change of a filter; only the latest answer is shown. */
function usePreview(api: Api, form: Form) {
  const [items, setItems] = useState<PreviewItem[]>();
  const [errors, setErrors] = useState<FormErrors>({});
  const [message, setMessage] = useState<string>();
  const [loading, setLoading] = useState(false);
  const seq = useRef(0);
  const { title: _title, ...filterPart } = form;
  const key = JSON.stringify(filterPart);

  useEffect(() => {
    const mine = ++seq.current;
    setLoading(true);
    const timer = setTimeout(async () => {
      try {
        const answer = await api.send<{ items: PreviewItem[] }>(
          "POST",
          "/lists/preview",
          previewRequest(form),
        );
        if (mine !== seq.current) return;
        setItems(answer.items);
        setErrors({});
        setMessage(undefined);
      } catch (error) {
        if (mine !== seq.current) return;
        const split = fieldErrors(error, formFields);
        setErrors(split.byField);
        setMessage(split.form);
        setItems(undefined);
      } finally {
        if (mine === seq.current) setLoading(false);
      }
    }, 300);
    return () => clearTimeout(timer);
  }, [key]);
  return { items, errors, message, loading };
}

/** `values` with `value` added (at the end) or taken out. */
function toggle<T extends string>(values: readonly T[], value: T, on: boolean): T[] {
  return on ? [...values.filter((v) => v !== value), value] : values.filter((v) => v !== value);
}

function MediaTypesField(props: { form: Form; set: SetField; error: string | undefined }) {
  const { form, set } = props;
  return (
    <fieldset class="field">
      <legend>Media types</legend>
      {(["movie", "show"] as const).map((type) => (
        <Choice
          key={type}
          type="checkbox"
          label={type === "movie" ? "Movies" : "Shows"}
          checked={form.mediaTypes.includes(type)}
          onChange={(on) => set("mediaTypes", toggle(form.mediaTypes, type, on))}
        />
      ))}
      <FieldError id="mediaTypes-error" error={props.error} />
    </fieldset>
  );
}

function GenresField(props: { form: Form; set: SetField; error: string | undefined }) {
  const { form, set } = props;
  return (
    <fieldset class="field genres">
      <legend>Genres</legend>
      <div class="chips">
        {genres.map((genre) => (
          <Choice
            key={genre}
            type="checkbox"
            class="inline chip"
            label={genre}
            checked={form.genres.includes(genre)}
            onChange={(on) => set("genres", toggle(form.genres, genre, on))}
          />
        ))}
      </div>
      <div role="radiogroup" aria-label="Genre match" class="row">
        {(["any", "all"] as const).map((match) => (
          <Choice
            key={match}
            type="radio"
            name="genreMatch"
            label={match === "any" ? "Any of them" : "All of them"}
            checked={form.genreMatch === match}
            onChange={() => set("genreMatch", match)}
          />
        ))}
      </div>
      <FieldError id="genres-error" error={props.error} />
    </fieldset>
  );
}

function NumberField(props: {
  id: keyof Form;
  label: string;
  hint: string | undefined;
  error: string | undefined;
  form: Form;
  set: SetField;
}) {
  const { id } = props;
  return (
    <InputField
      id={id}
      label={props.label}
      error={props.error}
      hint={props.hint}
      type="number"
      inputMode="decimal"
      value={props.form[id] as string}
      onInput={(value) => props.set(id, value as never)}
    />
  );
}

function Preview(props: { items: PreviewItem[] | undefined; loading: boolean; message: string | undefined }) {
  const { items: preview, loading } = props;
  return (
    <section class="preview" aria-labelledby="preview-title" aria-busy={loading}>
      <h3 id="preview-title">Preview</h3>
      <p class="hint" role="status">
        {loading
          ? "Updating…"
          : preview
            ? `${preview.length} titles${preview.length > 0 ? ", best first" : ": no title matches these filters"}`
            : (props.message ?? "")}
      </p>
      {preview && preview.length > 0 && (
        <ol class="preview-list">
          {preview.slice(0, 50).map((item) => (
            <li key={`${item.mediaType}-${item.rank}`}>
              {item.title}{" "}
              <span class="hint">
                ({item.year}, {item.mediaType}, ★ {item.rating.toFixed(1)})
              </span>
            </li>
          ))}
        </ol>
      )}
      {preview && preview.length > 50 && <p class="hint">…and {preview.length - 50} more.</p>}
    </section>
  );
}
