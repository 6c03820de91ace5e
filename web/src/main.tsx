import { render } from "preact";
import { useCallback, useEffect, useMemo, useState } from "preact/hooks";
import { type Api, createApi } from "./api.ts";
import {
  clearSession,
  completeCognitoSignIn,
  loadSession,
  type PageConfig,
  type Session,
  signOut,
} from "./auth.ts";
import { ListDetail } from "./ListDetail.tsx";
import { ListForm } from "./ListForm.tsx";
import { ListsTable } from "./ListsTable.tsx";
import { type ListView, needsAutoRefresh } from "./logic.ts";
import { SignIn } from "./SignIn.tsx";
import { type LinkStatus, TraktLink } from "./TraktLink.tsx";

/** How often the page refreshes lists while any is pending or syncing. */
const refreshMs = 1_500;

function useHashRoute(): string {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const onChange = () => setHash(location.hash);
    addEventListener("hashchange", onChange);
    return () => removeEventListener("hashchange", onChange);
  }, []);
  return hash.replace(/^#/, "") || "/";
}

function go(path: string) {
  location.hash = path;
}

function App(props: { config: PageConfig }) {
  const { config } = props;
  const { session, setSession, api } = useSessionApi(config);
  const route = useHashRoute();
  const { lists, setLists, link, error, refresh, busy } = useListsAndLink(api, session, route);

  if (!session) {
    return (
      <Shell>
        <SignIn config={config} onSignedIn={() => setSession(loadSession())} />
      </Shell>
    );
  }

  const authProblem = lists?.some((l) => l.sync.state === "auth_required") ?? false;
  const traktSlug = link?.traktSlug ?? null;
  return (
    <Shell
      user={session.userName}
      onSignOut={() => {
        signOut(config);
        setSession(undefined);
        setLists(undefined);
        go("/");
      }}
    >
      <TraktLink api={api} status={link} authProblem={authProblem} onChange={() => void refresh()} />
      {error && (
        <p class="notice bad" role="alert">
          {error}
        </p>
      )}
      <Page
        route={route}
        api={api}
        lists={lists}
        config={config}
        traktSlug={traktSlug}
        busy={busy}
        refresh={refresh}
      />
    </Shell>
  );
}

/** The signed-in session (from storage) and the API client that sends its token; a 401 signs out. */
function useSessionApi(config: PageConfig) {
  const [session, setSession] = useState(loadSession());
  const api = useMemo(
    () =>
      createApi(
        config.apiBaseUrl,
        () => session?.token,
        () => {
          clearSession();
          setSession(undefined);
        },
      ),
    [session],
  );
  return { session, setSession, api };
}

/**
 * The user's lists and Trakt link, read again on every route change and, while any list is pending or
 * syncing, every `refreshMs` by itself (no reload).
 */
function useListsAndLink(api: Api, session: Session | undefined, route: string) {
  const [lists, setLists] = useState<ListView[]>();
  const [link, setLink] = useState<LinkStatus>();
  const [error, setError] = useState<string>();
  const refresh = useCallback(async () => {
    if (!session) return;
    try {
      const [answer, status] = await Promise.all([
        api.get<{ lists: ListView[] }>("/lists"),
        api.get<LinkStatus>("/trakt/link"),
      ]);
      setLists(answer.lists);
      setLink(status);
      setError(undefined);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  }, [api, session]);
  useEffect(() => {
    void refresh();
  }, [refresh, route]);
  const busy = lists ? needsAutoRefresh(lists) : false;
  useEffect(() => {
    if (!busy) return;
    const timer = setInterval(() => void refresh(), refreshMs);
    return () => clearInterval(timer);
  }, [busy, refresh]);
  return { lists, setLists, link, error, refresh, busy };
}

interface PageProps {
  route: string;
  api: Api;
  lists: ListView[] | undefined;
  config: PageConfig;
  traktSlug: string | null;
  busy: boolean;
  refresh: () => Promise<void>;
}

/** What the route shows: the new-list form (`/new`), a list (`/lists/{id}`), or all lists. */
function Page(props: PageProps) {
  const { route, api, lists } = props;
  if (route === "/new") return <ListForm api={api} onDone={(id) => go(id ? `/lists/${id}` : "/")} />;
  const detailId = /^\/lists\/([^/]+)$/.exec(route)?.[1];
  if (!detailId) return <AllLists {...props} />;
  const detail = lists?.find((l) => l.id === detailId);
  if (!detail) return <p class="hint">{lists ? "No such list." : "Loading…"}</p>;
  return (
    <ListDetail
      api={api}
      list={detail}
      traktListUrl={props.config.traktListUrl}
      traktSlug={props.traktSlug}
      onChanged={() => void props.refresh()}
      onDeleted={() => go("/")}
    />
  );
}

function AllLists(props: PageProps) {
  const { lists } = props;
  return (
    <section class="card" aria-labelledby="lists-title">
      <div class="row spread">
        <h2 id="lists-title">Your lists</h2>
        <button type="button" class="primary" onClick={() => go("/new")}>
          New list
        </button>
      </div>
      {props.busy && (
        <p class="hint" role="status">
          Some lists are on their way to Trakt; this table updates by itself.
        </p>
      )}
      {lists ? (
        <ListsTable lists={lists} traktListUrl={props.config.traktListUrl} traktSlug={props.traktSlug} />
      ) : (
        <p class="hint">Loading…</p>
      )}
    </section>
  );
}

function Shell(props: { user?: string; onSignOut?: () => void; children: preact.ComponentChildren }) {
  return (
    <>
      <header class="top">
        <h1>
          <a href="#/">Trakt list sync</a>
        </h1>
        {props.user && (
          <div class="row">
            <span class="hint">Signed in as {props.user}</span>
            <button type="button" onClick={props.onSignOut}>
              Sign out
            </button>
          </div>
        )}
      </header>
      <main id="main">{props.children}</main>
    </>
  );
}

async function start() {
  const root = document.getElementById("app")!;
  root.textContent = "";
  const config = (await (await fetch("/config.json")).json()) as PageConfig;
  config.traktListUrl ??= "https://trakt.tv/users/{user}/lists/{list}";
  await completeCognitoSignIn(config);
  render(<App config={config} />, root);
  performance.mark("app-rendered");
}

void start();
