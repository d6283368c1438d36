/** CalendarCache: one shared calendar list, every page of it, dropped when the account changes. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CalendarCache } from '../../../src/session/calendar-cache.js';
import { TkError } from '../../../src/session/errors.js';
import type { TimekitCalendar } from '../../../src/shared/timekit.js';

const calendar = (id: string, providerSync = false) => ({ id, provider_sync: providerSync }) as TimekitCalendar;

/** A CalendarCache over a client that answers each GET with the next of `pages` (or throws it). */
function rig(...pages: Array<{ data: TimekitCalendar[]; last_page?: number } | Error>) {
  const paths: string[] = [];
  let drops = 0;
  const client = {
    request: async <T>(_method: string, path: string): Promise<T | undefined> => {
      paths.push(path);
      const page = pages.shift();
      if (page instanceof Error) throw page;
      return page as T;
    },
  };
  const cache = new CalendarCache(client, () => drops++);
  return { cache, paths, drops: () => drops };
}

describe('CalendarCache', () => {
  it('loads once for every caller', async () => {
    const { cache, paths } = rig({ data: [calendar('a')] });
    const [first, second] = await Promise.all([cache.list(), cache.list()]);
    assert.deepEqual(first, [calendar('a')]);
    assert.deepEqual(second, first);
    assert.equal(paths.length, 1);
  });

  it('reads every page', async () => {
    const { cache, paths } = rig({ data: [calendar('a')], last_page: 2 }, { data: [calendar('b')], last_page: 2 });
    assert.deepEqual(await cache.list(), [calendar('a'), calendar('b')]);
    assert.deepEqual(paths, ['/calendars?limit=1000&page=1', '/calendars?limit=1000&page=2']);
  });

  it('does not keep a failed load: the next call asks again', async () => {
    const { cache, paths } = rig(new TkError('network'), { data: [calendar('a')] });
    await assert.rejects(cache.list(), TkError);
    assert.deepEqual(await cache.list(), [calendar('a')]);
    assert.equal(paths.length, 2);
  });

  it('lets one caller stop waiting without stopping the load for the others', async () => {
    const { cache } = rig({ data: [calendar('a')] });
    const controller = new AbortController();
    const abandoned = cache.list(controller.signal);
    const kept = cache.list();
    controller.abort();
    await assert.rejects(abandoned, { name: 'AbortError' });
    assert.deepEqual(await kept, [calendar('a')]);
  });

  it('starts from the calendars that came with the session, unless a load is under way', async () => {
    const seeded = rig();
    seeded.cache.seed([calendar('s')]);
    assert.deepEqual(await seeded.cache.list(), [calendar('s')]);
    assert.equal(seeded.paths.length, 0);

    const loading = rig({ data: [calendar('a')] });
    const load = loading.cache.list();
    loading.cache.seed([calendar('s')]);
    assert.deepEqual(await load, [calendar('a')]);
    assert.deepEqual(await loading.cache.list(), [calendar('a')]);
  });

  it('puts a saved calendar in place of its cached copy', async () => {
    const { cache } = rig({ data: [calendar('a'), calendar('b')] });
    await cache.list();
    cache.replace('b', calendar('b', true));
    assert.deepEqual(await cache.list(), [calendar('a'), calendar('b', true)]);
  });

  it('drops the list, grows its version and says so', async () => {
    const { cache, paths, drops } = rig({ data: [calendar('a')] }, { data: [calendar('z')] });
    await cache.list();
    cache.drop();
    assert.equal(cache.version, 1);
    assert.equal(drops(), 1);
    assert.deepEqual(await cache.list(), [calendar('z')]);
    assert.equal(paths.length, 2);
  });
});
