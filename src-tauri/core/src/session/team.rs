//! Settings' *Team* section: the team library's address and the name colleagues see, saved in the
//! app's database; its password in the keychain, never in a file; and the Live engine linked to it,
//! at start and whenever the section is saved. Practice never uses a team library.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::Session;
use crate::jobs::{Engine, Mode};
use crate::team::{local_status, TeamLink, TeamSettings, TeamStatus, TEAM_EXPLAINED};
use crate::UserError;

/// What to do with the team library's saved password when the section is saved. Its `Debug`
/// never shows the password (a command's arguments may be logged).
#[derive(ts_rs::TS, Clone, PartialEq, Eq, Deserialize, Default)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum TeamPasswordChange {
    /// Leave it as it is (the password box was left empty).
    #[default]
    Keep,
    /// Save this password in the keychain, replacing any saved one.
    Set(String),
}

impl std::fmt::Debug for TeamPasswordChange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Keep => f.write_str("Keep"),
            Self::Set(_) => f.write_str("Set(<redacted>)"),
        }
    }
}

/// What the *Team* section shows.
#[derive(ts_rs::TS, Debug, Clone, Serialize)]
#[ts(export)]
pub struct TeamSection {
    /// What a team library is, in three sentences.
    pub explained: String,
    /// The saved address and name.
    pub settings: TeamSettings,
    /// Whether a password is saved in the keychain (never the password itself).
    pub password_saved: bool,
    /// Where it stands: reachable (when asked), what waits to be published.
    pub status: TeamStatus,
    /// What the last connection check said, when one was made now ("Connected. The team library
    /// holds …", or why not).
    pub checked: Option<String>,
}

impl Session {
    /// The *Team* section; with `ask`, the server is asked whether it answers (within a few
    /// seconds: nothing else waits on it).
    pub async fn team_section(&self, ask: bool) -> Result<TeamSection, UserError> {
        let settings = TeamSettings::load(&self.store)?;
        // A keychain that cannot be read now must not hide the section: it shows as no password.
        let password_saved = matches!(self.secrets.team_password().await, Ok(Some(_)));
        let link = self.saved_team_link(&settings).await?;
        let (status, checked) = match (&link, ask) {
            (Some(link), true) => {
                let checked = link.test().await;
                let mut status = link.status(&self.store, false).await?;
                status.reachable = Some(checked.is_ok());
                let words = checked.unwrap_or_else(|error| error.to_string());
                (status, Some(words))
            }
            (Some(link), false) => (link.status(&self.store, false).await?, None),
            (None, _) => (local_status(&self.store)?, None),
        };
        Ok(TeamSection {
            explained: TEAM_EXPLAINED.to_owned(),
            settings,
            password_saved,
            status,
            checked,
        })
    }

    /// Saves the section: the address is checked first (no password in it; encrypted unless the
    /// database is on this computer), so a refused one saves nothing. The password goes to the
    /// keychain. Then the connection is checked and the Live engine uses the library from now on,
    /// even when the server does not answer yet: what it collects waits in the outbox.
    pub async fn save_team(
        &self,
        settings: TeamSettings,
        password: TeamPasswordChange,
    ) -> Result<TeamSection, UserError> {
        let address = settings.save(&self.store)?;
        if let TeamPasswordChange::Set(password) = password {
            self.secrets.save_team_password(&password).await?;
        }
        if address.is_none() {
            self.secrets.delete_team_password().await?;
        }
        self.link_team().await;
        self.team_section(address.is_some()).await
    }

    /// Stops using the team library: the address and the password are forgotten; collections not
    /// yet published stay queued for a library set up again.
    pub async fn leave_team(&self) -> Result<TeamSection, UserError> {
        TeamSettings::clear(&self.store)?;
        self.secrets.delete_team_password().await?;
        self.link_team().await;
        self.team_section(false).await
    }

    /// Links the running engine to the saved team library (Live only; none in Practice).
    pub(super) async fn link_team(&self) {
        if let Ok(engine) = self.engine() {
            self.link_engine(&engine).await;
        }
    }

    /// Links `engine` to the saved team library when it runs in Live mode. Nothing here stops the
    /// engine: a keychain that cannot be read leaves the link without a password (publishing then
    /// says so, and waits), and a saved address that cannot be used leaves it unlinked (Settings
    /// says why).
    pub(super) async fn link_engine(&self, engine: &Arc<Engine>) {
        if engine.mode() != Mode::Live {
            engine.set_team(None);
            return;
        }
        let link = match TeamSettings::load(&self.store) {
            Ok(settings) => self
                .saved_team_link(&settings)
                .await
                .unwrap_or_else(|error| {
                    tracing::warn!("the team library is not used: {error}");
                    None
                }),
            Err(error) => {
                tracing::warn!("the team library's settings cannot be read: {error}");
                None
            }
        };
        engine.set_team(link);
    }

    /// A link to the saved address with the saved password, or `None` when no library is set.
    async fn saved_team_link(
        &self,
        settings: &TeamSettings,
    ) -> Result<Option<TeamLink>, UserError> {
        let Some(address) = settings.address.as_deref() else {
            return Ok(None);
        };
        let address = crate::team::TeamAddress::parse(address)?;
        let password = self.secrets.team_password().await.unwrap_or_default();
        Ok(Some(TeamLink::new(
            address,
            password,
            settings.name.clone(),
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::TeamPasswordChange;

    #[test]
    fn a_password_to_save_is_never_in_its_debug_text() {
        let change = TeamPasswordChange::Set("hunter2-Secret".into());
        let shown = format!("{change:?} {change:#?}");
        assert!(!shown.contains("hunter2-Secret"), "{shown}");
        assert!(shown.contains("Set(<redacted>)"), "{shown}");
        assert_eq!(format!("{:?}", TeamPasswordChange::Keep), "Keep");
    }
}
