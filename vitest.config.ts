import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // runes modules (*.svelte.ts) of the page are unit-tested too
  plugins: [svelte()],
  test: {
    environment: 'node',
    include: ['test/unit/**/*.test.ts', 'test/interop/**/*.test.ts'],
  },
});
