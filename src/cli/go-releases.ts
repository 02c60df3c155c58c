/** The Go release table a command that picks a builder image uses: live data unless --offline. */
import type { GoReleaseTable } from '../releases/types.js';
import type { OptionValues } from './command.js';
import { flagOption } from './options.js';

export async function builderReleases(options: OptionValues): Promise<GoReleaseTable> {
  const { loadGoReleases } = await import('../releases/load.js');
  return (await loadGoReleases({ offline: flagOption(options, 'offline') })).table;
}
