//! Build script: embeds tauri.conf.json (root, via the src-tauri symlink) and the capabilities.
fn main() {
    tauri_build::build()
}
