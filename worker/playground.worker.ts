// Worker entry: the only place in worker/ that knows about Comlink.
import * as Comlink from 'comlink';
import { createPlayground } from './sim/playground';

Comlink.expose(createPlayground('worker'));
