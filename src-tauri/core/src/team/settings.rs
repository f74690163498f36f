//! The team library's settings in the app's database: the address and the name colleagues see
//! (the password is in the keychain, never here), and when something was last published.

use serde::{Deserialize, Serialize};

use crate::store::{Setting, Store};

use super::{TeamAddress, TeamError, TeamLink};

/// What Settings' "Team" section saves.
#[derive(ts_rs::TS, Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[ts(export)]
pub struct TeamSettings {
    /// The `postgres://` address (no password in it); `None`: no team library.
    pub address: Option<String>,
    /// The name colleagues see on this person's collections.
    pub name: String,
}

impl TeamSettings {
    /// The saved settings.
    pub fn load(store: &Store) -> Result<Self, TeamError> {
        Ok(Self {
            address: store.setting(Setting::TeamAddress)?,
            name: store.setting(Setting::TeamName)?.unwrap_or_default(),
        })
    }

    /// Checks the address (no password, TLS unless loopback) and saves both.
    pub fn save(&self, store: &Store) -> Result<Option<TeamAddress>, TeamError> {
        let address = self
            .address
            .as_deref()
            .map(str::trim)
            .filter(|text| !text.is_empty())
            .map(TeamAddress::parse)
            .transpose()?;
        match &address {
            Some(address) => store.set_setting(Setting::TeamAddress, address.as_str())?,
            None => store.clear_setting(Setting::TeamAddress)?,
        }
        store.set_setting(Setting::TeamName, self.name.trim())?;
        Ok(address)
    }

    /// The team library these settings describe, reached with `password` (the keychain's);
    /// `None` when no address is saved. Nothing is connected.
    pub fn link(&self, password: Option<String>) -> Result<Option<TeamLink>, TeamError> {
        let Some(text) = self
            .address
            .as_deref()
            .filter(|text| !text.trim().is_empty())
        else {
            return Ok(None);
        };
        Ok(Some(TeamLink::new(
            TeamAddress::parse(text)?,
            password,
            self.name.clone(),
        )))
    }

    /// Forgets the team library (the outbox keeps what waits, for a library set up again).
    pub fn clear(store: &Store) -> Result<(), TeamError> {
        store.clear_setting(Setting::TeamAddress)?;
        Ok(())
    }
}

/// Notes that something was published now.
pub(super) fn note_published(store: &Store) -> Result<(), TeamError> {
    Ok(store.set_setting(Setting::TeamLastPublished, &crate::store::now_text())?)
}

/// When something was last published.
pub(super) fn last_published(store: &Store) -> Result<Option<String>, TeamError> {
    Ok(store.setting(Setting::TeamLastPublished)?)
}
