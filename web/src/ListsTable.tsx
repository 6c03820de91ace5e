import { ago, itemCounts, type ListView, traktListLink } from "./logic.ts";
import { StateBadge } from "./ui.tsx";

export function ListsTable(props: { lists: ListView[]; traktListUrl: string; traktSlug: string | null }) {
  if (props.lists.length === 0) {
    return <p class="hint">No lists yet. Press New list to make one.</p>;
  }
  return (
    <div class="table-wrap">
      <table>
        <caption class="sr-only">Your lists</caption>
        <thead>
          <tr>
            <th scope="col">Title</th>
            <th scope="col">Type</th>
            <th scope="col">State</th>
            <th scope="col">
              Items <span class="hint">here / on Trakt</span>
            </th>
            <th scope="col">Last synced</th>
            <th scope="col">On Trakt</th>
          </tr>
        </thead>
        <tbody>
          {props.lists.map((list) => {
            const link = traktListLink(props.traktListUrl, props.traktSlug, list);
            return (
              <tr key={list.id} data-list-id={list.id}>
                <th scope="row">
                  <a href={`#/lists/${list.id}`}>{list.title}</a>
                </th>
                <td data-label="Type">{list.listType}</td>
                <td data-label="State">
                  <StateBadge state={list.sync.state} />
                </td>
                <td data-label="Items">{itemCounts(list)}</td>
                <td data-label="Last synced">{ago(list.sync.lastSyncedAt)}</td>
                <td data-label="On Trakt">
                  {link ? (
                    <a href={link} target="_blank" rel="noreferrer" aria-label={`${list.title} on Trakt`}>
                      Open
                    </a>
                  ) : (
                    <span class="hint">not yet</span>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
