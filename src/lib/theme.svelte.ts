/** Light, dark, or the system's choice; remembered in localStorage and applied as data-theme on <html>. */
export type ThemeChoice = 'light' | 'dark' | 'system';
const KEY = 'mqtt-playground.theme';

class Theme {
  choice = $state<ThemeChoice>(load());

  set(choice: ThemeChoice): void {
    this.choice = choice;
    try {
      localStorage.setItem(KEY, choice);
    } catch {
      // not remembered, still applied
    }
    apply(choice);
  }

  /** Applies the remembered choice at start-up. */
  init(): void {
    apply(this.choice);
  }
}

function load(): ThemeChoice {
  try {
    const v = localStorage.getItem(KEY);
    if (v === 'light' || v === 'dark' || v === 'system') return v;
  } catch {
    // fall through
  }
  return 'system';
}

function apply(choice: ThemeChoice): void {
  const root = document.documentElement;
  if (choice === 'system') delete root.dataset.theme;
  else root.dataset.theme = choice;
}

export const theme = new Theme();
