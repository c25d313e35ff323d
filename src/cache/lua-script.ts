import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';

/**
 * A Lua script of src/cache/lua/ by file name, read once at start-up. The build copies the
 * folder next to the compiled modules (package.json `build`), so the same path works from src/
 * under vitest and from dist/ at run time.
 */
export interface LuaScript {
  source: string;
  sha1: string;
  numberOfKeys: number;
}

export function loadLua(name: string): LuaScript {
  const m = /-(\d+)\.lua$/.exec(name);
  if (!m?.[1]) throw new Error(`a Lua script's name must end in -<key count>.lua: ${name}`);
  const source = readFileSync(new URL(`./lua/${name}`, import.meta.url), 'utf8');
  return { source, sha1: createHash('sha1').update(source).digest('hex'), numberOfKeys: Number(m[1]) };
}

/** EVALSHA, falling back to EVAL once when the server does not have the script cached yet. */
export async function runLua(
  redis: Redis,
  script: LuaScript,
  keys: string[],
  args: string[],
): Promise<unknown> {
  if (keys.length !== script.numberOfKeys) throw new Error(`script takes ${script.numberOfKeys} keys`);
  try {
    return await redis.evalsha(script.sha1, script.numberOfKeys, ...keys, ...args);
  } catch (e) {
    if (!(e instanceof Error) || !e.message.startsWith('NOSCRIPT')) throw e;
    return redis.eval(script.source, script.numberOfKeys, ...keys, ...args);
  }
}
