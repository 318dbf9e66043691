/**
 * Sends a change of the broker's settings and answers with the worker's
 * refusal, if any: the error string names the setting at fault.
 */
import type { BrokerConfig } from '../../../worker/api';
import { store } from '../store.svelte';

export async function configure(partial: Partial<BrokerConfig>): Promise<string | undefined> {
  try {
    const r = await store.api.configureBroker(partial);
    return r.ok ? undefined : r.error;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}
