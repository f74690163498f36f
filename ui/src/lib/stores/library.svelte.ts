// The start-up import of earlier collections into the people library: how far it has come, read
// once and then followed through Rust's "library-import" events.

import { libraryImportStatus, onLibraryImport, type ImportProgress } from "../backend";

class LibraryImport {
  progress = $state<ImportProgress | null>(null);
  /** Bumped when the import finishes, so an open People screen reads the library again. */
  revision = $state(0);
  private started = false;

  /** Starts following the import (once); later calls do nothing. */
  follow(): void {
    if (this.started) return;
    this.started = true;
    onLibraryImport((progress) => this.update(progress)).catch(() => undefined);
    libraryImportStatus()
      .then((progress) => {
        if (progress !== null && this.progress === null) this.update(progress);
      })
      .catch(() => undefined); // the banner is a courtesy: without it the screen still works
  }

  /** Takes a progress report. */
  update(progress: ImportProgress): void {
    const wasRunning = this.progress !== null && !this.progress.finished;
    this.progress = progress;
    if (progress.finished && (wasRunning || progress.jobs_total > 0)) this.revision += 1;
  }
}

export const libraryImport = new LibraryImport();
