import { mount } from 'svelte';
import App from './App.svelte';
import { playground } from './lib/playground';
import './app.css';

// The worker's API, for the browser console: `await mqttPlayground.status()`
(globalThis as { mqttPlayground?: unknown }).mqttPlayground = playground();

export default mount(App, { target: document.getElementById('app')! });
