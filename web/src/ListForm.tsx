import { useEffect, useRef, useState } from "preact/hooks";
import type { Api } from "./api.ts";
import {
  addPick,
  createRequest,
  emptyForm,
  type ListForm as Form,
  formFromList,
  genres,
  type ListView,
  type MediaType,
  movePick,
  patchRequest,
  previewRequest,
  privacies,
  type TitlePick,
} from "./logic.ts";
import { Field, FieldError, fieldErrors } from "./ui.tsx";

const formFields = [
  "title",
  "listType",
  "privacy",
  "mediaTypes",
  "genres",
  "genreMatch",
  "languages",
  "yearFrom",
  "yearTo",
  "minRating",
  "minVotes",
  "itemLimit",
  "items",
] as const;

interface PreviewItem {
  rank: number;
  mediaType: MediaType;
  title: string;
  year: number;
  rating: number;
  votes: number;
}

type Errors = Record<string, string>;

/** New list (no `list`) or Edit (`list` given): title, type, privacy, filters with a live preview, or picks. */
export function ListForm(props: { api: Api; list?: ListView; onDone: (listId?: string) => void }) {
  const editing = props.list;
  const [form, setForm] = useState<Form>(editing ? formFromList(editing) : emptyForm());
  const [picks, setPicks] = useState<TitlePick[]>([]);
  const [errors, setErrors] = useState<Errors>({});
  const [formError, setFormError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof Form>(name: K, value: Form[K]) => setForm((f) => ({ ...f, [name]: value }));

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

  const isCustom = form.listType === "custom";
  return (
    <form class="card list-form" onSubmit={submit} noValidate aria-labelledby="form-title">
      <h2 id="form-title">{editing ? `Edit “${editing.title}”` : "New list"}</h2>
      <div class="grid">
        <Field id="title" label="Title" error={errors.title}>
          {(d, invalid) => (
            <input
              id="title"
              value={form.title}
              maxLength={200}
              aria-describedby={d}
              aria-invalid={invalid}
              onInput={(e) => set("title", e.currentTarget.value)}
            />
          )}
        </Field>
        {!editing && (
          <fieldset class="field">
            <legend>Type</legend>
            {(["custom", "manual"] as const).map((type) => (
              <label class="inline" key={type}>
                <input
                  type="radio"
                  name="listType"
                  value={type}
                  checked={form.listType === type}
                  onChange={() => set("listType", type)}
                />
                {type === "custom" ? "Custom" : "Manual"}
              </label>
            ))}
            <FieldError id="listType-error" error={errors.listType} />
          </fieldset>
        )}
        <Field id="privacy" label="Privacy" error={errors.privacy}>
          {(d) => (
            <select
              id="privacy"
              value={form.privacy}
              aria-describedby={d}
              onChange={(e) => set("privacy", e.currentTarget.value as Form["privacy"])}
            >
              {privacies.map((p) => (
                <option value={p} key={p}>
                  {p}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field
          id="itemLimit"
          label="Item limit"
          error={errors.itemLimit}
          hint={isCustom ? "1–5000; default 100" : "1–5000; default 5000"}
        >
          {(d, invalid) => (
            <input
              id="itemLimit"
              type="number"
              inputMode="numeric"
              value={form.itemLimit}
              aria-describedby={d}
              aria-invalid={invalid}
              onInput={(e) => set("itemLimit", e.currentTarget.value)}
            />
          )}
        </Field>
      </div>
      {isCustom ? (
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

function CustomFilters(props: {
  api: Api;
  form: Form;
  set: <K extends keyof Form>(name: K, value: Form[K]) => void;
  errors: Errors;
}) {
  const { form, set, errors } = props;
  const [preview, setPreview] = useState<PreviewItem[]>();
  const [previewErrors, setPreviewErrors] = useState<Errors>({});
  const [previewMessage, setPreviewMessage] = useState<string>();
  const [loading, setLoading] = useState(false);
  const seq = useRef(0);
  const { title: _title, ...filterPart } = form;
  const key = JSON.stringify(filterPart);

  // Live, debounced preview: 300 ms after the last change; only the latest answer is shown.
  useEffect(() => {
    const mine = ++seq.current;
    setLoading(true);
    const timer = setTimeout(async () => {
      try {
        const answer = await props.api.send<{ items: PreviewItem[] }>(
          "POST",
          "/lists/preview",
          previewRequest(form),
        );
        if (mine !== seq.current) return;
        setPreview(answer.items);
        setPreviewErrors({});
        setPreviewMessage(undefined);
      } catch (error) {
        if (mine !== seq.current) return;
        const split = fieldErrors(error, formFields);
        setPreviewErrors(split.byField);
        setPreviewMessage(split.form);
        setPreview(undefined);
      } finally {
        if (mine === seq.current) setLoading(false);
      }
    }, 300);
    return () => clearTimeout(timer);
  }, [key]);

  const err = (name: string) => errors[name] ?? previewErrors[name];
  const number = (id: keyof Form, label: string, hint?: string) => (
    <Field id={id} label={label} error={err(id)} {...(hint ? { hint } : {})}>
      {(d, invalid) => (
        <input
          id={id}
          type="number"
          inputMode="decimal"
          value={form[id] as string}
          aria-describedby={d}
          aria-invalid={invalid}
          onInput={(e) => set(id, e.currentTarget.value as never)}
        />
      )}
    </Field>
  );
  const toggle = <T extends string>(values: readonly T[], value: T, on: boolean) =>
    on ? [...values.filter((v) => v !== value), value] : values.filter((v) => v !== value);

  return (
    <div class="custom">
      <div class="filters">
        <fieldset class="field">
          <legend>Media types</legend>
          {(["movie", "show"] as const).map((type) => (
            <label class="inline" key={type}>
              <input
                type="checkbox"
                checked={form.mediaTypes.includes(type)}
                onChange={(e) => set("mediaTypes", toggle(form.mediaTypes, type, e.currentTarget.checked))}
              />
              {type === "movie" ? "Movies" : "Shows"}
            </label>
          ))}
          <FieldError id="mediaTypes-error" error={err("mediaTypes")} />
        </fieldset>
        <fieldset class="field genres">
          <legend>Genres</legend>
          <div class="chips">
            {genres.map((genre) => (
              <label class="inline chip" key={genre}>
                <input
                  type="checkbox"
                  checked={form.genres.includes(genre)}
                  onChange={(e) => set("genres", toggle(form.genres, genre, e.currentTarget.checked))}
                />
                {genre}
              </label>
            ))}
          </div>
          <div role="radiogroup" aria-label="Genre match" class="row">
            {(["any", "all"] as const).map((match) => (
              <label class="inline" key={match}>
                <input
                  type="radio"
                  name="genreMatch"
                  checked={form.genreMatch === match}
                  onChange={() => set("genreMatch", match)}
                />
                {match === "any" ? "Any of them" : "All of them"}
              </label>
            ))}
          </div>
          <FieldError id="genres-error" error={err("genres")} />
        </fieldset>
        <div class="grid">
          <Field
            id="languages"
            label="Languages"
            error={err("languages")}
            hint="Two-letter codes, e.g. en, fr"
          >
            {(d, invalid) => (
              <input
                id="languages"
                value={form.languages}
                aria-describedby={d}
                aria-invalid={invalid}
                onInput={(e) => set("languages", e.currentTarget.value)}
              />
            )}
          </Field>
          {number("yearFrom", "Year from")}
          {number("yearTo", "Year to")}
          {number("minRating", "Minimum rating", "0–10")}
          {number("minVotes", "Minimum votes")}
        </div>
      </div>
      <section class="preview" aria-labelledby="preview-title" aria-busy={loading}>
        <h3 id="preview-title">Preview</h3>
        <p class="hint" role="status">
          {loading
            ? "Updating…"
            : preview
              ? `${preview.length} titles${preview.length > 0 ? ", best first" : ": no title matches these filters"}`
              : (previewMessage ?? "")}
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
    </div>
  );
}

interface SearchItem extends TitlePick {
  rating: number;
}

function ManualPicks(props: {
  api: Api;
  picks: TitlePick[];
  setPicks: (update: (picks: TitlePick[]) => TitlePick[]) => void;
  error?: string | undefined;
}) {
  const [query, setQuery] = useState("");
  const [results, setResults] = useState<SearchItem[]>([]);
  const [message, setMessage] = useState<string>();
  useEffect(() => {
    if (query.trim().length < 2) {
      setResults([]);
      setMessage(undefined);
      return;
    }
    let current = true;
    const timer = setTimeout(async () => {
      try {
        const answer = await props.api.get<{ items: SearchItem[] }>(
          `/catalog/search?q=${encodeURIComponent(query.trim())}&limit=20`,
        );
        if (!current) return;
        setResults(answer.items);
        setMessage(answer.items.length === 0 ? "No title matches." : undefined);
      } catch (error) {
        if (current) setMessage(error instanceof Error ? error.message : String(error));
      }
    }, 250);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [query]);

  const label = (pick: TitlePick) => `${pick.title}${pick.year ? ` (${pick.year})` : ""}`;
  return (
    <div class="manual">
      <section aria-labelledby="search-title">
        <h3 id="search-title">Find titles</h3>
        <Field id="search" label="Search titles">
          {(d) => (
            <input
              id="search"
              type="search"
              value={query}
              aria-describedby={d}
              onInput={(e) => setQuery(e.currentTarget.value)}
            />
          )}
        </Field>
        <p class="hint" role="status">
          {message ?? (results.length > 0 ? `${results.length} found` : "")}
        </p>
        <ul class="results">
          {results.map((item, index) => (
            <li key={`${item.mediaType}-${item.tmdbId ?? item.imdbId}`}>
              <span id={`result-${index}`}>
                {label(item)} <span class="hint">{item.mediaType}</span>
              </span>
              <button
                type="button"
                aria-describedby={`result-${index}`}
                onClick={() => props.setPicks((picks) => addPick(picks, item))}
              >
                Add
              </button>
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="picks-title">
        <h3 id="picks-title">Your picks, in order ({props.picks.length})</h3>
        <FieldError id="items-error" error={props.error} />
        {props.picks.length === 0 && <p class="hint">Search and press Add; the first pick is rank 1.</p>}
        <ol class="picks">
          {props.picks.map((pick, index) => (
            <li key={`${pick.mediaType}-${pick.tmdbId ?? pick.imdbId}`}>
              <span class="pick-title">{label(pick)}</span>
              <span class="row">
                <button
                  type="button"
                  aria-label={`Move ${label(pick)} up`}
                  disabled={index === 0}
                  onClick={() => props.setPicks((picks) => movePick(picks, index, -1))}
                >
                  ↑
                </button>
                <button
                  type="button"
                  aria-label={`Move ${label(pick)} down`}
                  disabled={index === props.picks.length - 1}
                  onClick={() => props.setPicks((picks) => movePick(picks, index, 1))}
                >
                  ↓
                </button>
                <button
                  type="button"
                  aria-label={`Remove ${label(pick)}`}
                  onClick={() => props.setPicks((picks) => picks.filter((_, i) => i !== index))}
                >
                  ✕
                </button>
              </span>
            </li>
          ))}
        </ol>
      </section>
    </div>
  );
}
