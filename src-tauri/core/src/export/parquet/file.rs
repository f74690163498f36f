//! One Parquet file being written with the Arrow writer: zstd-compressed, in row groups of at
//! most [`ROW_GROUP_ROWS`] rows or about [`ROW_GROUP_BYTES`], so memory stays bounded however
//! many people there are; under a temporary name until complete ([`StagedFile`]).

use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};

use arrow_array::RecordBatch;
use arrow_schema::SchemaRef;
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::properties::WriterProperties;

use super::super::staging::StagedFile;
use super::super::ExportError;

/// Most rows in one row group.
const ROW_GROUP_ROWS: usize = 64 * 1024;

/// About the most bytes one row group holds before it is written out.
const ROW_GROUP_BYTES: usize = 32 * 1024 * 1024;

/// A Parquet file in progress.
pub(crate) struct ParquetFile {
    writer: ArrowWriter<BufWriter<File>>,
    staged: StagedFile,
}

impl ParquetFile {
    /// A file at `path` (once finished) with columns `schema`.
    pub(crate) fn create(path: PathBuf, schema: SchemaRef) -> Result<Self, ExportError> {
        let mut staged = StagedFile::new(path.clone())?;
        let file = staged
            .file()
            .try_clone()
            .map_err(|error| ExportError::write(&path, error))?;
        // zstd level 1: about as small as Snappy's files, and fast (BigQuery, Snowflake and
        // DuckDB all read zstd Parquet).
        let level = ZstdLevel::try_new(1).map_err(|error| ExportError::write(&path, error))?;
        let properties = WriterProperties::builder()
            .set_compression(Compression::ZSTD(level))
            .set_max_row_group_row_count(Some(ROW_GROUP_ROWS))
            .set_max_row_group_bytes(Some(ROW_GROUP_BYTES))
            .set_created_by(format!("Bulk Collect {}", env!("CARGO_PKG_VERSION")))
            .build();
        let writer = ArrowWriter::try_new(
            BufWriter::with_capacity(256 * 1024, file),
            schema,
            Some(properties),
        )
        .map_err(|error| ExportError::write(&path, error))?;
        Ok(Self { writer, staged })
    }

    /// Where the file goes.
    pub(crate) fn path(&self) -> &Path {
        self.staged.target()
    }

    /// Appends `batch`'s rows.
    pub(crate) fn write(&mut self, batch: &RecordBatch) -> Result<(), ExportError> {
        self.writer
            .write(batch)
            .map_err(|error| ExportError::write(self.staged.target(), error))
    }

    /// Writes the last row group and the footer, and puts the file in place.
    pub(crate) fn finish(mut self) -> Result<PathBuf, ExportError> {
        let path = self.staged.target().to_owned();
        self.writer
            .finish()
            .map_err(|error| ExportError::write(&path, error))?;
        self.writer
            .sync()
            .map_err(|error| ExportError::write(&path, error))?;
        drop(self.writer);
        self.staged.commit()
    }
}
