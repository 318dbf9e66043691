/**
 * Something the packet lab cannot build from what was typed, as a message
 * key of the UI's dictionary with its parameters (the page says it in its
 * language), and where it is when the editor can point at it.
 */
import type { MessageKey } from '../i18n/en';

export interface LabProblem {
  key: MessageKey;
  params?: Record<string, string | number>;
  /** 1-based line and column in the editor, when known. */
  line?: number;
  column?: number;
  endColumn?: number;
}

/** A problem as the editor underlines it. */
export interface EditorMarker {
  line: number;
  column: number;
  endColumn?: number;
  message: string;
}
