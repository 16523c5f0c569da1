// Status changes (recording, uploading, analysing, done) are read out through one aria-live region.
let region: HTMLElement | null = null;

export function setAnnouncer(element: HTMLElement | null): void {
  region = element;
}

export function announce(message: string): void {
  if (!region) return;
  // Clearing first makes screen readers read a repeated message again.
  region.textContent = '';
  setTimeout(() => {
    if (region) region.textContent = message;
  }, 50);
}
