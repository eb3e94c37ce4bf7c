import { CacheService } from '@backstage/backend-plugin-api';
import { JsonValue } from '@backstage/types';

/** A CacheService in memory that honours `ttl` (milliseconds). */
export class MemoryCache implements CacheService {
  readonly entries = new Map<string, { value: JsonValue; expires: number }>();

  async get<T extends JsonValue>(key: string): Promise<T | undefined> {
    const e = this.entries.get(key);
    if (!e || e.expires < Date.now()) return undefined;
    return structuredClone(e.value) as T;
  }

  async set(
    key: string,
    value: JsonValue,
    options?: { ttl?: number | object },
  ): Promise<void> {
    const ttl = typeof options?.ttl === 'number' ? options.ttl : 60_000;
    this.entries.set(key, {
      value: structuredClone(value),
      expires: Date.now() + ttl,
    });
  }

  async delete(key: string): Promise<void> {
    this.entries.delete(key);
  }

  withOptions(): CacheService {
    return this;
  }
}
