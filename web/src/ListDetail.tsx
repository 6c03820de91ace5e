import { useEffect, useRef, useState } from "preact/hooks";
import type { Api } from "./api.ts";
import { ListForm } from "./ListForm.tsx";
import { ago, itemCounts, type ListView, stateDisplay, traktListLink, whatToDo } from "./logic.ts";
import { StateBadge } from "./ui.tsx";

interface Item {
  rank: number;
  mediaType: string;
  tmdbId?: number;
  imdbId?: string | null;
  title: string;
  year: number | null;
  notFoundOnTrakt: boolean;
}

interface Changes {
  toAdd: { rank: number; title: string; year: number | null; mediaType: string }[];
  toRemove: {
    title: string | null;
    year: number | null;
    mediaType: string;
    tmdbId: number | null;
    traktRank: number;
  }[];
  reorder: boolean;
  traktItemCount: number;
  checkedAt: string;
}

export function ListDetail(props: {
  api: Api;
  list: ListView;
  traktListUrl: string;
  traktSlug: string | null;
  onChanged: () => void;
  onDeleted: () => void;
}) {
  const { api, list } = props;
  const [items, setItems] = useState<Item[]>();
  const [changes, setChanges] = useState<Changes>();
  const [message, setMessage] = useState<string>();
  const [editing, setEditing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const cancelDelete = useRef<HTMLButtonElement>(null);
  // The confirmation takes the focus, on its safe choice.
  useEffect(() => {
    if (confirming) cancelDelete.current?.focus();
  }, [confirming]);
  const shown = stateDisplay(list.sync.state);
  const todo = whatToDo(list.sync.state);
  const link = traktListLink(props.traktListUrl, props.traktSlug, list);

  // Items follow the list: reloaded whenever its state or counts change (e.g. after a sync).
  useEffect(() => {
    api
      .get<{ items: Item[] }>(`/lists/${list.id}/items`)
      .then((answer) => setItems(answer.items))
      .catch((error) => setMessage(String(error instanceof Error ? error.message : error)));
  }, [list.id, list.sync.state, list.sync.localItemCount, list.sync.lastSyncedAt]);

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

  if (editing) {
    return (
      <ListForm
        api={api}
        list={list}
        onDone={() => {
          setEditing(false);
          setChanges(undefined);
          props.onChanged();
        }}
      />
    );
  }

  return (
    <article class="card detail" aria-labelledby="detail-title">
      <p>
        <a href="#/">← All lists</a>
      </p>
      <h2 id="detail-title">{list.title}</h2>
      <dl class="facts">
        <dt>State</dt>
        <dd>
          <StateBadge state={list.sync.state} /> <span class="hint">{shown.hint}</span>
        </dd>
        <dt>Type</dt>
        <dd>{list.listType}</dd>
        <dt>Privacy</dt>
        <dd>{list.privacy}</dd>
        <dt>Items here / on Trakt</dt>
        <dd>{itemCounts(list)}</dd>
        <dt>Last synced</dt>
        <dd>{ago(list.sync.lastSyncedAt)}</dd>
        <dt>On Trakt</dt>
        <dd>
          {link ? (
            <a href={link} target="_blank" rel="noreferrer">
              Open the Trakt list
            </a>
          ) : (
            "not yet"
          )}
        </dd>
      </dl>
      {list.sync.lastError && list.sync.state !== "synced" && (
        <div class="notice bad" role="status">
          <p>
            <strong>Last error:</strong> {list.sync.lastError.message}
          </p>
          {todo && (
            <p>
              <strong>What to do:</strong> {todo}
            </p>
          )}
        </div>
      )}
      <div class="row actions">
        <button
          type="button"
          disabled={busy}
          onClick={() => act(async () => setChanges(await api.get<Changes>(`/lists/${list.id}/changes`)))}
        >
          Pending changes
        </button>
        <button
          type="button"
          class="primary"
          disabled={busy}
          onClick={() =>
            act(async () => {
              await api.send("POST", `/lists/${list.id}/sync`);
              setChanges(undefined);
              setMessage("Sync queued.");
              props.onChanged();
            })
          }
        >
          Sync now
        </button>
        <button type="button" disabled={busy} onClick={() => setEditing(true)}>
          Edit
        </button>
        <button type="button" class="danger" disabled={busy} onClick={() => setConfirming(true)}>
          Delete list
        </button>
      </div>
      {confirming && (
        <div class="notice bad" role="alertdialog" aria-labelledby="confirm-text">
          <p id="confirm-text">Delete “{list.title}” here and its list on Trakt? This cannot be undone.</p>
          <div class="row">
            <button
              type="button"
              class="danger"
              onClick={() =>
                act(async () => {
                  await api.send("DELETE", `/lists/${list.id}`);
                  props.onDeleted();
                })
              }
            >
              Yes, delete
            </button>
            <button type="button" ref={cancelDelete} onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </div>
        </div>
      )}
      {message && (
        <p class="hint" role="status">
          {message}
        </p>
      )}
      {changes && <PendingChanges changes={changes} />}
      <section aria-labelledby="items-title">
        <h3 id="items-title">Items, in rank order</h3>
        {!items && <p class="hint">Loading…</p>}
        {items?.length === 0 && <p class="hint">No items (yet).</p>}
        {items && items.length > 0 && (
          <ol class="items">
            {items.map((item) => (
              <li
                key={`${item.mediaType}-${item.tmdbId ?? item.imdbId}`}
                class={item.notFoundOnTrakt ? "not-found" : ""}
              >
                {item.title}{" "}
                <span class="hint">
                  ({item.year ?? "?"}, {item.mediaType})
                </span>
                {item.notFoundOnTrakt && <span class="badge tone-warn">not found on Trakt</span>}
              </li>
            ))}
          </ol>
        )}
      </section>
    </article>
  );
}

function PendingChanges(props: { changes: Changes }) {
  const { changes } = props;
  const nothing = changes.toAdd.length === 0 && changes.toRemove.length === 0 && !changes.reorder;
  return (
    <section class="changes" aria-labelledby="changes-title">
      <h3 id="changes-title">What the next sync would do</h3>
      <p class="hint">
        Trakt holds {changes.traktItemCount} items (checked {ago(changes.checkedAt)}).
      </p>
      {nothing ? (
        <p>Nothing: Trakt already matches this list.</p>
      ) : (
        <ul>
          <li>
            Add {changes.toAdd.length}
            {changes.toAdd.length > 0 &&
              `: ${changes.toAdd
                .slice(0, 10)
                .map((i) => i.title)
                .join(", ")}`}
            {changes.toAdd.length > 10 && "…"}
          </li>
          <li>
            Remove {changes.toRemove.length}
            {changes.toRemove.length > 0 &&
              `: ${changes.toRemove
                .slice(0, 10)
                .map((i) => i.title ?? `${i.mediaType} ${i.tmdbId ?? "?"}`)
                .join(", ")}`}
          </li>
          <li>{changes.reorder ? "Reorder the items to match the ranks here" : "No reordering"}</li>
        </ul>
      )}
    </section>
  );
}
