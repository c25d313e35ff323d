/**
 * Every row of a keyset-paged read: `fetch` answers the page after a cursor (none: the first),
 * `cursorOf` makes the next cursor from a page's last row; a short page is the last.
 */
export async function* keysetPages<Row, Cursor>(
  fetch: (after: Cursor | undefined) => Promise<readonly Row[]>,
  cursorOf: (last: Row) => Cursor,
  pageSize: number,
): AsyncGenerator<Row> {
  let after: Cursor | undefined;
  for (;;) {
    const page = await fetch(after);
    yield* page;
    const last = page.at(-1);
    if (last === undefined || page.length < pageSize) return;
    after = cursorOf(last);
  }
}
