import { mount } from 'svelte';
import App from './App.svelte';
import { i18n } from './lib/i18n/index.svelte';
import { playground } from './lib/playground';
import { store } from './lib/store.svelte';
import { theme } from './lib/theme.svelte';
import './app.css';

theme.init();
document.documentElement.lang = i18n.locale;

// The worker's API, for the browser console: `await mqttPlayground.status()`
(globalThis as { mqttPlayground?: unknown }).mqttPlayground = playground();
// the page's own state, for benchmarks and debugging
(globalThis as { __uiStore?: unknown }).__uiStore = store;

export default mount(App, { target: document.getElementById('app')! });
