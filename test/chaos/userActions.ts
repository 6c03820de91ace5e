/**
 * What the users do during the chaos, through our API: create manual and custom lists (one deleted at
 * once), then keep editing them (add and remove items, change filters, rename, ask for a sync twice)
 * and delete one list mid-chaos. Each action updates the scenario's model of the list when it succeeds.
 */
import type { CustomListFilters } from "#domain/filters.ts";
import { type ChaosRun, dedupe, key, sleep, type TrackedList, type UserState } from "./run.ts";

const genres = ["drama", "comedy", "science-fiction", "thriller", "action", "horror", "documentary", "war"];

/** Lists are created during the chaos, users in parallel; one extra list per user is deleted at once. */
export async function createLists(run: ChaosRun): Promise<void> {
  const { settings, dice, lists, tally } = run;
  await Promise.all(
    run.users.map(async (user) => {
      for (let l = 0; l < settings.listsPerUser; l++) {
        const list = await createList(run, user, l);
        if (list) lists.push(list);
        await sleep(dice.between([200, 1_500]));
      }
      const shortLived = await createList(run, user, settings.listsPerUser);
      if (shortLived) {
        lists.push(shortLived);
        await sleep(dice.between([0, 800]));
        if (
          tally.expectOk("DELETE short-lived list", await user.api.delete(`/lists/${shortLived.id}`), 204)
        ) {
          shortLived.deleted = true;
          shortLived.shortLived = true;
          tally.edits.deleteJustCreated = (tally.edits.deleteJustCreated ?? 0) + 1;
        }
      }
    }),
  );
}

/** Even indexes: a manual list with two titles Trakt cannot match; odd: a custom list of random filters. */
async function createList(run: ChaosRun, user: UserState, index: number): Promise<TrackedList | undefined> {
  const { settings, dice, catalog, tally } = run;
  const manual = index % 2 === 0;
  const size = Math.round(dice.between([settings.minItems, settings.maxItems]));
  const title = `${manual ? "Picks" : "Best of"} ${user.userId} #${index + 1}`;
  const made = { user, title, deleted: false, edits: [] };
  if (manual) {
    const offset = Math.floor(dice.random() * (catalog.known.length - size));
    const picks = catalog.known.slice(offset, offset + size - 2);
    // Two titles Trakt cannot match, somewhere in the list.
    for (let i = 0; i < 2; i++)
      picks.splice(Math.floor(dice.random() * picks.length), 0, dice.pick(catalog.unknown));
    const items = dedupe(picks).map((t) => ({ mediaType: t.mediaType, tmdbId: t.tmdbId }));
    const response = await user.api.post("/lists", { title, listType: "manual", items });
    if (!tally.expectOk(`POST /lists (${title})`, response, 201)) return undefined;
    const mixed = new Set(items.map((i) => i.mediaType)).size > 1;
    return {
      ...made,
      id: response.body.id,
      listType: "manual",
      items: items.map(key),
      initialSize: items.length,
      mixed,
    };
  }
  const filters = randomFilters(run);
  const response = await user.api.post("/lists", { title, listType: "custom", filters, itemLimit: size });
  if (!tally.expectOk(`POST /lists (${title})`, response, 201)) return undefined;
  const mixed = filters.mediaTypes === undefined;
  return {
    ...made,
    id: response.body.id,
    listType: "custom",
    items: [],
    filters,
    itemLimit: size,
    initialSize: size,
    mixed,
  };
}

function randomFilters({ dice }: ChaosRun): Partial<CustomListFilters> {
  const chosen = [dice.pick(genres), dice.pick(genres)];
  return dice.random() < 0.5
    ? { genres: [...new Set(chosen)], minVotes: Math.floor(dice.random() * 2_000) }
    : {
        genres: [chosen[0]!],
        yearFrom: 1960 + Math.floor(dice.random() * 40),
        mediaTypes: [dice.pick(["movie", "show"] as const)],
      };
}

