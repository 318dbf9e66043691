/**
 * The lazily loaded Monaco: the editor API without the TypeScript language
 * service (whose worker alone is 1.45 MiB gzip), the JSON language with its
 * worker, and a small "mqtt-hex" language for packets written as hex. Only
 * load-monaco.ts imports this module, dynamically.
 */
import * as monaco from 'monaco-editor/editor/editor.api';
import 'monaco-editor/features/register.all';
import { jsonDefaults } from 'monaco-editor/languages/features/json/register';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import JsonWorker from 'monaco-editor/language/json/json.worker?worker';

// Monaco asks for its workers by label; without this the editor worker fails to load
self.MonacoEnvironment = {
  getWorker(_id: string, label: string): Worker {
    return label === 'json' ? new JsonWorker() : new EditorWorker();
  },
};

export const HEX_LANGUAGE = 'mqtt-hex';

monaco.languages.register({ id: HEX_LANGUAGE });
monaco.languages.setMonarchTokensProvider(HEX_LANGUAGE, {
  tokenizer: {
    root: [
      [/(#|\/\/).*$/, 'comment'],
      [/0[xX](?=[0-9a-fA-F])/, 'keyword'],
      [/[0-9a-fA-F]{2}/, 'number'],
      [/[\s,:]+/, 'white'],
      [/./, 'invalid'],
    ],
  },
});
monaco.languages.setLanguageConfiguration(HEX_LANGUAGE, { comments: { lineComment: '#' } });

/** Gives JSON models whose URI is listed the schema (completion, hovers, warnings). */
export function setJsonSchema(uri: string, fileUri: string, schema: unknown): void {
  jsonDefaults.setDiagnosticsOptions({
    validate: true,
    allowComments: false,
    enableSchemaRequest: false,
    schemaValidation: 'warning',
    schemas: [{ uri, fileMatch: [fileUri], schema }],
  });
}

export { monaco };
