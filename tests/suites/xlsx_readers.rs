//! The XLSX export read back by openpyxl (`tests/support/xlsx_reader.py`), a reader independent
//! of the export's own writer and of calamine (which the other export tests use), from the venv
//! of pinned readers (`tests/support/parquet-readers.txt`): in both layouts, every sheet holds
//! the CSV export's cells, numbers as numbers, dates as formatted dates, the header bold and
//! frozen.

#![allow(clippy::expect_used, clippy::unwrap_used, missing_docs)]

use std::process::Command;

use bulk_collect_tests::readers;
use collect_core::export::{export_job, ExportFormat, ExportLayout, ExportOptions};

#[test]
fn openpyxl_reads_the_csvs_cells_in_both_layouts() {
    let python = readers::python();
    let dir = tempfile::tempdir().unwrap();
    let files = [bulk_collect_tests::shared_data("employees-sample.jsonl.gz")];
    let day = time::macros::date!(2026 - 12 - 07);
    for layout in [ExportLayout::People, ExportLayout::Full] {
        let export = |format| {
            let options = ExportOptions {
                format,
                layout,
                ..ExportOptions::default()
            };
            export_job(&files, dir.path(), "Readers", day, &options).unwrap()
        };
        let csv = export(ExportFormat::Csv);
        let xlsx = export(ExportFormat::Xlsx);
        let output = Command::new(&python)
            .arg(readers::support("xlsx_reader.py"))
            .arg(&xlsx.paths[0])
            .args(&csv.paths)
            .output()
            .unwrap();
        let said = String::from_utf8_lossy(&output.stdout);
        let errors = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "{layout:?}: {said}\n{errors}");
        println!("{said}");
        for sheet in &xlsx.rows_per_sheet {
            // The CSV's rows include the header.
            let line = format!("openpyxl: {}: {} rows match", sheet.sheet, sheet.rows + 1);
            assert!(said.contains(&line), "{layout:?}: no {line:?} in\n{said}");
        }
    }
}