/** A user edit every `editEveryMs` until the chaos ends; halfway through, one list is deleted. */
export async function editUntil(run: ChaosRun, phase: { started: number; ends: number }): Promise<void> {
  const { settings, dice } = run;
  let deletedMidway = false;
  while (Date.now() < phase.ends) {
    await sleep(dice.between(settings.editEveryMs));
    const candidates = run.lists.filter((l) => !l.deleted);
    if (candidates.length === 0) break;
    if (!deletedMidway && Date.now() > phase.started + (phase.ends - phase.started) / 2) {
      // One list deleted mid-chaos, whatever its sync is doing.
      deletedMidway = true;
      await deleteList(run, dice.pick(candidates));
      continue;
    }
    await editOne(run, dice.pick(candidates));
  }
}

async function editOne(run: ChaosRun, list: TrackedList): Promise<void> {
  const roll = run.dice.random();
  if (list.listType === "manual" && roll < 0.35) await addItems(run, list);
  else if (list.listType === "manual" && roll < 0.65 && list.items.length > 1) await removeItem(run, list);
  else if (list.listType === "custom" && roll < 0.5) await changeFilters(run, list);
  else if (roll < 0.8) await rename(run, list);
  else await syncTwice(run, list);
}

async function deleteList({ tally }: ChaosRun, list: TrackedList): Promise<void> {
  if (tally.expectOk("DELETE list", await list.user.api.delete(`/lists/${list.id}`), 204)) {
    list.deleted = true;
    tally.count("deleteList", list);
  }
}

/** One to four titles not on the list yet, some of them unknown to Trakt. */
async function addItems({ dice, catalog, tally }: ChaosRun, list: TrackedList): Promise<void> {
  const onList = new Set(list.items);
  const fresh = Array.from({ length: 1 + Math.floor(dice.random() * 4) }, () =>
    dice.random() < 0.15 ? dice.pick(catalog.unknown) : dice.pick(catalog.known),
  ).filter((t) => !onList.has(key(t)));
  const items = dedupe(fresh).map((t) => ({ mediaType: t.mediaType, tmdbId: t.tmdbId }));
  if (items.length === 0) return;
  if (tally.expectOk("POST items", await list.user.api.post(`/lists/${list.id}/items`, { items }), 200)) {
    list.items.push(...items.map(key));
    tally.count("addItems", list);
  }
}

async function removeItem({ dice, tally }: ChaosRun, list: TrackedList): Promise<void> {
  const victim = dice.pick(list.items);
  const [mediaType, tmdbId] = victim.split(":");
  const response = await list.user.api.delete(`/lists/${list.id}/items/${mediaType}/${tmdbId}`);
  if (tally.expectOk("DELETE item", response, 204)) {
    list.items = list.items.filter((k) => k !== victim);
    tally.count("removeItem", list);
  }
}

async function changeFilters(run: ChaosRun, list: TrackedList): Promise<void> {
  const filters = randomFilters(run);
  if (run.tally.expectOk("PATCH filters", await list.user.api.patch(`/lists/${list.id}`, { filters }), 200)) {
    list.filters = filters;
    run.tally.count("changeFilters", list);
  }
}

async function rename({ dice, tally }: ChaosRun, list: TrackedList): Promise<void> {
  const title = `${list.title.split(" (")[0]} (v${Math.floor(dice.random() * 1000)})`;
  if (tally.expectOk("PATCH title", await list.user.api.patch(`/lists/${list.id}`, { title }), 200)) {
    list.title = title;
    tally.count("rename", list);
  }
}

/** The same sync asked for twice, back to back. */
async function syncTwice({ tally }: ChaosRun, list: TrackedList): Promise<void> {
  const first = await list.user.api.post(`/lists/${list.id}/sync`);
  const second = await list.user.api.post(`/lists/${list.id}/sync`);
  if (tally.expectOk("POST sync", first, 202) && tally.expectOk("POST sync", second, 202)) {
    tally.duplicateSyncRequests++;
    list.edits.push({ at: Date.now(), kind: "syncTwice" });
  }
}
