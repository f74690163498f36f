//! Writing an export atomically: everything goes to a hidden temporary file or folder beside the
//! final name and is renamed into place only when complete, so a crash or an error never leaves a
//! half-written spreadsheet under the name a person opens.

use std::fs::File;
use std::path::{Path, PathBuf};

use tempfile::{NamedTempFile, TempDir};

use super::ExportError;

/// A file being written; [`StagedFile::commit`] puts it in place.
pub(crate) struct StagedFile {
    temp: NamedTempFile,
    target: PathBuf,
}

impl StagedFile {
    /// A hidden temporary file beside `target` (deleted if never committed).
    pub(crate) fn new(target: PathBuf) -> Result<Self, ExportError> {
        let dir = parent(&target);
        let temp = tempfile::Builder::new()
            .prefix(&format!(".{}.", file_name(&target)))
            .suffix(".tmp")
            .tempfile_in(dir)
            .map_err(|error| ExportError::write(&target, error))?;
        Ok(Self { temp, target })
    }

    /// The open temporary file.
    pub(crate) fn file(&mut self) -> &mut File {
        self.temp.as_file_mut()
    }

    /// Where the file goes when committed.
    pub(crate) fn target(&self) -> &Path {
        &self.target
    }

    /// A second handle on the temporary file (for writers that take ownership).
    pub(crate) fn reopen(&self) -> Result<File, ExportError> {
        self.temp
            .reopen()
            .map_err(|error| ExportError::write(&self.target, error))
    }

    /// Flushes to disk and renames over `target` (replacing an earlier export of the same name).
    pub(crate) fn commit(self) -> Result<PathBuf, ExportError> {
        let Self { temp, target } = self;
        temp.as_file()
            .sync_all()
            .map_err(|error| ExportError::write(&target, error))?;
        crate::test_seams::kill_point("export.staged");
        temp.persist(&target)
            .map_err(|error| ExportError::write(&target, error.error))?;
        Ok(target)
    }
}

/// A folder being filled (one CSV per sheet); [`StagedDir::commit`] puts it in place.
pub(crate) struct StagedDir {
    temp: TempDir,
    target: PathBuf,
}

impl StagedDir {
    /// A hidden temporary folder beside `target` (deleted if never committed).
    pub(crate) fn new(target: PathBuf) -> Result<Self, ExportError> {
        let temp = tempfile::Builder::new()
            .prefix(&format!(".{}.", file_name(&target)))
            .tempdir_in(parent(&target))
            .map_err(|error| ExportError::write(&target, error))?;
        Ok(Self { temp, target })
    }

    /// Where a file of the folder is written now.
    pub(crate) fn path(&self, name: &str) -> PathBuf {
        self.temp.path().join(name)
    }

    /// The final path of a file of the folder.
    pub(crate) fn final_path(&self, name: &str) -> PathBuf {
        self.target.join(name)
    }

    /// Renames the folder over `target`. An earlier export of the same name is moved aside first
    /// and removed after, so the final name never holds a mix of the two.
    pub(crate) fn commit(self) -> Result<PathBuf, ExportError> {
        let Self { temp, target } = self;
        let fail = |error: std::io::Error| ExportError::write(&target, error);
        let old = if target.exists() {
            let aside = tempfile::Builder::new()
                .prefix(&format!(".{}.old.", file_name(&target)))
                .tempdir_in(parent(&target))
                .map_err(fail)?;
            let aside_path = aside.path().join("previous");
            std::fs::rename(&target, &aside_path).map_err(fail)?;
            Some(aside) // Removed (with the previous export inside) when dropped.
        } else {
            None
        };
        std::fs::rename(temp.path(), &target).map_err(fail)?;
        let _kept = temp.keep(); // The folder is now `target`: nothing left to clean up.
        drop(old);
        Ok(target)
    }
}

fn parent(path: &Path) -> &Path {
    path.parent().unwrap_or(Path::new("."))
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default()
}
