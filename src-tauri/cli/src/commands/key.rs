//! `key set|status|clear`: the API key in the OS keychain.

use std::io::{BufRead, IsTerminal, Read};

use collect_core::secrets::{ApiKey, KeyringStore, SecretStore};
use collect_core::{ErrorCode, UserError};
use serde_json::json;

use crate::output::Report;
use crate::KeyCommand;

// ----- key ------------------------------------------------------------------------------------

pub(super) fn key(cli: &crate::Cli, command: &KeyCommand) -> Result<Report, UserError> {
    let store = KeyringStore::new();
    match command {
        KeyCommand::Set {
            credits_per_profile,
        } => {
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
            let plan = match credits_per_profile {
                Some(credits) => Some(*credits),
                None if stdin.is_terminal() => ask_plan()?,
                None => None,
            };
            let priced = record_plan(cli, plan)?;
            Ok(Report {
                json: json!({"stored": true, "hint": key.hint(), "credits_per_profile": plan}),
                text: format!("Key {} stored in the OS keychain. {priced}", key.hint()),
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

// ----- the plan question ----------------------------------------------------------------------

/// Asks which plan the account is on; `None` when the person does not know (Enter).
fn ask_plan() -> Result<Option<u32>, UserError> {
    eprint!(
        "Which Coresignal plan is your account on? Type 10 (plans from 2025 on), 1 (an older \
         plan), or press Enter if you don't know: "
    );
    let mut answer = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut answer)
        .map_err(|error| {
            UserError::new(ErrorCode::Io, format!("Could not read the answer: {error}"))
        })?;
    match answer.trim() {
        "" => Ok(None),
        text => text.parse().map(Some).map_err(|_| {
            UserError::new(
                ErrorCode::InvalidInput,
                format!(
                    "{text:?} is not a number of credits. Run `key set` again and type 10 or 1."
                ),
            )
        }),
    }
}

/// Records the person's plan answer (typed at this terminal, or given as a flag) in the settings;
/// says what prices use.
fn record_plan(cli: &crate::Cli, plan: Option<u32>) -> Result<String, UserError> {
    let Some(credits) = plan else {
        return Ok(
            "Prices assume 10 credits a profile until you say your plan (`key set \
             --credits-per-profile N`) or a collection measures it."
                .to_owned(),
        );
    };
    let context = crate::context::Context::open(cli)?;
    let mut settings = context.settings.clone();
    settings.credits_per_record = credits;
    settings.plan_known = true;
    settings.save(&context.store)?;
    Ok(format!(
        "Prices use {} a profile.",
        collect_core::money::credits_word(u64::from(credits))
    ))
}
