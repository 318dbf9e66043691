/**
 * How the learner looks at messages: per connection, the filter (direction,
 * topic, text), kept while switching between connections; for the whole
 * list, the payload format (MQTTX's Plaintext / JSON / Hex / Base64, plus Auto).
 */
import type { DisplayFormat } from './payload-render';
import type { Direction, MessageQuery } from './message-filter';

export class MessageFilterState implements MessageQuery {
  topic = $state('');
  text = $state('');
  direction = $state<Direction>('all');

  get active(): boolean {
    return this.topic !== '' || this.text !== '' || this.direction !== 'all';
  }

  reset(): void {
    this.topic = '';
    this.text = '';
    this.direction = 'all';
  }
}

class MessageViews {
  #filters = new Map<string, MessageFilterState>();
  /** Payload format of every message list. */
  format = $state<DisplayFormat>('auto');

  filter(name: string): MessageFilterState {
    let f = this.#filters.get(name);
    if (!f) this.#filters.set(name, (f = new MessageFilterState()));
    return f;
  }
}

export const messageViews = new MessageViews();
