// The same public API from a CommonJS file (moduleResolution node16 picks the require types).
import core = require('@hookproof/core');

export async function check(body: string, headers: Record<string, string>): Promise<number> {
  const result = await core.verify({ vendor: 'timbrix', body, headers, secret: 's' });
  if (result.ok && result.event.type === 'member.added') return 200;
  // @ts-expect-error not a Timbrix event
  if (result.ok && result.event.type === 'post.published') return 0;
  return result.ok ? 202 : result.error.status;
}
