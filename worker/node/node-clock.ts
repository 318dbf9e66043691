/**
 * The real clock for Node hosts, with timers that never keep the process
 * alive by themselves: while the host listens its servers do, and once it
 * has closed, a session expiring in an hour must not hold Node open.
 */
import { RealClock, type TimerId } from '../time/clock';

export class NodeClock extends RealClock {
  override setTimeout(fn: () => void, ms: number): TimerId {
    const id = super.setTimeout(fn, ms);
    (id as unknown as NodeJS.Timeout).unref();
    return id;
  }
}
