import { PromiseCache } from './promise-cache';

describe('PromiseCache', () => {
  beforeEach(() => jest.useFakeTimers({ now: new Date('2026-12-04T10:00:00Z') }));
  afterEach(() => jest.useRealTimers());

  it('shares one computation per key until it expires', async () => {
    const cache = new PromiseCache<number>();
    let calls = 0;
    const load = jest.fn(async () => ++calls);
    expect(await Promise.all([cache.get('a', 1000, load), cache.get('a', 1000, load)])).toEqual([1, 1]);
    expect(await cache.get('b', 1000, load)).toBe(2);
    jest.advanceTimersByTime(999);
    expect(await cache.get('a', 1000, load)).toBe(1);
    jest.advanceTimersByTime(1);
    expect(await cache.get('a', 1000, load)).toBe(3);
    expect(load).toHaveBeenCalledTimes(3);
  });

  it('drops a failed computation: the next caller tries again', async () => {
    const cache = new PromiseCache<string>();
    await expect(cache.get('a', 1000, () => Promise.reject(new Error('base indisponible')))).rejects.toThrow('base indisponible');
    expect(await cache.get('a', 1000, async () => 'compté')).toBe('compté');
  });
});
