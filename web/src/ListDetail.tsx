import { useEffect, useRef, useState } from "preact/hooks";
import type { Api } from "./api.ts";
import { ListForm } from "./ListForm.tsx";
import { ago, itemCounts, type ListView, stateDisplay, traktListLink, whatToDo } from "./logic.ts";
import { StateBadge, useAction } from "./ui.tsx";

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

interface ListDetailProps {
  api: Api;
  list: ListView;
  traktListUrl: string;
  traktSlug: string | null;
  onChanged: () => void;
  onDeleted: () => void;
}

export function ListDetail(props: ListDetailProps) {
  const { api, list } = props;
  const [changes, setChanges] = useState<Changes>();
  const [editing, setEditing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const { busy, message, setMessage, showChanges, syncNow, deleteList } = useListCommands(props, setChanges);
  const items = useListItems(api, list, setMessage);

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
      <ListFacts list={list} link={traktListLink(props.traktListUrl, props.traktSlug, list)} />
      <LastError list={list} />
      <Actions
        busy={busy}
        onChanges={showChanges}
        onSync={syncNow}
        onEdit={() => setEditing(true)}
        onDelete={() => setConfirming(true)}
      />
      {confirming && (
        <DeleteConfirmation title={list.title} onConfirm={deleteList} onCancel={() => setConfirming(false)} />
      )}
      {message && (
        <p class="hint" role="status">
          {message}
        </p>
      )}
      {changes && <PendingChanges changes={changes} />}
      <ListItems items={items} />
    </article>
  );
}

function Actions(props: {
  busy: boolean;
  onChanges: () => void;
  onSync: () => void;
  onEdit: () => void;
  onDelete: () => void;
}) {
  const { busy } = props;
  return (
    <div class="row actions">
      <button type="button" disabled={busy} onClick={props.onChanges}>
        Pending changes
      </button>
      <button type="button" class="primary" disabled={busy} onClick={props.onSync}>
        Sync now
      </button>
      <button type="button" disabled={busy} onClick={props.onEdit}>
        Edit
      </button>
      <button type="button" class="danger" disabled={busy} onClick={props.onDelete}>
        Delete list
      </button>
    </div>
  );
}

/** What the buttons do: show the pending changes, queue a sync, delete the list. */
function useListCommands(props: ListDetailProps, setChanges: (changes: Changes | undefined) => void) {
  const { api, list } = props;
  const action = useAction();
  const { act, setMessage } = action;
  const showChanges = () => act(async () => setChanges(await api.get<Changes>(`/lists/${list.id}/changes`)));
  const syncNow = () =>
    act(async () => {
      await api.send("POST", `/lists/${list.id}/sync`);
      setChanges(undefined);
      setMessage("Sync queued.");
      props.onChanged();
    });
  const deleteList = () =>
    act(async () => {
      await api.send("DELETE", `/lists/${list.id}`);
      props.onDeleted();
    });
  return { ...action, showChanges, syncNow, deleteList };
}

/** The list's items, reloaded whenever its state or counts change (e.g. after a sync). */
function useListItems(api: Api, list: ListView, onError: (message: string) => void): Item[] | undefined {
  const [items, setItems] = useState<Item[]>();
  useEffect(() => {
    api
      .get<{ items: Item[] }>(`/lists/${list.id}/items`)
      .then((answer) => setItems(answer.items))
      .catch((error) => onError(String(error instanceof Error ? error.message : error)));
  }, [list.id, list.sync.state, list.sync.localItemCount, list.sync.lastSyncedAt]);
  return items;
}

function ListFacts(props: { list: ListView; link: string | undefined }) {
  const { list, link } = props;
  return (
    <dl class="facts">
      <dt>State</dt>
      <dd>
        <StateBadge state={list.sync.state} /> <span class="hint">{stateDisplay(list.sync.state).hint}</span>
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
  );
}

/** The last error and what to do about it, while the list is not synced. */
function LastError(props: { list: ListView }) {
  const { sync } = props.list;
  if (!sync.lastError || sync.state === "synced") return null;
  const todo = whatToDo(sync.state);
  return (
    <div class="notice bad" role="status">
      <p>
        <strong>Last error:</strong> {sync.lastError.message}
      </p>
      {todo && (
        <p>
          <strong>What to do:</strong> {todo}
        </p>
      )}
    </div>
  );
}

/** Asks before deleting; takes the focus, on its safe choice. */
function DeleteConfirmation(props: { title: string; onConfirm: () => void; onCancel: () => void }) {
  const cancel = useRef<HTMLButtonElement>(null);
  useEffect(() => cancel.current?.focus(), []);
  return (
    <div class="notice bad" role="alertdialog" aria-labelledby="confirm-text">
      <p id="confirm-text">Delete “{props.title}” here and its list on Trakt? This cannot be undone.</p>
      <div class="row">
        <button type="button" class="danger" onClick={props.onConfirm}>
          Yes, delete
        </button>
        <button type="button" ref={cancel} onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </div>
  );
}

function ListItems(props: { items: Item[] | undefined }) {
  const { items } = props;
  return (
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
