//! `key set|status|clear`: the API key in the OS keychain.

use std::io::{BufRead, IsTerminal, Read};

use collect_core::secrets::{ApiKey, KeyringStore, SecretStore};
use collect_core::{ErrorCode, UserError};
use serde_json::json;

use crate::output::Report;
use crate::KeyCommand;

// ----- key ------------------------------------------------------------------------------------

pub(super) fn key(command: &KeyCommand) -> Result<Report, UserError> {
    let store = KeyringStore::new();
    match command {
        KeyCommand::Set => {
            let mut text = String::new();
            let stdin = std::io::stdin();
            let read = if stdin.is_terminal() {
                // A person pastes the key and presses Enter; a script pipes it in.
                eprint!("Paste your Coresignal API key and press Enter: ");
                stdin.lock().read_line(&mut text)
            } else {
                stdin.lock().read_to_string(&mut text)
            };
            read.map_err(|error| {
                UserError::new(
                    ErrorCode::Io,
                    format!("Could not read the key from standard input: {error}"),
                )
            })?;
            let key = ApiKey::new(text);
            store.save(&key)?;
            Ok(Report {
                json: json!({"stored": true, "hint": key.hint()}),
                text: format!("Key {} stored in the OS keychain.", key.hint()),
            })
        }
        KeyCommand::Status => {
            let stored = store.load()?;
            let env =
                std::env::var(crate::context::KEY_ENV).is_ok_and(|key| !key.trim().is_empty());
            let hint = stored.as_ref().map(ApiKey::hint);
            let text = match (&hint, env) {
                (_, true) => format!(
                    "Using the key from {} (it wins over the keychain).",
                    crate::context::KEY_ENV
                ),
                (Some(hint), false) => format!("A key ({hint}) is stored in the OS keychain."),
                (None, false) => "No key is stored. Run `bulk-collect-cli key set`.".to_owned(),
            };
            Ok(Report {
                json: json!({"stored": hint.is_some(), "hint": hint, "from_environment": env}),
                text,
            })
        }
        KeyCommand::Clear => {
            store.delete()?;
            Ok(Report {
                json: json!({"stored": false}),
                text: "The key was removed from the OS keychain.".to_owned(),
            })
        }
    }
}
