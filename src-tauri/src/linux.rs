//! Linux start-up: WebKitGTK's environment, set before the webview (or any thread) starts.
//!
//! A missing WebKitGTK cannot be reported from here: the binary links `libwebkit2gtk-4.1.so.0`,
//! so the system's loader stops before `main` with "error while loading shared libraries:
//! libwebkit2gtk-4.1.so.0" (the README's *Linux* section says which package to install). The
//! `.deb` and `.rpm` depend on it, so an installed app always has it.

/// Variables set only when the user has not set them (a user who sets one wins).
///
/// `WEBKIT_DISABLE_DMABUF_RENDERER=1`: WebKitGTK 2.42+ draws through DMA-BUF, which shows a blank
/// or white window on some GPU drivers (NVIDIA, virtual machines, Wayland without GBM: tauri-apps
/// issue 9394). Tauri apps commonly ship exactly this; the cost is a copy per frame, invisible in a
/// form-based app. `WEBKIT_DISABLE_COMPOSITING_MODE` (no GPU at all) is left to the user.
pub const WEBKIT_DEFAULTS: &[(&str, &str)] = &[("WEBKIT_DISABLE_DMABUF_RENDERER", "1")];

/// Sets [`WEBKIT_DEFAULTS`] that are unset; does nothing on other systems. Call first in `main`,
/// while the process has one thread (changing the environment is not thread-safe).
pub fn prepare_webkit() {
    if cfg!(target_os = "linux") {
        for (name, value) in WEBKIT_DEFAULTS {
            if std::env::var_os(name).is_none() {
                std::env::set_var(name, value);
            }
        }
    }
    if cfg!(target_os = "linux")
        && std::env::var_os("DISPLAY").is_none()
        && std::env::var_os("WAYLAND_DISPLAY").is_none()
    {
        eprintln!(
            "Bulk Collect needs a desktop session (no DISPLAY or WAYLAND_DISPLAY is set). \
             Start it from the applications menu, or use bulk-collect-cli in a terminal."
        );
        std::process::exit(1);
    }
}
