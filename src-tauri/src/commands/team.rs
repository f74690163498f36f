//! Settings' *Team* section: the shared team library on PostgreSQL. The password crosses once, from
//! the password box to the keychain; it is never sent back to the webview.

use collect_core::session::{TeamPasswordChange, TeamSection};
use collect_core::team::TeamSettings;
use collect_core::UserError;

use super::ShellState;

/// The section; with `ask`, whether the server answers (a few seconds at most).
#[tauri::command]
pub async fn team_section(shell: ShellState<'_>, ask: bool) -> Result<TeamSection, UserError> {
    shell.session.team_section(ask).await
}

/// Saves the address, the name colleagues see and the password, then checks the connection.
#[tauri::command]
pub async fn save_team(
    shell: ShellState<'_>,
    settings: TeamSettings,
    password: TeamPasswordChange,
) -> Result<TeamSection, UserError> {
    shell.session.save_team(settings, password).await
}

/// Stops using the team library (what waits to be published stays queued).
#[tauri::command]
pub async fn leave_team(shell: ShellState<'_>) -> Result<TeamSection, UserError> {
    shell.session.leave_team().await
}
