import { useEffect, useState } from "preact/hooks";
import type { Api } from "./api.ts";
import { addPick, movePick, type TitlePick } from "./logic.ts";
import { Field, FieldError } from "./ui.tsx";

interface SearchItem extends TitlePick {
  rating: number;
}

type SetPicks = (update: (picks: TitlePick[]) => TitlePick[]) => void;

const label = (pick: TitlePick) => `${pick.title}${pick.year ? ` (${pick.year})` : ""}`;
const pickKey = (pick: TitlePick) => `${pick.mediaType}-${pick.tmdbId ?? pick.imdbId}`;

/** A manual list's titles: a catalog search with Add buttons, and the picks in order. */
export function ManualPicks(props: {
  api: Api;
  picks: TitlePick[];
  setPicks: SetPicks;
  error?: string | undefined;
}) {
  const [query, setQuery] = useState("");
  const search = useTitleSearch(props.api, query);
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
          {search.message ?? (search.results.length > 0 ? `${search.results.length} found` : "")}
        </p>
        <SearchResults
          results={search.results}
          onAdd={(item) => props.setPicks((picks) => addPick(picks, item))}
        />
      </section>
      <section aria-labelledby="picks-title">
        <h3 id="picks-title">Your picks, in order ({props.picks.length})</h3>
        <FieldError id="items-error" error={props.error} />
        {props.picks.length === 0 && <p class="hint">Search and press Add; the first pick is rank 1.</p>}
        <Picks picks={props.picks} setPicks={props.setPicks} />
      </section>
    </div>
  );
}

/** Catalog titles matching `query` (two characters or more), 250 ms after the last keystroke. */
function useTitleSearch(api: Api, query: string) {
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
        const answer = await api.get<{ items: SearchItem[] }>(
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
  return { results, message };
}

function SearchResults(props: { results: SearchItem[]; onAdd: (item: SearchItem) => void }) {
  return (
    <ul class="results">
      {props.results.map((item, index) => (
        <li key={pickKey(item)}>
          <span id={`result-${index}`}>
            {label(item)} <span class="hint">{item.mediaType}</span>
          </span>
          <button type="button" aria-describedby={`result-${index}`} onClick={() => props.onAdd(item)}>
            Add
          </button>
        </li>
      ))}
    </ul>
  );
}

function Picks(props: { picks: TitlePick[]; setPicks: SetPicks }) {
  const { setPicks } = props;
  return (
    <ol class="picks">
      {props.picks.map((pick, index) => (
        <li key={pickKey(pick)}>
          <span class="pick-title">{label(pick)}</span>
          <span class="row">
            <button
              type="button"
              aria-label={`Move ${label(pick)} up`}
              disabled={index === 0}
              onClick={() => setPicks((picks) => movePick(picks, index, -1))}
            >
              ↑
            </button>
            <button
              type="button"
              aria-label={`Move ${label(pick)} down`}
              disabled={index === props.picks.length - 1}
              onClick={() => setPicks((picks) => movePick(picks, index, 1))}
            >
              ↓
            </button>
            <button
              type="button"
              aria-label={`Remove ${label(pick)}`}
              onClick={() => setPicks((picks) => picks.filter((_, i) => i !== index))}
            >
              ✕
            </button>
          </span>
        </li>
      ))}
    </ol>
  );
}
